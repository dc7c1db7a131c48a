"""What every stage of a case shares: the transition tables, the actor and move
checks, the timeline and notice helpers, and the rule set a case is pinned to."""

from datetime import date

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from portal import i18n
from portal.audit import actor_user, audit_event
from portal.errors import DomainError, NotAllowed
from portal.models import AuditEvent, Deadline, RuleGround, RuleSet
from portal.rules import (
    clock_of,
    grounds_of,
    rule_set_for,
    rule_set_get,
)
from portal.transitions import transition

from ..models import (
    CaseEvent,
    Complaint,
)
from ..permissions import allowed_actions

S = Complaint.Status


# The allowed moves of each kind; every service checks its move here.
COMPLAINT_MOVES = {
    S.RECEIVED: {S.AWAITING_MATERIAL, S.ACCEPTED, S.DECLINED, S.MERGED},
    S.AWAITING_MATERIAL: {S.RECEIVED, S.DECLINED, S.MERGED},
    S.ACCEPTED: {S.FORWARDED, S.CLOSED},
    S.FORWARDED: {S.ACCEPTED, S.CLOSED},
}


REPORT_MOVES = {
    S.RECEIVED: {S.CASE_OPENED, S.NOT_OPENED, S.MERGED},
}


DECISION_CLOCK = {
    Complaint.Kind.COMPLAINT: "complaint-accept",
    Complaint.Kind.REPORT: "report-verify",
}


MEDIATION_CLOCK = "complaint-mediation"


PLATFORM_CLOCK = "platform-answer"


class ComplaintError(DomainError):
    """A workflow rule refused the action."""


def _move(complaint: Complaint, target: str) -> bool:
    """``portal.transitions.transition`` along the table of the case's kind."""
    moves = COMPLAINT_MOVES if complaint.kind == Complaint.Kind.COMPLAINT else REPORT_MOVES
    return transition(
        complaint,
        target,
        moves,
        message=_("A case that is “%(state)s” cannot become “%(target)s”."),
    )


def _check(actor, complaint: Complaint, action: str) -> None:
    if action not in allowed_actions(actor, complaint):
        raise NotAllowed(_("You may not do this on this case now."), code="action_not_allowed")


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _event(complaint, *, actor, action, public, message="", params=None, data=None) -> CaseEvent:
    """Append a timeline line and its audit event. A message the portal writes itself
    (a lazy string) is put in the consumer's language when the consumer sees it,
    else the portal's."""
    event, record = _event_new(
        complaint,
        actor=actor,
        action=action,
        public=public,
        message=message,
        params=params,
        data=data,
    )
    event.save()
    record.save()
    return event


def _event_new(
    complaint, *, actor, action, public, message="", params=None, data=None
) -> tuple[CaseEvent, AuditEvent]:
    """The timeline line and its audit event, unsaved (see :func:`_event`). A message
    of the portal's own (a lazy string) is kept as its key and parameters, and shown
    in each reader's language; the text in the portal's language goes beside it."""
    key, stored = "", {}
    if isinstance(message, Promise):
        key, stored = i18n.msgid_of(message), i18n.stored_params(params)
        with translation.override(settings.LANGUAGE_CODE):
            message = i18n.render(key, stored)
    event = CaseEvent(
        complaint=complaint,
        actor=actor_user(actor),
        action=action,
        public=public,
        message=message,
        message_key=key,
        message_params=stored,
        data=data or {},
    )
    record = audit_event(
        actor=actor, action=f"complaint.{action}", subject=complaint, reason=message
    )
    return event, record


def _running(complaint, clock: str) -> Deadline | None:
    return (
        Deadline.objects.for_object(complaint)
        .open()
        .filter(clock=clock)
        .order_by("-started_on")
        .first()
    )


def _notify(complaint: Complaint, template: str, cause: CaseEvent, *, due=None) -> None:
    """Owe the consumer an email about ``cause``, recorded in this transaction and
    sent once by a worker after commit (``complaints.notifications``); ``due``, the
    decision clock when the caller holds it."""
    if complaint.contact_email:
        from ..notifications import consumer_notify

        consumer_notify(complaint, template, cause=cause, due=due)


def _today() -> date:
    return timezone.localdate()


def case_rule_set(complaint: Complaint) -> RuleSet:
    """The rule set that governs the case: the one it was pinned to at receipt."""
    if complaint.rule_set_id:
        return complaint.rule_set
    return rule_set_for(RuleSet.Matter.COMPLAINT, timezone.localdate(complaint.received_at))


def decline_grounds(complaint: Complaint) -> list[RuleGround]:
    """The grounds on which the case's rule set lets a complaint be declined."""
    return grounds_of(case_rule_set(complaint), RuleGround.List.DECLINE)


def _clock_rule(complaint: Complaint, clock: Deadline):
    """The rule of a running clock of the case, from the set it came from."""
    rule_set = rule_set_get(clock.rule_set_id) if clock.rule_set_id else case_rule_set(complaint)
    return clock_of(rule_set, clock.clock)
