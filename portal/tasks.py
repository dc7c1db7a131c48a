"""Celery tasks of the portal core: thin, idempotent, retried on transient errors."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def deadlines_mark_overdue_task() -> int:
    """The periodic sweep: mark running clocks past their due date (set-wise)."""
    from .services import deadlines_mark_overdue

    return deadlines_mark_overdue(today=timezone.localdate())
