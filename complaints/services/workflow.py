"""A handler's moves on a complaint: assign, accept or decline (with a ground
from the rule set), ask for material, transfer, close, notes, periods that do
not count towards a clock, merging duplicates and the consumer's rating."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Department
from portal import i18n
from portal.errors import Conflict
from portal.models import Deadline, RuleGround
from portal.rules import (
    clock_label,
    ground_of,
)
from portal.services import (
    deadline_close,
    deadline_exclude,
    deadline_pause,
    deadline_resume,
    deadline_start,
)

from ..models import (
    CaseEvent,
    Complaint,
    Evidence,
    MaterialRequest,
    PlatformForward,
)
from ..routing import RoutingBasis
from .common import (
    DECISION_CLOCK,
    MEDIATION_CLOCK,
    ComplaintError,
    S,
    _check,
    _clock_rule,
    _event,
    _lock,
    _move,
    _notify,
    _running,
    _today,
    case_rule_set,
)


@transaction.atomic
def complaint_assign(*, complaint: Complaint, actor, assignee) -> Complaint:
    complaint = _lock(complaint)
    taking = assignee == actor
    _check(actor, complaint, "take" if taking and complaint.assignee_id != actor.pk else "assign")
    if assignee.department_id != complaint.department_id or not assignee.has_perm(
        "accounts.handle_cases"
    ):
        raise ComplaintError(_("Assign the case to a handler of its department."))
    if complaint.assignee_id == assignee.pk:
        return complaint
    complaint.assignee = assignee
    complaint.save(update_fields=["assignee"])
    event = _event(
        complaint,
        actor=actor,
        action="assigned",
        public=False,
        message=gettext_lazy("Assigned to %(name)s."),
        params={"name": assignee.get_full_name() or assignee},
    )
    from ..notifications import assignment_notify

    assignment_notify(complaint, actor=actor, assignee=assignee, cause=event)
    return complaint


@transaction.atomic
def complaint_accept(*, complaint: Complaint, actor, message: str = "") -> Complaint:
    complaint = _lock(complaint)
    _check(actor, complaint, "accept")
    _move(complaint, S.ACCEPTED)
    complaint.decided_at = timezone.now()
    complaint.save(update_fields=["status", "decided_at"])
    if clock := _running(complaint, DECISION_CLOCK[complaint.kind]):
        deadline_close(deadline=clock, actor=actor)
    deadline_start(
        subject=complaint,
        clock=MEDIATION_CLOCK,
        started_on=_today(),
        actor=actor,
        department=complaint.department,
        rule_set=case_rule_set(complaint),
    )
    event = _event(
        complaint,
        actor=actor,
        action="accepted",
        public=True,
        message=message or gettext_lazy("Your complaint has been accepted."),
    )
    _notify(complaint, "accepted", event)
    return complaint


@transaction.atomic
def complaint_decline(*, complaint: Complaint, actor, reason: str, message: str) -> Complaint:
    complaint = _lock(complaint)
    _check(actor, complaint, "decline")
    if ground_of(case_rule_set(complaint), RuleGround.List.DECLINE, reason) is None:
        raise ComplaintError(
            _("Choose one of the grounds of %(rules)s.")
            % {"rules": case_rule_set(complaint).label},
            code="decline_ground",
        )
    _move(complaint, S.DECLINED)
    complaint.decline_reason = reason
    complaint.decided_at = complaint.closed_at = timezone.now()
    complaint.outcome_text = message
    complaint.full_clean()
    complaint.save()
    if clock := _running(complaint, DECISION_CLOCK[complaint.kind]):
        deadline_close(deadline=clock, actor=actor)
    event = _event(
        complaint,
        actor=actor,
        action="declined",
        public=True,
        message=message,
        data={"reason": reason},
    )
    _notify(complaint, "declined", event)
    return complaint


@transaction.atomic
def complaint_request_material(*, complaint: Complaint, actor, message: str) -> MaterialRequest:
    """Ask the complainant for more. The accept clock stands still only where the case's
    rule set says so: under the 2019 rules and Order 121 it runs on, since missing
    material is itself a ground to decline (2019 Art. 15(5))."""
    complaint = _lock(complaint)
    _check(actor, complaint, "request_material")
    _move(complaint, S.AWAITING_MATERIAL)
    complaint.save(update_fields=["status"])
    request = MaterialRequest.objects.create(
        complaint=complaint, requested_by=actor, message=message
    )
    clock = _running(complaint, DECISION_CLOCK[complaint.kind])
    if clock is not None and S.AWAITING_MATERIAL in _clock_rule(complaint, clock).pauses_in:
        deadline_pause(deadline=clock, on=_today(), actor=actor, reason=message)
    event = _event(
        complaint, actor=actor, action="material_requested", public=True, message=message
    )
    _notify(complaint, "material_requested", event)
    return request


@transaction.atomic
def complaint_answer_material(*, complaint: Complaint, answer: str, evidence=()) -> Complaint:
    """The consumer's answer: the material is kept and the clock runs again."""
    complaint = _lock(complaint)
    if complaint.status != S.AWAITING_MATERIAL:
        raise Conflict(_("No material is awaited on this case."), code="no_request")
    request = complaint.material_requests.filter(answered_at__isnull=True).first()
    if request is not None:
        request.answer, request.answered_at = answer, timezone.now()
        request.save(update_fields=["answer", "answered_at"])
    Evidence.objects.filter(pk__in=[e.pk for e in evidence], complaint=None).update(
        complaint=complaint
    )
    _move(complaint, S.RECEIVED)
    complaint.save(update_fields=["status"])
    clock = _running(complaint, DECISION_CLOCK[complaint.kind])
    paused = clock is not None and clock.state == Deadline.State.PAUSED
    if paused:
        deadline_resume(deadline=clock, on=_today(), actor=None)
    _event(
        complaint,
        actor=None,
        action="material_received",
        public=True,
        message=gettext_lazy("Material received; the time limit runs again.")
        if paused
        else gettext_lazy("Material received."),
        data={"answer": answer, "files": len(evidence)},
    )
    return complaint


