"""Celery tasks of the portal core: thin, idempotent, retried on transient errors."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from .services import deadlines_mark_overdue


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def deadlines_mark_overdue_task() -> int:
    """The periodic sweep: mark running clocks past their due date (set-wise)."""
    return deadlines_mark_overdue(today=timezone.localdate())
