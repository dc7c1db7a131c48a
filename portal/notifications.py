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

The kernel sends every app's messages with one task (``portal.tasks``). What
it must know of an app's kinds arrives by registration from the app's
``AppConfig.ready`` (:func:`register_kind`): how to render an email recorded
without text, and which model its ``object_id`` names. A message to an account
(staff, platform officers) is recorded as a message key with parameters and
listed on the reader's notifications page in their language; where the reader
may see the object it is about (:func:`register_link`), it links to it.
"""

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Model, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise

from . import i18n
from .models import Notification
from .pagination import bounded_count

logger = logging.getLogger(__name__)

# How long a claim holds before a crashed worker's message may be taken again.
CLAIM_LEASE = timedelta(seconds=getattr(settings, "NOTIFICATION_CLAIM_LEASE", 600))
MAX_ATTEMPTS = 10

Render = Callable[[Notification], tuple[str, str] | None]


@dataclass(frozen=True)
class NotificationKind:
    """What the kernel knows of a kind of message (all kinds starting ``prefix``)."""

    prefix: str
    render: Render | None = None  # subject and body at sending time, for rows stored without
    about: str = ""  # the model ``object_id`` names ("complaints.complaint"), for the link
    title: Promise | str = ""  # shown on the page for a record with no message and no subject


_kinds: dict[str, NotificationKind] = {}
_links: dict[str, tuple[Callable, str]] = {}


def register_kind(
    prefix: str, *, render: Render | None = None, about: str = "", title: Promise | str = ""
) -> None:
    """Called from an app's ``AppConfig.ready``: the kinds ``prefix…`` are rendered
    by ``render`` when sent, their ``object_id`` names a row of model ``about``, and
    ``title`` names them on the page when they were recorded without text."""
    _kinds[prefix] = NotificationKind(prefix, render, about, title)


def kind_of(kind: str) -> NotificationKind | None:
    """The registration with the longest prefix of ``kind``."""
    found = None
    for prefix, registered in _kinds.items():
        if kind.startswith(prefix) and (found is None or len(prefix) > len(found.prefix)):
            found = registered
    return found


def register_link(model: type[Model], *, scope: Callable, url: str) -> None:
    """Called from an app's ``AppConfig.ready``: a notification about a ``model`` row
    links to the page ``url`` (a URL name taking ``pk``) for a reader whose
    ``scope(user)`` holds the row."""
    _links[model._meta.label_lower] = (scope, url)


def message_stored(message: Promise, params: dict | None = None) -> tuple[str, dict]:
    """A ``gettext_lazy`` message and its parameters as they are stored (see
    :mod:`portal.i18n`): the key, and the parameters as JSON."""
    return i18n.msgid_of(message), i18n.stored_params(params)


def message_item(message: Promise, params: dict | None = None, *, about: Model | None = None):
    """One line of a message that lists several things (a digest), with what it is
    about, for its link."""
    key, stored = message_stored(message, params)
    item = {"key": key, "params": stored}
    if about is not None:
        item["about"] = about._meta.label_lower
        item["id"] = about.pk
    return item


def notification_record(
    *,
    key: str,
    kind: str,
    recipient: str,
    object_id: int | None = None,
    subject: str = "",
    body: str = "",
    fresh: bool = False,
    recipient_user=None,
    message: Promise | None = None,
    params: dict | None = None,
) -> Notification | None:
    """Record a message owed, in the caller's transaction. ``None`` when the same
    key was recorded before (the cause ran twice): nothing new to send. ``fresh``:
    the key names a row this transaction has just written (a new timeline event),
    so it cannot exist yet — one INSERT, no lookup.

    ``recipient_user``: the account it is for (staff, platform officers), whose
    address it goes to; ``message`` (a ``gettext_lazy`` string) and ``params``: its
    text, rendered in each reader's language on their page and in the portal's
    language when sent."""
    fields = {
        "kind": kind,
        "recipient": recipient,
        "object_id": object_id,
        "subject": subject,
        "body": body,
    }
    if recipient_user is not None:
        fields["recipient_user"] = recipient_user
        fields["recipient"] = recipient or recipient_user.email or ""
    if message is not None:
        fields["message"], fields["params"] = message_stored(message, params)
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


def notify_accounts(
    users: Iterable, *, kind: str, key: str, message: Promise, params=None, about=None
) -> int:
    """Owe each of ``users`` (accounts) one message about ``about`` (a row of a
    model registered with :func:`register_kind`), in the caller's transaction, and
    hand them on after commit; ``key`` names the cause, once per recipient.
    Two statements whatever the number of people."""
    stored_key, stored = message_stored(message, params)
    people = {user.pk: user for user in users if user is not None}
    rows = [
        {
            "key": f"{key}:{pk}",
            "kind": kind,
            "recipient": user.email or "",
            "recipient_user_id": pk,
            "object_id": getattr(about, "pk", None),
            "message": stored_key,
            "params": stored,
        }
        for pk, user in people.items()
    ]
    ids = notifications_record_many(rows)
    notification_enqueue(ids)
    return len(ids)


def digests_record(kind: str, title: Promise, *, today, digests) -> int:
    """Owe each person one digest, in the caller's transaction, and hand them on
    after commit; return how many were new. ``digests`` gives, for each person,
    the part of the key that names them, the account and the digest's lines
    (:func:`message_item`). The email is written in the portal's language; the
    reader's page shows the same lines in theirs. The key holds the day and the
    content, so a sweep that runs twice owes nothing twice."""
    message, _none = message_stored(title)
    records = []
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(title)
        for key_part, person, items in digests:
            body = "\n".join(i18n.render(item["key"], item["params"]) for item in items)
            digest = hashlib.sha256(body.encode()).hexdigest()[:24]
            records.append(
                {
                    "key": f"{kind}:{today.isoformat()}:{key_part}:{digest}",
                    "kind": kind,
                    "recipient": person.email or "",
                    "recipient_user_id": person.pk,
                    "subject": subject,
                    "body": body,
                    "message": message,
                    "params": {"items": items},
                }
            )
    ids = notifications_record_many(records)
    notification_enqueue(ids)
    return len(ids)


def notification_enqueue(notification_ids: Iterable[int]) -> None:
    """Ask the send task to send each message once the transaction commits. A
    broker that is unreachable then is logged, not raised: the request that caused
    the message has succeeded, and the sweep sends what was not handed on."""
    ids = list(notification_ids)
    if not ids:
        return
    from .tasks import notification_send_task as task

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


def message_email(notification: Notification) -> tuple[str, str]:
    """Subject and body of a message recorded as a key with parameters, in the
    portal's language, with the address of the reader's notifications page."""
    with translation.override(settings.LANGUAGE_CODE):
        shown = _shown(notification, {})
        page = settings.PORTAL_BASE_URL.rstrip("/") + reverse("notifications")
        lines = [shown.title, *(text for text, _url in shown.lines), "", page]
    return shown.title[:300], "\n".join(lines) + "\n"


def _content(notification: Notification, render: Render | None):
    if notification.body:
        return notification.subject, notification.body
    if render is None:
        registered = kind_of(notification.kind)
        render = registered.render if registered else None
    if render is not None:
        return render(notification)
    return message_email(notification) if notification.message else None


def notification_deliver(*, notification_id: int, render: Render | None = None) -> bool:
    """Claim, send and mark one message; ``True`` if this call sent it.

    A record that stores no text is rendered at sending time by ``render``, or
    else by the renderer its kind registered (a consumer's email, in the language
    and state of the case); it may return ``None`` when there is nothing to send
    any more. A message to an account without an address is only listed on their
    page. An error while sending releases the claim and is raised, for the task to
    retry."""
    notification = notification_claim(notification_id=notification_id)
    if notification is None:
        return False
    try:
        content = _content(notification, render) if notification.recipient else None
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


def notifications_pending(*, older_than: timedelta, kind_prefix: str = "", limit: int = 1000):
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


# --- the reader's page ---------------------------------------------------------------------------


@dataclass
class Shown:
    """A notification as its reader sees it, in the active language."""

    notification: Notification
    title: str
    lines: list[tuple[str, str | None]] = field(default_factory=list)  # text, link
    url: str | None = None


def _open_url(notification: Notification, item: int | None = None) -> str:
    url = reverse("notification-open", args=[notification.pk])
    return url if item is None else f"{url}?item={item}"


def _shown(notification: Notification, reachable: dict[tuple[str, int], str]) -> Shown:
    params = notification.params if isinstance(notification.params, dict) else {}
    if notification.message:
        flat = {name: value for name, value in params.items() if name != "items"}
        title = i18n.render(notification.message, flat, fallback=notification.subject)
    else:
        registered = kind_of(notification.kind)
        title = notification.subject or str(registered.title if registered else "")
        title = title or notification.kind
    shown = Shown(notification, title)
    registered = kind_of(notification.kind)
    if registered and registered.about and (registered.about, notification.object_id) in reachable:
        shown.url = _open_url(notification)
    for index, item in enumerate(params.get("items") or []):
        text = i18n.render(item.get("key", ""), item.get("params") or {})
        target = (item.get("about", ""), item.get("id"))
        shown.lines.append((text, _open_url(notification, index) if target in reachable else None))
    return shown


def _targets(notification: Notification) -> list[tuple[str, int]]:
    """What a notification is about: its object, and each of its lines' objects."""
    found = []
    registered = kind_of(notification.kind)
    if registered and registered.about and notification.object_id is not None:
        found.append((registered.about, notification.object_id))
    params = notification.params if isinstance(notification.params, dict) else {}
    for item in params.get("items") or []:
        if item.get("about") and item.get("id") is not None:
            found.append((item["about"], item["id"]))
    return found


