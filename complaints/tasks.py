"""Celery tasks of complaints: thin, by primary key, retried on transient errors."""

from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone


# Talking to the mail server: retried with exponential backoff (1 s, 2 s, 4 s … at
# most 10 min, with jitter), acknowledged only once done (CELERY_TASK_ACKS_LATE),
# and idempotent: the notification is claimed before it is sent.
@shared_task(
    autoretry_for=(OperationalError, OSError, SMTPException),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,
)
def send_notification_task(notification_id: int) -> bool:
    """Send one recorded email (a consumer's or a staff digest) unless it went already."""
    from portal.notifications import notification_deliver

    from . import notifications

    return notification_deliver(notification_id=notification_id, render=notifications.render)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def notifications_resend_task(older_than_seconds: int | None = None) -> int:
    """Celery beat: hand on again what is owed and unsent, e.g. because the broker
    lost its queue in a restart or a worker died holding a claim."""
    from portal.notifications import notifications_pending

    if older_than_seconds is None:
        older_than_seconds = settings.NOTIFICATION_RESEND_AFTER
    pending = notifications_pending(
        kind_prefix="complaints.", older_than=timedelta(seconds=older_than_seconds)
    )
    for pk in pending:
        send_notification_task.delay(pk)
    return len(pending)


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
