"""Emails: to consumers in the language they filed in (Chinese or English), to
staff and platform officers in the portal's language.

Each email is first recorded as a :class:`portal.models.Notification` in the
transaction of its cause and sent once by ``tasks.send_notification_task``
(see ``portal/notifications.py``)."""

import hashlib
import threading
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import Role, User
from portal.models import Notification
from portal.notifications import (
    notification_enqueue,
    notification_record,
    notifications_record_many,
)
from portal.sql import with_pks

from .models import Complaint, PlatformForward

CONSUMER_TEMPLATES = {
    "received",
    "accepted",
    "declined",
    "material_requested",
    "transferred",
    "closed",
    "report_decided",
}


def consumer_email(
    complaint: Complaint,
    template: str,
    *,
    language: str | None = None,
    due=None,
    last_public=None,
):
    """The subject and body of one consumer email, rendered in ``language``. ``due``
    (the decision clock) and ``last_public`` (the latest public timeline line) are
    read from the database unless the caller holds them."""
    if template not in CONSUMER_TEMPLATES:
        raise ValueError(template)

    from .selectors import decision_due

    if last_public is None:
        last_public = complaint.events.filter(public=True).order_by("-at", "-id").first()
    context = {
        "complaint": complaint,
        "due": due if due is not None else decision_due(complaint),
        "track_url": settings.PORTAL_BASE_URL + reverse("complaints:track"),
        "last_public": last_public,
    }
    with translation.override(language or complaint.language):
        subject = render_to_string(f"complaints/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"complaints/email/{template}.txt", context)
    return subject, body


CONSUMER_KIND = "complaints.consumer."
DIGEST_KIND = "complaints.digest."


@dataclass(frozen=True)
class _Held:
    complaint: Complaint
    cause: object
    due: object


# Emails owed in this thread whose task runs here, right after the commit (Celery
# eager, as on a simple desk): the case as the request holds it, so that rendering
# reads nothing again. A worker in another process renders from the database.
_held = threading.local()


def consumer_notify(complaint: Complaint, template: str, *, cause, due=None) -> None:
    """Owe the consumer one email about ``cause`` (a timeline event), in the caller's
    transaction; it is rendered and sent by a worker after commit."""
    if template not in CONSUMER_TEMPLATES:
        raise ValueError(template)
    if not complaint.contact_email:
        return
    notification = notification_record(
        key=f"complaint:{complaint.pk}:{template}:{cause.pk}:{complaint.contact_email}",
        kind=CONSUMER_KIND + template,
        recipient=complaint.contact_email,
        object_id=complaint.pk,
        fresh=True,  # the key holds the id of the event this transaction just wrote
    )
    if notification is not None:
        from .tasks import send_notification_task

        if settings.CELERY_TASK_ALWAYS_EAGER and cause.public:
            held = getattr(_held, "emails", None)
            if held is None or len(held) > 100:  # a rolled-back cause leaves its entry
                held = _held.emails = {}
            held[notification.pk] = _Held(complaint=complaint, cause=cause, due=due)
        notification_enqueue(send_notification_task, [notification.pk])


def render(notification: Notification) -> tuple[str, str] | None:
    """Subject and body of a consumer email at sending time; ``None`` if the case
    or its contact is gone."""
    template = notification.kind.removeprefix(CONSUMER_KIND)
    held = getattr(_held, "emails", {}).pop(notification.pk, None)
    if held is not None:
        return consumer_email(held.complaint, template, due=held.due, last_public=held.cause)
    complaint = Complaint.objects.filter(pk=notification.object_id).first()
    if complaint is None or not complaint.contact_email:
        return None
    return consumer_email(complaint, template)


def _supervisors(department_ids) -> dict[int, list[User]]:
    people = defaultdict(list)
    for user in User.objects.filter(
        department_id__in=department_ids,
        groups__name__in=[Role.SUPERVISOR, Role.DEPARTMENT_HEAD],
        is_active=True,
    ).exclude(email=""):
        people[user.department_id].append(user)
    return people


def _officers(platform_ids) -> dict[int, list[User]]:
    people = defaultdict(list)
    for user in User.objects.filter(
        platform_id__in=platform_ids, groups__name=Role.PLATFORM_OFFICER, is_active=True
    ).exclude(email=""):
        people[user.platform_id].append(user)
    return people


@dataclass(frozen=True)
class _Person:
    email: str


@dataclass(frozen=True)
class _Case:
    tracking_code: str
    department_id: int
    assignee: _Person | None


@dataclass(frozen=True)
class _Forward:
    complaint_id: int
    platform_id: int
    tracking_code: str


def _load(rows):
    """What the digests need of the cases and forwarded cases named by sweep rows:
    two narrow queries, whatever the number of rows."""
    case_ids = {oid for is_case, oid, _c, _d in rows if is_case}
    forward_ids = {oid for is_case, oid, _c, _d in rows if not is_case}
    forwards = {
        pk: _Forward(complaint_id, platform_id, code)
        for pk, complaint_id, platform_id, code in with_pks(
            PlatformForward.objects, forward_ids
        ).values_list("pk", "complaint_id", "platform_id", "complaint__tracking_code")
    }
    wanted = case_ids | {f.complaint_id for f in forwards.values()}
    cases = {
        pk: _Case(code, department_id, _Person(email) if email else None)
        for pk, code, department_id, email in with_pks(Complaint.objects, wanted).values_list(
            "pk", "tracking_code", "department_id", "assignee__email"
        )
    }
    return cases, forwards


def _staff_messages(recipients: dict[str, list[str]], subject: str) -> list[EmailMessage]:
    return [
        EmailMessage(subject, "\n".join(lines), to=[address])
        for address, lines in recipients.items()
    ]


def _staff_digest(rows, *, overdue: bool) -> list[EmailMessage]:
    """One email per person listing their clocks: assignees (or, for unassigned cases,
    supervisors) before a due date; supervisors, and for forwarded cases the platform
    and the handler, once it has passed."""
    cases, forwards = _load(rows)
    supervisors = _supervisors({c.department_id for c in cases.values()})
    officers = _officers({f.platform_id for f in forwards.values()})
    lines: dict[str, list[str]] = defaultdict(list)
    with translation.override(settings.LANGUAGE_CODE):
        case_text = (
            translation.gettext("%(code)s: %(clock)s was due on %(due)s")
            if overdue
            else translation.gettext("%(code)s: %(clock)s due on %(due)s")
        )
        forward_text = (
            translation.gettext("%(code)s: the platform's answer was due on %(due)s")
            if overdue
            else translation.gettext("%(code)s: the platform's answer is due on %(due)s")
        )
        for is_case, oid, clock, due in rows:
            if is_case and oid in cases:
                case = cases[oid]
                if overdue or not case.assignee:
                    people = supervisors[case.department_id]
                else:
                    people = [case.assignee]
                text = case_text % {"code": case.tracking_code, "clock": clock, "due": due}
            elif not is_case and oid in forwards:
                forward = forwards[oid]
                people = list(officers[forward.platform_id])
                case = cases.get(forward.complaint_id)
                if overdue and case is not None and case.assignee:
                    people.append(case.assignee)
                text = forward_text % {"code": forward.tracking_code, "due": due}
            else:
                continue
            for person in people:
                if person.email:
                    lines[person.email].append(text)
        subject = (
            translation.gettext("Overdue")
            if overdue
            else translation.gettext("Due within 2 working days")
        )
        return _staff_messages(lines, subject)


def digests_notify(rows, *, overdue: bool, today) -> int:
    """Owe each person one digest of the clocks the sweep claimed (``rows``), in the
    sweep's transaction: a fixed number of queries whatever the number of rows. The
    key holds the day and the digest's content, so a sweep that runs twice owes
    nothing twice."""
    if not rows:
        return 0
    kind = DIGEST_KIND + ("overdue" if overdue else "reminder")
    records = []
    for message in _staff_digest(rows, overdue=overdue):
        recipient = message.to[0]
        digest = hashlib.sha256(message.body.encode()).hexdigest()[:24]
        records.append(
            {
                "key": f"{kind}:{today.isoformat()}:{recipient}:{digest}",
                "kind": kind,
                "recipient": recipient,
                "subject": message.subject,
                "body": message.body,
            }
        )
    ids = notifications_record_many(records)
    from .tasks import send_notification_task

    notification_enqueue(send_notification_task, ids)
    return len(ids)
