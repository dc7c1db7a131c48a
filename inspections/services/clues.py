"""Clue transfers between departments (线索移送; Trial Art. 4; Order 117 Art. 46),
and of suspected crimes to the judicial organs (Order 117 Art. 67).

A transfer moves along :data:`CLUE_MOVES`:

    sent → acknowledged → accepted → handled
                        ↘ returned

Two clocks: the receiver acknowledges within ``clue-acknowledge`` (default 5
working days, Trial Art. 4; Order 117 Art. 46; the sender may set its own), and
records the outcome within ``clue-outcome`` from acceptance. The rules set no
time for the outcome: the sending department sets it (default 30 working days,
admin-editable). Both sides see both clocks; the sweep flags them when overdue.
"""

from collections.abc import Iterable, Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, DepartmentType
from portal.audit import audit_record
from portal.errors import Conflict, NotAllowed
from portal.models import Deadline
from portal.services import clock_rule_for, deadline_close, deadline_start
from portal.transitions import require_department, transition

from ..links import Linked, describe, may_link
from ..models import ClueLink, ClueStatus, ClueTransfer
from ..permissions import DECIDE, TRANSFER
from .common import InspectionError, store_attachment

C = ClueStatus

# The one table of allowed moves of a clue transfer.
CLUE_MOVES: dict[str, set[str]] = {
    C.SENT: {C.ACKNOWLEDGED},
    C.ACKNOWLEDGED: {C.ACCEPTED, C.RETURNED},
    C.ACCEPTED: {C.HANDLED},
    C.RETURNED: set(),
    C.HANDLED: set(),
}

ACKNOWLEDGE_CLOCK = "clue-acknowledge"  # Trial Art. 4; Order 117 Art. 46: 5 working days
OUTCOME_CLOCK = "clue-outcome"  # the rules set none: the sender sets it (default 30)
MAX_WORKING_DAYS = 120


def _days(value: int | None, clock: str, department) -> int:
    days = value or clock_rule_for(clock, department).days
    if not 1 <= days <= MAX_WORKING_DAYS:
        raise InspectionError(
            _("Give between 1 and %(n)s working days.") % {"n": MAX_WORKING_DAYS},
            code="working_days",
        )
    return days


def _link(owner: dict, linked: Linked) -> ClueLink:
    link = ClueLink(
        content_type=ContentType.objects.get_for_model(linked.obj),
        object_id=linked.obj.pk,
        label=linked.label[:200],
        summary=linked.summary,
        **owner,
    )
    link.full_clean()
    link.save()
    return link


def links_add(*, actor, owner: dict, objects: Iterable) -> list[ClueLink]:
    """Link records the actor may see (inside the caller's transaction)."""
    links = []
    for obj in objects:
        linked = obj if isinstance(obj, Linked) else describe(obj)
        if not may_link(actor, linked.obj):
            raise NotAllowed(
                _("You may not link “%(label)s”.") % {"label": linked.label}, code="link_scope"
            )
        links.append(_link(owner, linked))
    return links


@transaction.atomic
def clue_transfer(
    *,
    actor,
    to_department: Department,
    facts: str,
    reason: str,
    suspected_crime: bool = False,
    acknowledge_days: int | None = None,
    outcome_days: int | None = None,
    links: Iterable = (),
    files: Sequence = (),
) -> ClueTransfer:
    """Send a clue with its facts, reason and evidence package (files and linked
    complaints, filings or findings); the acknowledgement clock starts."""
    sender = require_department(actor, TRANSFER)
    if not to_department.is_active:
        raise InspectionError(_("Choose an active department."), code="inactive")
    transfer = ClueTransfer(
        from_department=sender,
        to_department=to_department,
        suspected_crime=suspected_crime,
        facts=facts.strip(),
        reason=reason.strip(),
        acknowledge_days=_days(acknowledge_days, ACKNOWLEDGE_CLOCK, sender),
        outcome_days=_days(outcome_days, OUTCOME_CLOCK, sender),
        sent_by=actor,
    )
    transfer.full_clean()
    transfer.save()
    linked = links_add(actor=actor, owner={"transfer": transfer}, objects=links)
    for upload in files:
        store_attachment(upload=upload, actor=actor, transfer=transfer)
    deadline_start(
        subject=transfer,
        clock=ACKNOWLEDGE_CLOCK,
        started_on=timezone.localdate(transfer.sent_at),
        actor=actor,
        department=sender,
        working_days=transfer.acknowledge_days,
    )
    audit_record(
        actor=actor,
        action="clue.sent",
        subject=transfer,
        reason=transfer.reason,
        data={
            "to": to_department.pk,
            "suspected_crime": suspected_crime,
            "judicial": to_department.type == DepartmentType.JUDICIAL,
            "links": [link.label for link in linked],
            "files": len(files),
        },
    )
    return transfer


