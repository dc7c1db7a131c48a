"""Celery tasks of complaints: thin, by primary key, retried on transient errors."""

from datetime import timedelta

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def complaints_sweep_task() -> dict:
    """The periodic sweep (Celery beat): reminders and overdue marks."""
    from .services.sweep import complaints_sweep

    result = complaints_sweep(today=timezone.localdate())
    return {"reminded": result.reminded, "overdue": result.overdue}


@shared_task
def evidence_discard_unclaimed_task(hours: int = 24) -> int:
    """Files kept for a form that was never sent go after a day."""
    from .models import Evidence

    stale = Evidence.objects.filter(
        complaint__isnull=True, uploaded_at__lt=timezone.now() - timedelta(hours=hours)
    )
    count = 0
    for evidence in stale:
        evidence.file.delete(save=False)
        evidence.delete()
        count += 1
    return count