@transaction.atomic
def complaint_transfer(
    *, complaint: Complaint, actor, to_department: Department, reason: str
) -> Complaint:
    """Hand the case to another department; its decision clock starts anew there."""
    complaint = _lock(complaint)
    _check(actor, complaint, "transfer")
    if to_department.pk == complaint.department_id or not to_department.is_active:
        raise ComplaintError(_("Choose another, active department."), code="same_department")
    previous = complaint.department
    complaint.department = to_department
    complaint.assignee = None
    complaint.in_triage = False
    complaint.region = to_department.region
    complaint.routing_basis = RoutingBasis.TRANSFER
    complaint.save(update_fields=["department", "assignee", "in_triage", "region", "routing_basis"])
    if clock := _running(complaint, DECISION_CLOCK[complaint.kind]):
        deadline_close(deadline=clock, actor=actor, met=False)
    deadline_start(
        subject=complaint,
        clock=DECISION_CLOCK[complaint.kind],
        started_on=_today(),
        actor=actor,
        department=to_department,
        rule_set=case_rule_set(complaint),
    )
    event = _event(
        complaint,
        actor=actor,
        action="transferred",
        public=True,
        message=gettext_lazy("Transferred from %(from)s to %(to)s."),
        params={"from": previous, "to": to_department},
        data={"reason": reason, "from": previous.pk, "to": to_department.pk},
    )
    _event(complaint, actor=actor, action="transfer_reason", public=False, message=reason)
    _notify(complaint, "transferred", event)
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor, outcome: str, outcome_text: str) -> Complaint:
    complaint = _lock(complaint)
    _check(actor, complaint, "close")
    _move(complaint, S.CLOSED)
    complaint.outcome, complaint.outcome_text = outcome, outcome_text
    complaint.closed_at = timezone.now()
    complaint.full_clean()
    complaint.save()
    for clock in Deadline.objects.for_object(complaint).open():
        deadline_close(deadline=clock, actor=actor)
    for forward in complaint.forwards.filter(answered_at__isnull=True):
        if clock := Deadline.objects.for_object(forward).open().first():
            deadline_close(deadline=clock, actor=actor, met=False)
    event = _event(
        complaint,
        actor=actor,
        action="closed",
        public=True,
        message=outcome_text,
        data={"outcome": outcome},
    )
    _notify(complaint, "closed", event)
    return complaint


@transaction.atomic
def complaint_note(*, complaint: Complaint, actor, message: str, public: bool) -> CaseEvent:
    complaint = _lock(complaint)
    _check(actor, complaint, "note")
    return _event(
        complaint,
        actor=actor,
        action="public_update" if public else "internal_note",
        public=public,
        message=message,
    )


EXCLUDING_CLOCKS = {
    Complaint.Kind.COMPLAINT: MEDIATION_CLOCK,
    Complaint.Kind.REPORT: DECISION_CLOCK[Complaint.Kind.REPORT],
}


