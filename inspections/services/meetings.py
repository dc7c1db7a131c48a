"""Joint consultations (会商研判; Trial Art. 4; Order 117 Art. 46) and interviews of
responsible persons (约谈; Order 117 Art. 52).

A consultation is ``open`` while the departments give their opinions and
``concluded`` once the convener records the conclusion; follow-up actions, each
owned by one department and due on a date, are watched by the periodic sweep.
An interview is ``scheduled``, then ``held`` (minutes recorded, with a date for
the follow-up check), then ``checked``.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, Platform
from portal.audit import audit_record
from portal.errors import Conflict, NotAllowed
from portal.models import RuleSet
from portal.rules import grounds_of, rule_sets_in_force
from portal.transitions import require_department, transition
from registry.models import Agency, Marketer, Operator

from ..models import (
    INTERVIEW_GROUNDS_SET,
    Consultation,
    ConsultationOpinion,
    FollowUpAction,
    Interview,
    InterviewTarget,
    PlatformInspection,
)
from ..permissions import CONSULT, INTERVIEW, consultation_member
from .clues import links_add
from .common import InspectionError, today

CONSULTATION_MOVES: dict[str, set[str]] = {
    Consultation.Status.OPEN: {Consultation.Status.CONCLUDED},
    Consultation.Status.CONCLUDED: set(),
}
INTERVIEW_MOVES: dict[str, set[str]] = {
    Interview.Status.SCHEDULED: {Interview.Status.HELD},
    Interview.Status.HELD: {Interview.Status.CHECKED},
    Interview.Status.CHECKED: set(),
}


# --- consultations ------------------------------------------------------------------


def _lock_consultation(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def _convener(actor, consultation: Consultation) -> Department:
    department = require_department(actor, CONSULT)
    if department.pk != consultation.convener_id:
        raise NotAllowed(_("Only the convening department may do this."), code="not_convener")
    return department


def _members(consultation: Consultation) -> set[int]:
    return {consultation.convener_id, *consultation.participants.values_list("pk", flat=True)}


@transaction.atomic
def consultation_convene(
    *,
    actor,
    subject: str,
    background: str,
    held_on: date,
    participants: Iterable[Department],
    links: Iterable = (),
) -> Consultation:
    """Convene a consultation of the actor's department with ``participants`` on the
    cases linked (complaints, filings or findings the actor may see)."""
    convener = require_department(actor, CONSULT)
    others = [d for d in participants if d.pk != convener.pk]
    if not others:
        raise InspectionError(
            _("Name at least one other department taking part."), code="participants"
        )
    consultation = Consultation(
        convener=convener,
        subject=subject.strip(),
        background=background.strip(),
        held_on=held_on,
        created_by=actor,
    )
    consultation.full_clean()
    consultation.save()
    consultation.participants.set(others)
    linked = links_add(actor=actor, owner={"consultation": consultation}, objects=links)
    audit_record(
        actor=actor,
        action="consultation.convened",
        subject=consultation,
        data={"participants": [d.pk for d in others], "links": [x.label for x in linked]},
    )
    return consultation


@transaction.atomic
def consultation_opinion_record(
    *, actor, consultation: Consultation, opinion: str
) -> ConsultationOpinion:
    """The actor's department gives its one opinion while the consultation is open."""
    consultation = _lock_consultation(consultation)
    if not consultation_member(actor, consultation):
        raise NotAllowed(
            _("Only the departments taking part give opinions."), code="not_participant"
        )
    if consultation.status != Consultation.Status.OPEN:
        raise Conflict(_("This consultation is concluded."), code="concluded")
    if consultation.opinions.filter(department_id=actor.department_id).exists():
        raise Conflict(_("Your department has given its opinion already."), code="given")
    if not opinion.strip():
        raise InspectionError(_("Write the opinion."), code="opinion")
    record = ConsultationOpinion(
        consultation=consultation,
        department_id=actor.department_id,
        opinion=opinion.strip(),
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action="consultation.opinion",
        subject=consultation,
        reason=record.opinion,
        data={"department": actor.department_id},
    )
    return record