def _lock(transfer: ClueTransfer) -> ClueTransfer:
    return (
        ClueTransfer.objects.select_for_update(of=("self",))
        .select_related("from_department", "to_department")
        .get(pk=transfer.pk)
    )


def _receiver(actor, transfer: ClueTransfer) -> None:
    department = require_department(actor, DECIDE)
    if department.pk != transfer.to_department_id:
        raise NotAllowed(
            _("Only the receiving department acts on a transferred clue."), code="not_receiver"
        )


def _close_clock(transfer: ClueTransfer, clock: str, *, actor) -> None:
    for deadline in Deadline.objects.for_object(transfer).open().filter(clock=clock):
        deadline_close(deadline=deadline, actor=actor, met=True)


def _moved(transfer, target, *, actor, reason="", fields=(), **data) -> bool:
    previous = transfer.status
    if not transition(transfer, target, CLUE_MOVES):
        return False
    transfer.full_clean()
    transfer.save(update_fields=["status", *fields])
    audit_record(
        actor=actor,
        action=f"clue.{target}",
        subject=transfer,
        reason=reason,
        data={"from": previous, **data},
    )
    return True


@transaction.atomic
def clue_acknowledge(*, actor, transfer: ClueTransfer) -> ClueTransfer:
    """The receiver confirms it has the clue; the acknowledgement clock is met."""
    transfer = _lock(transfer)
    _receiver(actor, transfer)
    if transfer.status == C.ACKNOWLEDGED:
        return transfer
    transfer.acknowledged_at, transfer.acknowledged_by = timezone.now(), actor
    if _moved(transfer, C.ACKNOWLEDGED, actor=actor, fields=["acknowledged_at", "acknowledged_by"]):
        _close_clock(transfer, ACKNOWLEDGE_CLOCK, actor=actor)
    return transfer


@transaction.atomic
def clue_accept(*, actor, transfer: ClueTransfer, note: str = "") -> ClueTransfer:
    """The receiver takes the clue up; the outcome clock starts (the sender's days)."""
    transfer = _lock(transfer)
    _receiver(actor, transfer)
    if transfer.status == C.ACCEPTED:
        return transfer
    transfer.decided_at, transfer.decided_by = timezone.now(), actor
    if _moved(transfer, C.ACCEPTED, actor=actor, reason=note, fields=["decided_at", "decided_by"]):
        deadline_start(
            subject=transfer,
            clock=OUTCOME_CLOCK,
            started_on=timezone.localdate(transfer.decided_at),
            actor=actor,
            department=transfer.from_department,
            working_days=transfer.outcome_days,
        )
    return transfer


@transaction.atomic
def clue_return(*, actor, transfer: ClueTransfer, reason: str) -> ClueTransfer:
    """The receiver sends the clue back, with its reason (the sender sees it)."""
    transfer = _lock(transfer)
    _receiver(actor, transfer)
    if transfer.status == C.RETURNED:
        return transfer
    if not reason.strip():
        raise InspectionError(_("Say why the clue is sent back."), code="reason")
    transfer.decided_at, transfer.decided_by = timezone.now(), actor
    transfer.return_reason = reason.strip()
    _moved(
        transfer,
        C.RETURNED,
        actor=actor,
        reason=transfer.return_reason,
        fields=["decided_at", "decided_by", "return_reason"],
    )
    return transfer


@transaction.atomic
def clue_record_outcome(*, actor, transfer: ClueTransfer, outcome: str) -> ClueTransfer:
    """The receiver records how it handled the clue; the sender sees the outcome."""
    transfer = _lock(transfer)
    _receiver(actor, transfer)
    if transfer.status == C.HANDLED:
        return transfer
    if not outcome.strip():
        raise InspectionError(_("Write the outcome."), code="outcome")
    transfer.handled_at, transfer.handled_by = timezone.now(), actor
    transfer.outcome = outcome.strip()
    if _moved(
        transfer,
        C.HANDLED,
        actor=actor,
        reason=transfer.outcome,
        fields=["handled_at", "handled_by", "outcome"],
    ):
        _close_clock(transfer, OUTCOME_CLOCK, actor=actor)
    return transfer


__all__ = [
    "CLUE_MOVES",
    "Conflict",
    "clue_accept",
    "clue_acknowledge",
    "clue_record_outcome",
    "clue_return",
    "clue_transfer",
    "links_add",
]
