"""Celery tasks of complaints: thin, by primary key, retried on transient errors."""

from datetime import date, timedelta

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import notifications
from .models import Complaint, Evidence
from .services import complaints_sweep


@shared_task(autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def send_consumer_email_task(complaint_id: int, template: str) -> bool:
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None:
        return False
    return notifications.send_consumer_email(complaint, template)


def _rows(rows) -> list[tuple]:
    return [(is_case, oid, clock, date.fromisoformat(due)) for is_case, oid, clock, due in rows]


@shared_task(autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def send_reminders_task(rows: list) -> int:
    """Reminders claimed by the sweep: ``[is_case, object_id, clock, due_on]`` each."""
    return notifications.send_reminders(_rows(rows))


@shared_task(autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def send_overdue_notices_task(rows: list) -> int:
    return notifications.send_overdue_notices(_rows(rows))


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def complaints_sweep_task() -> dict:
    """The periodic sweep (Celery beat): reminders and overdue marks."""
    result = complaints_sweep(today=timezone.localdate())
    return {"reminded": result.reminded, "overdue": result.overdue}


@shared_task
def evidence_discard_unclaimed_task(hours: int = 24) -> int:
    """Files kept for a form that was never sent go after a day."""
    stale = Evidence.objects.filter(
        complaint__isnull=True, uploaded_at__lt=timezone.now() - timedelta(hours=hours)
    )
    count = 0
    for evidence in stale:
        evidence.file.delete(save=False)
        evidence.delete()
        count += 1
    return count