def _action(consultation, *, actor, owner: Department, text: str, due_on: date) -> FollowUpAction:
    if owner.pk not in _members(consultation):
        raise InspectionError(
            _("The owner must be the convener or a department taking part."), code="owner"
        )
    if due_on < today():
        raise InspectionError(_("The due date cannot be in the past."), code="due_on")
    action = FollowUpAction(
        consultation=consultation, owner=owner, text=text.strip(), due_on=due_on
    )
    action.full_clean()
    action.save()
    audit_record(
        actor=actor,
        action="consultation.action_added",
        subject=consultation,
        reason=action.text,
        data={"owner": owner.pk, "due_on": due_on.isoformat()},
    )
    return action


@transaction.atomic
def consultation_conclude(
    *,
    actor,
    consultation: Consultation,
    conclusion: str,
    actions: Iterable[tuple[Department, str, date]] = (),
) -> Consultation:
    """The convener records the conclusion and the follow-up actions agreed."""
    consultation = _lock_consultation(consultation)
    _convener(actor, consultation)
    if consultation.status == Consultation.Status.CONCLUDED:
        return consultation
    if not conclusion.strip():
        raise InspectionError(_("Write the conclusion."), code="conclusion")
    transition(consultation, Consultation.Status.CONCLUDED, CONSULTATION_MOVES)
    consultation.conclusion = conclusion.strip()
    consultation.concluded_at = timezone.now()
    consultation.full_clean()
    consultation.save(update_fields=["status", "conclusion", "concluded_at"])
    audit_record(
        actor=actor,
        action="consultation.concluded",
        subject=consultation,
        reason=consultation.conclusion,
    )
    for owner, text, due_on in actions:
        _action(consultation, actor=actor, owner=owner, text=text, due_on=due_on)
    return consultation


@transaction.atomic
def follow_up_add(
    *, actor, consultation: Consultation, owner: Department, text: str, due_on: date
) -> FollowUpAction:
    consultation = _lock_consultation(consultation)
    _convener(actor, consultation)
    if not text.strip():
        raise InspectionError(_("Say what is to be done."), code="text")
    return _action(consultation, actor=actor, owner=owner, text=text, due_on=due_on)


@transaction.atomic
def follow_up_complete(*, actor, action: FollowUpAction, result: str) -> FollowUpAction:
    """The owner department reports the action done (late or not: both sides see it)."""
    action = FollowUpAction.objects.select_for_update().get(pk=action.pk)
    department = require_department(actor, CONSULT)
    if department.pk != action.owner_id:
        raise NotAllowed(_("Only the owner department reports this action."), code="not_owner")
    if action.done_at is not None:
        raise Conflict(_("This action is done already."), code="done")
    if not result.strip():
        raise InspectionError(_("Say what was done."), code="result")
    action.done_at, action.done_by, action.result = timezone.now(), actor, result.strip()
    action.full_clean()
    action.save(update_fields=["done_at", "done_by", "result"])
    audit_record(
        actor=actor,
        action="consultation.action_done",
        subject=action.consultation,
        reason=action.result,
        data={"action": action.pk, "late": action.due_on < timezone.localdate(action.done_at)},
    )
    return action


# --- interviews (Order 117 Art. 52) --------------------------------------------------


def interview_rule_set(day: date) -> RuleSet:
    """The rule set whose interview grounds govern an interview scheduled on ``day``:
    the set in force that day with an interview grounds list, else the ``order-117``
    set (the Trial Measures, alone before 2026-02-01, have no list of their own)."""
    holders = [s for s in rule_sets_in_force(day) if grounds_of(s, "interview")]
    if holders:
        return max(holders, key=lambda s: (s.in_force_from, s.version, s.pk))
    fallback = (
        RuleSet.objects.filter(code=INTERVIEW_GROUNDS_SET).order_by("in_force_from", "version")
    ).first()
    if fallback is None:
        raise InspectionError(_("No rule set has a list of interview grounds."), code="ground")
    return fallback


def interview_grounds(day: date) -> list:
    """The grounds an interview scheduled on ``day`` may rest on (Order 117 Art. 52)."""
    return grounds_of(interview_rule_set(day), "interview")