def links_for(user, targets: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The page of each ``(model label, pk)`` that ``user`` may see: one query per
    kind of object, whatever the number of rows."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for label, pk in targets:
        if label in _links:
            wanted[label].add(pk)
    found = {}
    for label, pks in wanted.items():
        scope, url = _links[label]
        for pk in scope(user).filter(pk__in=pks).values_list("pk", flat=True):
            found[(label, pk)] = reverse(url, kwargs={"pk": pk})
    return found


def notifications_shown(user, notifications: Iterable[Notification]) -> list[Shown]:
    """The reader's notifications in the active language, each linked to what it is
    about where the reader may see it."""
    notifications = list(notifications)
    reachable = links_for(user, [t for n in notifications for t in _targets(n)])
    return [_shown(n, reachable) for n in notifications]


def notification_target(user, notification: Notification, item: int | None = None) -> str | None:
    """The page a notification (or its line ``item``) is about, if ``user`` may see it."""
    if item is None:
        registered = kind_of(notification.kind)
        if not (registered and registered.about and notification.object_id is not None):
            return None
        wanted = (registered.about, notification.object_id)
    else:
        params = notification.params if isinstance(notification.params, dict) else {}
        items = params.get("items") or []
        if not 0 <= item < len(items) or not isinstance(items[item], dict):
            return None
        wanted = (items[item].get("about", ""), items[item].get("id"))
    return links_for(user, [wanted]).get(wanted)


def notifications_of(user):
    """The reader's own notifications, newest first."""
    return Notification.objects.filter(recipient_user=user).order_by("-created_at", "-pk")


#: Past this many the header says "99+ unread": a count it need not finish.
UNREAD_SHOWN = 99


def notifications_unread_count(user) -> int:
    """The reader's unread notifications, counted no further than ``UNREAD_SHOWN + 1``."""
    unread = Notification.objects.filter(recipient_user=user, read_at__isnull=True)
    return bounded_count(unread, UNREAD_SHOWN)


def notification_read(*, user, notification_id: int | None = None) -> int:
    """Mark the reader's notification (or, without an id, all of theirs) read."""
    unread = Notification.objects.filter(recipient_user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