@transaction.atomic
def complaint_exclude_period(
    *, complaint: Complaint, actor, kind: str, starts_on: date, ends_on: date, reason: str
) -> Complaint:
    """Record a testing, inspection, quarantine or appraisal period that does not count
    on the case's clock (mediation of a complaint, verification of a report), as its
    rule set allows: the due date moves by the period's days, on the timeline."""
    complaint = _lock(complaint)
    _check(actor, complaint, "exclude_period")
    clock = _running(complaint, EXCLUDING_CLOCKS[complaint.kind])
    if clock is None:
        raise ComplaintError(_("No time limit of this case is running."), code="no_clock")
    old = clock.due_on
    exclusion = deadline_exclude(
        deadline=clock, kind=kind, starts_on=starts_on, ends_on=ends_on, reason=reason, actor=actor
    )
    clock.refresh_from_db()
    _event(
        complaint,
        actor=actor,
        action="period_excluded",
        public=True,
        message=gettext_lazy(
            "%(kind)s time from %(from)s to %(to)s does not count (%(source)s): the time limit "
            "moved from %(old)s to %(new)s."
        ),
        params={
            "kind": i18n.in_each_language(lambda: exclusion.kind_label.capitalize()),
            "from": starts_on.isoformat(),
            "to": ends_on.isoformat(),
            "source": i18n.in_each_language(lambda: _clock_rule(complaint, clock).source_label),
            "old": old.isoformat(),
            "new": clock.due_on.isoformat(),
        },
        data={"kind": kind, "days": exclusion.days, "reason": reason},
    )
    _event(complaint, actor=actor, action="exclusion_reason", public=False, message=reason)
    return complaint


def due_date_moved_record(*, deadline: Deadline, old_due_on: date, reason: str, actor) -> None:
    """Put a due date the kernel recomputed (a calendar year loaded, a calendar day
    changed) on the case's timeline with the old date and the new one; public for
    the consumer's own clocks (``complaints.apps`` connects it)."""
    subject = deadline.subject
    if isinstance(subject, PlatformForward):
        complaint, public = subject.complaint, False
    elif isinstance(subject, Complaint):
        complaint, public = subject, True
    else:
        return
    _event(
        complaint,
        actor=actor,
        action="due_date_moved",
        public=public,
        message=gettext_lazy(
            "The time limit “%(clock)s” moved from %(old)s to %(new)s: %(reason)s"
        ),
        params={
            "clock": i18n.in_each_language(
                lambda: clock_label(deadline.clock, deadline.rule_set_id)
            ),
            "old": old_due_on.isoformat(),
            "new": deadline.due_on.isoformat(),
            "reason": reason,
        },
        data={
            "clock": deadline.clock,
            "old": old_due_on.isoformat(),
            "new": deadline.due_on.isoformat(),
        },
    )


@transaction.atomic
def complaint_merge(*, duplicate: Complaint, actor) -> Complaint:
    """Merge a flagged duplicate into the case it duplicates (supervisor)."""
    duplicate = _lock(duplicate)
    _check(actor, duplicate, "merge")
    original = _lock(duplicate.possible_duplicate_of)
    if original.department_id != duplicate.department_id:
        raise ComplaintError(
            _("Both cases must be with the same department to be merged."), code="merge_scope"
        )
    _move(duplicate, S.MERGED)
    duplicate.merged_into = original
    duplicate.closed_at = timezone.now()
    duplicate.save(update_fields=["status", "merged_into", "closed_at"])
    Evidence.objects.filter(complaint=duplicate).update(complaint=original)
    for clock in Deadline.objects.for_object(duplicate).open():
        deadline_close(deadline=clock, actor=actor, met=False)
    _event(
        duplicate,
        actor=actor,
        action="merged",
        public=True,
        message=gettext_lazy("Merged into case %(code)s, which handles the same matter."),
        params={"code": original.tracking_code},
    )
    _event(
        original,
        actor=actor,
        action="merged_in",
        public=False,
        message=gettext_lazy("Case %(code)s was merged into this one."),
        params={"code": duplicate.tracking_code},
    )
    return original


@transaction.atomic
def complaint_rate(*, complaint: Complaint, rating: int, comment: str) -> Complaint:
    """The consumer rates the handling of a finished case, once."""
    complaint = _lock(complaint)
    if complaint.status not in {S.CLOSED, S.DECLINED, S.CASE_OPENED, S.NOT_OPENED}:
        raise Conflict(_("You can rate the handling once the case is finished."), code="open")
    if complaint.rated_at:
        raise Conflict(_("You have already rated this case."), code="rated")
    if not 1 <= rating <= 5:
        raise ComplaintError(_("Give a rating from 1 to 5."), code="rating")
    complaint.rating, complaint.rating_comment = rating, comment
    complaint.rated_at = timezone.now()
    complaint.save(update_fields=["rating", "rating_comment", "rated_at"])
    _event(
        complaint,
        actor=None,
        action="rated",
        public=True,
        message=gettext_lazy("Rated %(n)s of 5."),
        params={"n": rating},
        data={"rating": rating, "comment": comment},
    )
    return complaint
