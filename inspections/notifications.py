"""Emails of the periodic sweep, in the portal's language: a reminder to the side
that must act, and an overdue notice to both sides, once each.

Rows come from ``portal.services.deadlines_claim_reminders`` /
``deadlines_mark_overdue_rows`` (``(pk, content_type_id, object_id, clock,
due_on)``) and from the follow-up actions the sweep marked. Every send loads
what it names in a fixed number of queries.
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.utils import translation

from accounts.models import Role, User

from .models import ClueTransfer, DocumentRequest, FollowUpAction

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
    """Lines of text gathered per email address, one message per address."""

    def __init__(self):
        self.lines: dict[str, list[str]] = defaultdict(list)

    def add(self, people, text: str) -> None:
        for person in people:
            if person.email and text not in self.lines[person.email]:
                self.lines[person.email].append(text)

    def send(self, subject: str) -> int:
        messages = [
            EmailMessage(subject, "\n".join(lines), to=[address])
            for address, lines in self.lines.items()
        ]
        if messages:
            get_connection().send_messages(messages)
        return len(messages)


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


def _clue_text(transfer: ClueTransfer, clock: str, due, *, overdue: bool) -> str:
    gettext = translation.gettext
    if clock == "clue-acknowledge":
        text = (
            gettext("Clue %(number)s from %(from)s to %(to)s: acknowledgement was due on %(due)s")
            if overdue
            else gettext("Clue %(number)s from %(from)s to %(to)s: acknowledgement due on %(due)s")
        )
    else:
        text = (
            gettext("Clue %(number)s from %(from)s to %(to)s: the outcome was due on %(due)s")
            if overdue
            else gettext("Clue %(number)s from %(from)s to %(to)s: the outcome is due on %(due)s")
        )
    return text % {
        "number": transfer.number,
        "from": transfer.from_department.name,
        "to": transfer.to_department.name,
        "due": due.isoformat(),
    }


def _request_text(request: DocumentRequest, due, *, overdue: bool) -> str:
    gettext = translation.gettext
    text = (
        gettext(
            "Inspection %(number)s of %(platform)s: the documents requested were due on %(due)s"
        )
        if overdue
        else gettext(
            "Inspection %(number)s of %(platform)s: the documents requested are due on %(due)s"
        )
    )
    return text % {
        "number": request.inspection.number,
        "platform": request.inspection.platform.name,
        "due": due.isoformat(),
    }


def send_reminders(rows) -> int:
    """Remind the side that must act: the platform's officers for a document request,
    the receiving department's staff for a clue."""
    request_type, requests, transfers = _load(rows)
    officers = _officers(r.inspection.platform_id for r in requests.values())
    staff = _staff(t.to_department_id for t in transfers.values())
    out = _Recipients()
    with translation.override(settings.LANGUAGE_CODE):
        for _pk, ct, oid, clock, due in rows:
            if ct == request_type and oid in requests:
                request = requests[oid]
                out.add(
                    officers[request.inspection.platform_id],
                    _request_text(request, due, overdue=False),
                )
            elif oid in transfers:
                transfer = transfers[oid]
                out.add(
                    staff[transfer.to_department_id],
                    _clue_text(transfer, clock, due, overdue=False),
                )
        return out.send(translation.gettext("Due within 2 working days"))


def send_overdue(rows, follow_up_ids=()) -> int:
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
    with translation.override(settings.LANGUAGE_CODE):
        for _pk, ct, oid, clock, due in rows:
            if ct == request_type and oid in requests:
                request = requests[oid]
                text = _request_text(request, due, overdue=True)
                out.add(officers[request.inspection.platform_id], text)
                out.add(staff[request.inspection.campaign.lead_department_id], text)
            elif oid in transfers:
                transfer = transfers[oid]
                text = _clue_text(transfer, clock, due, overdue=True)
                out.add(staff[transfer.from_department_id], text)
                out.add(staff[transfer.to_department_id], text)
        for action in actions.values():
            text = translation.gettext(
                "Consultation “%(subject)s”: the action of %(owner)s was due on %(due)s"
            ) % {
                "subject": action.consultation.subject,
                "owner": action.owner.name,
                "due": action.due_on.isoformat(),
            }
            out.add(staff[action.owner_id], text)
            out.add(staff[action.consultation.convener_id], text)
        return out.send(translation.gettext("Overdue"))
