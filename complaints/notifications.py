"""Emails: to consumers in the language they filed in (Chinese or English), to
staff and platform officers in the portal's language.

Each email is first recorded as a :class:`portal.models.Notification` in the
transaction of its cause and sent once by the kernel's
``portal.tasks.notification_send_task`` (see ``portal/notifications.py``); a
consumer's is rendered at sending time by :func:`render`, registered for its
kind in ``apps.py``. A message to staff or a platform officer names their
account and keeps its text as a message key with parameters, for their
notifications page in their language."""

import threading
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from portal import i18n
from portal.models import Notification
from portal.notifications import (
    digests_record,
    message_item,
    notification_enqueue,
    notification_record,
    notify_accounts,
)
from portal.rules import clock_label
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
        if settings.CELERY_TASK_ALWAYS_EAGER and cause.public:
            held = getattr(_held, "emails", None)
            if held is None or len(held) > 100:  # a rolled-back cause leaves its entry
                held = _held.emails = {}
            held[notification.pk] = _Held(complaint=complaint, cause=cause, due=due)
        notification_enqueue([notification.pk])


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
class _Case:
    pk: int
    tracking_code: str
    department_id: int
    assignee: User | None


@dataclass(frozen=True)
class _Forward:
    pk: int
    complaint_id: int
    platform_id: int
    tracking_code: str


def _load(rows):
    """What the digests need of the cases and forwarded cases named by sweep rows:
    two narrow queries, whatever the number of rows."""
    case_ids = {oid for is_case, oid, _c, _d in rows if is_case}
    forward_ids = {oid for is_case, oid, _c, _d in rows if not is_case}
    forwards = {
        pk: _Forward(pk, complaint_id, platform_id, code)
        for pk, complaint_id, platform_id, code in with_pks(
            PlatformForward.objects, forward_ids
        ).values_list("pk", "complaint_id", "platform_id", "complaint__tracking_code")
    }
    wanted = case_ids | {f.complaint_id for f in forwards.values()}
    cases = {
        pk: _Case(pk, code, department_id, User(pk=assignee, email=email) if assignee else None)
        for pk, code, department_id, assignee, email in with_pks(
            Complaint.objects, wanted
        ).values_list("pk", "tracking_code", "department_id", "assignee_id", "assignee__email")
    }
    return cases, forwards


CASE_DUE = gettext_lazy("%(code)s: %(clock)s due on %(due)s")
CASE_OVERDUE = gettext_lazy("%(code)s: %(clock)s was due on %(due)s")
FORWARD_DUE = gettext_lazy("%(code)s: the platform's answer is due on %(due)s")
FORWARD_OVERDUE = gettext_lazy("%(code)s: the platform's answer was due on %(due)s")
DUE_SOON = gettext_lazy("Due within 2 working days")
OVERDUE = gettext_lazy("Overdue")


def _staff_digest(rows, *, overdue: bool) -> dict[int, tuple[User, list[dict]]]:
    """The lines of each person's digest of their clocks: assignees (or, for
    unassigned cases, supervisors) before a due date; supervisors, and for
    forwarded cases the platform and the handler, once it has passed. Each line
    is a message with its parameters (shown in each reader's language) and the
    case or forwarded case it is about."""
    cases, forwards = _load(rows)
    supervisors = _supervisors({c.department_id for c in cases.values()})
    officers = _officers({f.platform_id for f in forwards.values()})
    digests: dict[int, tuple[User, list[dict]]] = {}

    def add(person, item):
        digests.setdefault(person.pk, (person, []))[1].append(item)

    for is_case, oid, clock, due in rows:
        if is_case and oid in cases:
            case = cases[oid]
            item = message_item(
                CASE_OVERDUE if overdue else CASE_DUE,
                {
                    "code": case.tracking_code,
                    "clock": i18n.in_each_language(lambda clock=clock: clock_label(clock)),
                    "due": due.isoformat(),
                },
                about=Complaint(pk=case.pk),
            )
            if overdue or not case.assignee:
                for person in supervisors[case.department_id]:
                    add(person, item)
            else:
                add(case.assignee, item)
        elif not is_case and oid in forwards:
            forward = forwards[oid]
            text = FORWARD_OVERDUE if overdue else FORWARD_DUE
            params = {"code": forward.tracking_code, "due": due.isoformat()}
            for person in officers[forward.platform_id]:
                add(person, message_item(text, params, about=PlatformForward(pk=forward.pk)))
            case = cases.get(forward.complaint_id)
            if overdue and case is not None and case.assignee:
                add(case.assignee, message_item(text, params, about=Complaint(pk=case.pk)))
    return digests


def digests_notify(rows, *, overdue: bool, today) -> int:
    """Owe each person one digest of the clocks the sweep claimed (``rows``), in the
    sweep's transaction: a fixed number of queries whatever the number of rows. The
    email is written in the portal's language; the reader's page shows the same
    lines in theirs. The key holds the day and the digest's content, so a sweep
    that runs twice owes nothing twice."""
    if not rows:
        return 0
    return digests_record(
        DIGEST_KIND + ("overdue" if overdue else "reminder"),
        OVERDUE if overdue else DUE_SOON,
        today=today,
        digests=(
            (person.email or pk, person, items)
            for pk, (person, items) in _staff_digest(rows, overdue=overdue).items()
        ),
    )


ASSIGNED_KIND = "complaints.assigned"
ANSWERED_KIND = "complaints.answered"
FORWARDED_KIND = "complaints.forwarded"
ASSIGNED = gettext_lazy("Case %(code)s was assigned to you by %(by)s.")
ANSWERED = gettext_lazy("%(platform)s answered on case %(code)s.")
FORWARDED = gettext_lazy(
    "Case %(code)s was forwarded to your platform: the answer is due on %(due)s."
)


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def assignment_notify(complaint: Complaint, *, actor, assignee, cause) -> None:
    """Tell a handler a case was given to them (not when they took it themselves)."""
    if assignee is None or assignee.pk == getattr(actor, "pk", None):
        return
    notify_accounts(
        [assignee],
        kind=ASSIGNED_KIND,
        key=f"{ASSIGNED_KIND}:{cause.pk}",
        message=ASSIGNED,
        params={"code": complaint.tracking_code, "by": _name(actor)},
        about=complaint,
    )


def answer_notify(forward: PlatformForward, complaint: Complaint, *, cause) -> None:
    """Tell the case's handler (or who forwarded it) that the platform answered."""
    reader = complaint.assignee or forward.asked_by
    notify_accounts(
        [reader],
        kind=ANSWERED_KIND,
        key=f"{ANSWERED_KIND}:{cause.pk}",
        message=ANSWERED,
        params={"code": complaint.tracking_code, "platform": forward.platform},
        about=complaint,
    )


def forward_notify(forward: PlatformForward, *, due) -> None:
    """Tell the platform's officers a case was forwarded to them, with its due date."""
    officers = User.objects.filter(
        platform_id=forward.platform_id, groups__name=Role.PLATFORM_OFFICER, is_active=True
    )
    notify_accounts(
        officers,
        kind=FORWARDED_KIND,
        key=f"{FORWARDED_KIND}:{forward.pk}",
        message=FORWARDED,
        params={"code": forward.complaint.tracking_code, "due": due.isoformat()},
        about=forward,
    )
