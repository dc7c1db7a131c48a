"""Celery tasks of the portal core: thin, idempotent, retried on transient errors."""

from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def deadlines_mark_overdue_task() -> int:
    """The periodic sweep: mark running clocks past their due date (set-wise)."""
    from .services import deadlines_mark_overdue

    return deadlines_mark_overdue(today=timezone.localdate())


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
def notification_send_task(notification_id: int) -> bool:
    """Send one recorded email of any app unless it went already; a record without
    text is rendered by the renderer its kind registered (``register_kind``)."""
    from .notifications import notification_deliver

    return notification_deliver(notification_id=notification_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def notifications_resend_task(older_than_seconds: int | None = None) -> int:
    """Celery beat: hand on again what is owed and unsent, e.g. because the broker
    lost its queue in a restart or a worker died holding a claim."""
    from .notifications import notifications_pending

    if older_than_seconds is None:
        older_than_seconds = settings.NOTIFICATION_RESEND_AFTER
    pending = notifications_pending(older_than=timedelta(seconds=older_than_seconds))
    for pk in pending:
        notification_send_task.delay(pk)
    return len(pending)
