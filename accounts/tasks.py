"""Celery tasks of accounts: thin, by primary key, retried on transient errors."""

from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.db import OperationalError


@shared_task(
    autoretry_for=(OperationalError, OSError, SMTPException),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,
)
def send_account_email_task(notification_id: int) -> bool:
    """Send one recorded account email (an invitation) unless it went already."""
    from portal.notifications import notification_deliver

    from . import emails

    return notification_deliver(notification_id=notification_id, render=emails.render)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def account_emails_resend_task(older_than_seconds: int | None = None) -> int:
    """Celery beat: hand on again the account emails owed and unsent."""
    from portal.notifications import notifications_pending

    if older_than_seconds is None:
        older_than_seconds = settings.NOTIFICATION_RESEND_AFTER
    pending = notifications_pending(
        kind_prefix="accounts.", older_than=timedelta(seconds=older_than_seconds)
    )
    for pk in pending:
        send_account_email_task.delay(pk)
    return len(pending)
