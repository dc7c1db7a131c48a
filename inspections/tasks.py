"""Celery tasks of inspections: thin, idempotent, retried on transient errors."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def inspections_sweep_task() -> dict:
    """The periodic sweep (Celery beat): document requests, clue acknowledgements and
    outcomes, consultation follow-up actions."""
    from .services.sweep import inspections_sweep

    result = inspections_sweep(today=timezone.localdate())
    return {
        "reminded": result.reminded,
        "overdue": result.overdue,
        "follow_ups_overdue": result.follow_ups_overdue,
    }
