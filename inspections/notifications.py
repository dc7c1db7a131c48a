"""Emails of the periodic sweep, in the portal's language: a reminder to the side
that must act, and an overdue notice to both sides, once each. They are recorded
in the outbox in the sweep's transaction (``portal/notifications.py``), one per
person, and sent by the kernel's task after commit; each line keeps its message
key and parameters, so that the reader's notifications page shows it in their
language, linked to the inspection, clue or consultation.

Rows come from ``portal.services.deadlines_claim_reminders`` /
``deadlines_mark_overdue_rows`` (``(pk, content_type_id, object_id, clock,
due_on)``) and from the follow-up actions the sweep marked. Every send loads
what it names in a fixed number of queries.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from portal.notifications import (
    digests_record,
    message_item,
)

from .models import ClueTransfer, Consultation, DocumentRequest, FollowUpAction, PlatformInspection

REMINDER_KIND = "inspections.reminder"
OVERDUE_KIND = "inspections.overdue"
DUE_SOON = gettext_lazy("Due within 2 working days")
OVERDUE = gettext_lazy("Overdue")

STAFF_ROLES = (Role.HANDLER, Role.SUPERVISOR, Role.DEPARTMENT_HEAD)


def _staff(department_ids) -> dict[int, list[User]]:
    people = defaultdict(list)
    for user in (
        User.objects.filter(
            department_id__in=set(department_ids), groups__name__in=STAFF_ROLES, is_active=True
        )
        .exclude(email="")
        .distinct()
    ):
        people[user.department_id].append(user)
    return people


def _officers(platform_ids) -> dict[int, list[User]]:
    people = defaultdict(list)
    for user in User.objects.filter(
        platform_id__in=set(platform_ids), groups__name=Role.PLATFORM_OFFICER, is_active=True
    ).exclude(email=""):
        people[user.platform_id].append(user)
    return people


class _Recipients:
    """Lines gathered per person, one message per person."""

    def __init__(self):
        self.people: dict[int, User] = {}
        self.items: dict[int, list[dict]] = defaultdict(list)

    def add(self, people, item: dict) -> None:
        for person in people:
            self.people[person.pk] = person
            if item not in self.items[person.pk]:
                self.items[person.pk].append(item)

    def record(self, kind: str, title, *, today) -> int:
        """Owe each person their message, in the caller's transaction; the key holds
        the day and the content, so a sweep run twice owes nothing twice."""
        return digests_record(
            kind,
            title,
            today=today,
            digests=((pk, self.people[pk], items) for pk, items in self.items.items()),
        )


def _load(rows):
    request_type = ContentType.objects.get_for_model(DocumentRequest).pk
    transfer_type = ContentType.objects.get_for_model(ClueTransfer).pk
    requests = DocumentRequest.objects.select_related(
        "inspection__platform", "inspection__campaign"
    ).in_bulk({oid for _pk, ct, oid, _c, _d in rows if ct == request_type})
    transfers = ClueTransfer.objects.select_related("from_department", "to_department").in_bulk(
        {oid for _pk, ct, oid, _c, _d in rows if ct == transfer_type}
    )
    return request_type, requests, transfers


CLUE_ACK_DUE = gettext_lazy(
    "Clue %(number)s from %(from)s to %(to)s: acknowledgement due on %(due)s"
)
CLUE_ACK_OVERDUE = gettext_lazy(
    "Clue %(number)s from %(from)s to %(to)s: acknowledgement was due on %(due)s"
)
CLUE_OUTCOME_DUE = gettext_lazy(
    "Clue %(number)s from %(from)s to %(to)s: the outcome is due on %(due)s"
)
CLUE_OUTCOME_OVERDUE = gettext_lazy(
    "Clue %(number)s from %(from)s to %(to)s: the outcome was due on %(due)s"
)
REQUEST_DUE = gettext_lazy(
    "Inspection %(number)s of %(platform)s: the documents requested are due on %(due)s"
)
REQUEST_OVERDUE = gettext_lazy(
    "Inspection %(number)s of %(platform)s: the documents requested were due on %(due)s"
)
ACTION_OVERDUE = gettext_lazy(
    "Consultation “%(subject)s”: the action of %(owner)s was due on %(due)s"
)


def _clue_item(transfer: ClueTransfer, clock: str, due, *, overdue: bool) -> dict:
    if clock == "clue-acknowledge":
        text = CLUE_ACK_OVERDUE if overdue else CLUE_ACK_DUE
    else:
        text = CLUE_OUTCOME_OVERDUE if overdue else CLUE_OUTCOME_DUE
    params = {
        "number": transfer.number,
        "from": transfer.from_department,
        "to": transfer.to_department,
        "due": due.isoformat(),
    }
    return message_item(text, params, about=transfer)


def _request_item(request: DocumentRequest, due, *, overdue: bool) -> dict:
    params = {
        "number": request.inspection.number,
        "platform": request.inspection.platform,
        "due": due.isoformat(),
    }
    return message_item(
        REQUEST_OVERDUE if overdue else REQUEST_DUE,
        params,
        about=PlatformInspection(pk=request.inspection_id),
    )


def reminders_notify(rows, *, today) -> int:
    """Remind the side that must act: the platform's officers for a document request,
    the receiving department's staff for a clue."""
    request_type, requests, transfers = _load(rows)
    officers = _officers(r.inspection.platform_id for r in requests.values())
    staff = _staff(t.to_department_id for t in transfers.values())
    out = _Recipients()
    for _pk, ct, oid, clock, due in rows:
        if ct == request_type and oid in requests:
            request = requests[oid]
            out.add(
                officers[request.inspection.platform_id],
                _request_item(request, due, overdue=False),
            )
        elif oid in transfers:
            transfer = transfers[oid]
            out.add(
                staff[transfer.to_department_id],
                _clue_item(transfer, clock, due, overdue=False),
            )
    return out.record(REMINDER_KIND, DUE_SOON, today=today)


def overdue_notify(rows, follow_up_ids=(), *, today) -> int:
    """Tell both sides: platform and inspecting department; sender and receiver of a
    clue; the owner of a follow-up action and the convener."""
    request_type, requests, transfers = _load(rows)
    actions = FollowUpAction.objects.select_related(
        "owner", "consultation", "consultation__convener"
    ).in_bulk(set(follow_up_ids))
    officers = _officers(r.inspection.platform_id for r in requests.values())
    staff = _staff(
        [r.inspection.campaign.lead_department_id for r in requests.values()]
        + [t.from_department_id for t in transfers.values()]
        + [t.to_department_id for t in transfers.values()]
        + [a.owner_id for a in actions.values()]
        + [a.consultation.convener_id for a in actions.values()]
    )
    out = _Recipients()
    for _pk, ct, oid, clock, due in rows:
        if ct == request_type and oid in requests:
            request = requests[oid]
            item = _request_item(request, due, overdue=True)
            out.add(officers[request.inspection.platform_id], item)
            out.add(staff[request.inspection.campaign.lead_department_id], item)
        elif oid in transfers:
            transfer = transfers[oid]
            item = _clue_item(transfer, clock, due, overdue=True)
            out.add(staff[transfer.from_department_id], item)
            out.add(staff[transfer.to_department_id], item)
    for action in actions.values():
        item = message_item(
            ACTION_OVERDUE,
            {
                "subject": action.consultation.subject,
                "owner": action.owner,
                "due": action.due_on.isoformat(),
            },
            about=Consultation(pk=action.consultation_id),
        )
        out.add(staff[action.owner_id], item)
        out.add(staff[action.consultation.convener_id], item)
    return out.record(OVERDUE_KIND, OVERDUE, today=today)
