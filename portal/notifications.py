"""Outbound messages that go out once (reliability).

A message is first *recorded* (:func:`notification_record`) in the transaction of
what caused it, under a unique key, so that a cause committed is a message owed
and a cause rolled back is none. After commit a Celery task is asked to send it
(:func:`notification_enqueue`); if the broker is down at that moment nothing is
lost: the periodic sweep (:func:`notifications_pending`) hands it on later.

The task *claims* the record before sending (:func:`notification_deliver`): one
``UPDATE … WHERE sent_at IS NULL AND (claimed_at IS NULL OR claimed_at < lease)``,
which only one of several concurrent runs can win (PostgreSQL re-checks the
condition on the row once the first writer commits). So running the task twice,
or two workers receiving the same message after a broker restart, sends it once.
A worker killed between claim and send leaves a claim that expires after
``NOTIFICATION_CLAIM_LEASE`` and is then sent by the sweep. The one window left —
killed after the mail server accepted the message and before ``sent_at`` is
written — is narrowed by a Message-ID derived from the key, by which mail
systems recognise the same message.
"""

import hashlib
import logging
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)

# How long a claim holds before a crashed worker's message may be taken again.
CLAIM_LEASE = timedelta(seconds=getattr(settings, "NOTIFICATION_CLAIM_LEASE", 600))
MAX_ATTEMPTS = 10


def notification_record(
    *,
    key: str,
    kind: str,
    recipient: str,
    object_id: int | None = None,
    subject: str = "",
    body: str = "",
    fresh: bool = False,
) -> Notification | None:
    """Record a message owed, in the caller's transaction. ``None`` when the same
    key was recorded before (the cause ran twice): nothing new to send. ``fresh``:
    the key names a row this transaction has just written (a new timeline event),
    so it cannot exist yet — one INSERT, no lookup."""
    fields = {
        "kind": kind,
        "recipient": recipient,
        "object_id": object_id,
        "subject": subject,
        "body": body,
    }
    if fresh:
        return Notification.objects.create(key=key[:255], **fields)
    notification, created = Notification.objects.get_or_create(key=key[:255], defaults=fields)
    return notification if created else None


def notifications_record_many(rows: Iterable[dict]) -> list[int]:
    """Record several messages in two statements (the sweeps: a fixed number of
    queries whatever the count); returns the ids of those not recorded before."""
    rows = list(rows)
    if not rows:
        return []
    keys = [row["key"][:255] for row in rows]
    existing = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
    Notification.objects.bulk_create(
        [Notification(**{**row, "key": row["key"][:255]}) for row in rows], ignore_conflicts=True
    )
    fresh = [key for key in keys if key not in existing]
    return list(Notification.objects.filter(key__in=fresh).values_list("pk", flat=True))


def notification_enqueue(task, notification_ids: Iterable[int]) -> None:
    """Ask ``task`` to send each message once the transaction commits. A broker
    that is unreachable then is logged, not raised: the request that caused the
    message has succeeded, and the sweep sends what was not handed on."""
    ids = list(notification_ids)
    if not ids:
        return

    def hand_on():
        for pk in ids:
            try:
                task.delay(pk)
            except Exception:  # the broker's errors differ by transport
                logger.warning("notification %s not queued; the sweep will send it", pk)

    transaction.on_commit(hand_on)


def message_id(notification: Notification) -> str:
    digest = hashlib.sha256(notification.key.encode()).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "portal.invalid"
    return f"<{digest}@{domain}>"


def notification_claim(*, notification_id: int) -> Notification | None:
    """Take the message for sending, or ``None`` if it was sent or another worker
    holds a live claim on it. Runs in its own (auto-committed) statement."""
    now = timezone.now()
    won = (
        Notification.objects.filter(pk=notification_id, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not won:
        return None
    return Notification.objects.get(pk=notification_id)


def notification_deliver(
    *,
    notification_id: int,
    render: Callable[[Notification], tuple[str, str] | None] | None = None,
) -> bool:
    """Claim, send and mark one message; ``True`` if this call sent it.

    ``render`` makes subject and body at sending time for records that store
    none (a consumer's email, in the language and state of the case); it may
    return ``None`` when there is nothing to send any more. An error while
    sending releases the claim and is raised, for the task to retry."""
    notification = notification_claim(notification_id=notification_id)
    if notification is None:
        return False
    try:
        if notification.body:
            content = (notification.subject, notification.body)
        else:
            content = render(notification) if render else None
        if content is not None:
            subject, body = content
            EmailMessage(
                subject,
                body,
                to=[notification.recipient],
                headers={"Message-ID": message_id(notification)},
            ).send()
    except Exception as error:
        Notification.objects.filter(pk=notification.pk, claimed_at=notification.claimed_at).update(
            claimed_at=None, last_error=str(error)[:500]
        )
        raise
    Notification.objects.filter(pk=notification.pk).update(
        sent_at=timezone.now(), last_error="" if content is not None else "nothing to send"
    )
    return content is not None


def notifications_pending(*, kind_prefix: str, older_than: timedelta, limit: int = 1000):
    """Ids of messages still owed: recorded a while ago, unsent, unclaimed (or their
    claim expired), and not given up on."""
    now = timezone.now()
    return list(
        Notification.objects.filter(
            kind__startswith=kind_prefix,
            sent_at__isnull=True,
            created_at__lt=now - older_than,
            attempts__lt=MAX_ATTEMPTS,
        )
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