@transaction.atomic
def interview_schedule(
    *,
    actor,
    target_kind: str,
    ground: str,
    ground_detail: str,
    scheduled_for: datetime,
    place: str,
    responsible_persons: str,
    platform: Platform | None = None,
    agency: Agency | None = None,
    operator: Operator | None = None,
    marketer: Marketer | None = None,
    inspection: PlatformInspection | None = None,
) -> Interview:
    """Summon the responsible persons of a platform, agency or operator, or a live
    marketer, to an interview on one of the grounds of Order 117 Art. 52 (1)-(5):
    ``ground`` is a code of the interview grounds list of the rule set in force on
    the day it is scheduled (:func:`interview_rule_set`), which the interview keeps."""
    department = require_department(actor, INTERVIEW)
    if target_kind not in InterviewTarget.values:
        raise InspectionError(_("Choose who is interviewed."), code="target")
    rule_set = interview_rule_set(timezone.localdate())
    if ground not in {g.code for g in grounds_of(rule_set, "interview")}:
        raise InspectionError(
            _("Choose one of the grounds of %(source)s.") % {"source": rule_set.label},
            code="ground",
        )
    interview = Interview(
        department=department,
        target_kind=target_kind,
        platform=platform if target_kind == InterviewTarget.PLATFORM else None,
        agency=agency if target_kind == InterviewTarget.AGENCY else None,
        operator=operator if target_kind == InterviewTarget.OPERATOR else None,
        marketer=marketer if target_kind == InterviewTarget.MARKETER else None,
        inspection=inspection,
        rule_set=rule_set,
        ground=ground,
        ground_detail=ground_detail.strip(),
        scheduled_for=scheduled_for,
        place=place.strip(),
        responsible_persons=responsible_persons.strip(),
        created_by=actor,
    )
    interview.full_clean()
    interview.save()
    audit_record(
        actor=actor,
        action="interview.scheduled",
        subject=interview,
        reason=interview.ground_detail,
        data={"ground": ground, "target": target_kind, "rule_set": rule_set.code},
    )
    return interview


def _interviewer(actor, interview: Interview) -> None:
    department = require_department(actor, INTERVIEW)
    if department.pk != interview.department_id:
        raise NotAllowed(_("Only the interviewing department may do this."), code="not_interviewer")


@transaction.atomic
def interview_record_minutes(
    *,
    actor,
    interview: Interview,
    attendees: str,
    issues_raised: str,
    commitments: str,
    follow_up_on: date,
) -> Interview:
    """Record what was raised and committed, and when the follow-up check falls."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    _interviewer(actor, interview)
    if interview.status == Interview.Status.HELD:
        return interview
    if not (issues_raised.strip() and commitments.strip()):
        raise InspectionError(
            _("Record the issues raised and the commitments made."), code="minutes"
        )
    if follow_up_on <= timezone.localdate(interview.scheduled_for):
        raise InspectionError(
            _("The follow-up check falls after the interview."), code="follow_up_on"
        )
    transition(interview, Interview.Status.HELD, INTERVIEW_MOVES)
    interview.attendees = attendees.strip()
    interview.issues_raised = issues_raised.strip()
    interview.commitments = commitments.strip()
    interview.follow_up_on = follow_up_on
    interview.held_at = timezone.now()
    interview.full_clean()
    interview.save()
    audit_record(
        actor=actor,
        action="interview.held",
        subject=interview,
        data={"follow_up_on": follow_up_on.isoformat()},
    )
    return interview


@transaction.atomic
def interview_record_check(*, actor, interview: Interview, result: str) -> Interview:
    """Record the follow-up check of the commitments."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    _interviewer(actor, interview)
    if interview.status == Interview.Status.CHECKED:
        return interview
    if not result.strip():
        raise InspectionError(_("Record what the check found."), code="result")
    transition(interview, Interview.Status.CHECKED, INTERVIEW_MOVES)
    interview.follow_up_result = result.strip()
    interview.checked_at = timezone.now()
    interview.full_clean()
    interview.save(update_fields=["status", "follow_up_result", "checked_at"])
    audit_record(actor=actor, action="interview.checked", subject=interview, reason=result.strip())
    return interview
