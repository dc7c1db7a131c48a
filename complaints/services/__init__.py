"""Every action that moves a complaint or report.

Plain functions, keyword-only arguments, one transaction each; each checks
the move against the transition table and the actor against
``permissions.allowed_actions``, writes a timeline event (public or internal)
and an audit event, and starts or stops the legal clocks:

- accept or decline a complaint, conclude mediation, verify a report, the
  platform's answer to a forwarded case: each clock, its length and unit, what
  stops it, what does not count and who may extend it come from the rule set
  the case is pinned to (``portal.rules``): the set in force on the day of
  receipt (Asia/Shanghai), kept to the end whatever set comes later.

Platform disposal filings (``filings``) and notices to platforms (``notices``)
are modules of this package, re-exported at its end.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Department
from portal import i18n
from portal.audit import actor_label, actor_user, audit_event
from portal.errors import Conflict, DomainError, NotAllowed
from portal.models import AuditEvent, Deadline, RuleClock, RuleGround, RuleSet
from portal.rules import (
    clock_due,
    clock_label,
    clock_of,
    ground_of,
    grounds_of,
    rule_set_for,
    rule_set_get,
)
from portal.services import (
    APPROVER_PERMISSION,
    deadline_close,
    deadline_exclude,
    deadline_extend,
    deadline_new,
    deadline_pause,
    deadline_resume,
    deadline_start,
    deadlines_claim_reminders,
    deadlines_mark_overdue_rows,
)
from portal.workdays import WorkingCalendar

from ..lookups import region_by_code
from ..models import (
    CaseEvent,
    Complaint,
    Evidence,
    MaterialRequest,
    PlatformForward,
)
from ..permissions import allowed_actions
from ..routing import OperatorPlaces, RoutingBasis, route_case
from .intake_sql import earlier_case_id, insert_case_rows, live_room_place

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
DUPLICATE_WINDOW_DAYS = 30


class ComplaintError(DomainError):
    """A workflow rule refused the action."""


def _move(complaint: Complaint, target: str) -> None:
    moves = COMPLAINT_MOVES if complaint.kind == Complaint.Kind.COMPLAINT else REPORT_MOVES
    if target not in moves.get(complaint.status, set()):
        raise Conflict(
            _("A case that is “%(state)s” cannot become “%(target)s”.")
            % {"state": complaint.get_status_display(), "target": S(target).label},
            code="invalid_transition",
        )
    complaint.status = target


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


# --- intake -----------------------------------------------------------------


@dataclass
class Intake:
    """What a consumer sends: the fields of the public form and API."""

    kind: str
    category: object
    description: str
    consumer_region: object
    platform: object = None
    platform_other: str = ""
    live_room_account: str = ""
    live_room_name: str = ""
    live_room_url: str = ""
    marketer_name: str = ""
    occurred_on: date | None = None
    order_number: str = ""
    amount: object = None
    anonymous: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    language: str = "zh-hans"
    evidence: list = field(default_factory=list)


def normalise_phone(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[-11:] if len(digits) > 11 and digits.startswith("86") else digits


@dataclass(frozen=True)
class Submission:
    """A filed case and the clock of its decision (what the consumer is told)."""

    complaint: Complaint
    decision_clock: Deadline


@dataclass(frozen=True)
class _Draft:
    """A routed, validated case with its clock, timeline line and audit, unsaved."""

    complaint: Complaint
    clock: Deadline
    event: CaseEvent
    audit: list


def complaint_submit(*, intake: Intake, actor=None) -> Complaint:
    """File a complaint or report from the public form or API and route it."""
    return submission_create(intake=intake, actor=actor).complaint


def submission_create(*, intake: Intake, actor=None) -> Submission:
    """As :func:`complaint_submit`, also returning the decision clock it started.

    The reads (live room, possible duplicate) come first, then the writes in one
    transaction. On PostgreSQL a case that brings no evidence and is owed no
    email (the consumer gave none) has a single write, atomic by itself, so it
    goes without a transaction around it (no BEGIN and COMMIT round trips)."""
    draft = _draft(intake=intake, actor=actor)
    complaint = draft.complaint
    if connection.vendor == "postgresql" and not intake.evidence and not complaint.contact_email:
        insert_case_rows(
            complaint=complaint, clock=draft.clock, event=draft.event, audit=draft.audit
        )
        return Submission(complaint=complaint, decision_clock=draft.clock)
    with transaction.atomic():
        insert_case_rows(
            complaint=complaint, clock=draft.clock, event=draft.event, audit=draft.audit
        )
        if intake.evidence:
            Evidence.objects.filter(pk__in=[e.pk for e in intake.evidence], complaint=None).update(
                complaint=complaint
            )
        _notify(complaint, "received", draft.event, due=draft.clock)
    return Submission(complaint=complaint, decision_clock=draft.clock)


def _draft(*, intake: Intake, actor) -> _Draft:
    """Route the case (Order 117 Art. 47), flag a possible duplicate, and prepare the
    decision clock, the timeline line and the audit events: two reads, the
    reference rows coming from the per-process cache."""
    account = intake.live_room_account.strip()
    room_id, operator = None, None
    place = None
    if intake.platform is not None and account:
        place = live_room_place(platform_id=intake.platform.pk, account_id=account)
    if place is not None:
        room_id, business_region, domicile, registered = place
        # The operator's places (Art. 47), from the per-process region cache.
        if business_region or domicile or registered is not None:
            operator = OperatorPlaces(
                business_region=region_by_code(business_region) if business_region else None,
                domicile=region_by_code(domicile) if domicile else None,
                registered_entity=bool(registered),
            )
    route = route_case(
        category=intake.category,
        platform=intake.platform,
        operator=operator,
        consumer_region=intake.consumer_region,
    )
    # The case is handled under the rules in force on the day it is received.
    rule_set = rule_set_for(RuleSet.Matter.COMPLAINT, _today())
    complaint = Complaint(
        rule_set=rule_set,
        kind=intake.kind,
        category=intake.category,
        platform=intake.platform,
        platform_other=intake.platform_other,
        live_room_id=room_id,
        live_room_account=account,
        live_room_name=intake.live_room_name,
        live_room_url=intake.live_room_url,
        marketer_name=intake.marketer_name,
        occurred_on=intake.occurred_on,
        order_number=intake.order_number,
        amount=intake.amount,
        description=intake.description,
        consumer_region=intake.consumer_region,
        anonymous=intake.anonymous and intake.kind == Complaint.Kind.REPORT,
        contact_name=intake.contact_name,
        contact_phone=normalise_phone(intake.contact_phone),
        contact_email=intake.contact_email.strip().lower(),
        language=intake.language,
        department=route.department,
        region=route.region,
        routing_basis=route.basis,
        in_triage=route.triage,
    )
    if complaint.anonymous:
        from ..models import new_access_key

        complaint.contact_name = complaint.contact_phone = complaint.contact_email = ""
        complaint.access_key = new_access_key()
    # The related rows were loaded by the caller and the router: validate the
    # fields, not again that each foreign key exists (the database does that).
    complaint.full_clean(
        exclude=[
            "category",
            "platform",
            "live_room",
            "consumer_region",
            "department",
            "region",
            "rule_set",
        ],
        validate_unique=False,
    )
    # Looked up before the insert, so that the case is written once with its flag.
    complaint.possible_duplicate_of_id = earlier_case_id(
        phone=complaint.contact_phone,
        email=complaint.contact_email,
        live_room_id=room_id,
        platform_id=complaint.platform_id,
        account=complaint.live_room_account,
        since=timezone.now() - timedelta(days=DUPLICATE_WINDOW_DAYS),
    )
    clock, started = deadline_new(
        subject=complaint,
        clock=DECISION_CLOCK[complaint.kind],
        started_on=_today(),
        actor=actor,
        department=complaint.department,
        rule_set=rule_set,
    )
    event, received = _event_new(
        complaint,
        actor=actor,
        action="received",
        public=True,
        message=gettext_lazy("Received and sent to %(department)s."),
        params={"department": complaint.department},
        data={"basis": route.basis, "triage": route.triage},
    )
    return _Draft(complaint=complaint, clock=clock, event=event, audit=[started, received])


def store_evidence(*, upload, actor=None) -> Evidence:
    """Keep one checked upload (see ``uploads.check_upload``) until a case claims it."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = Evidence(
        original_name=upload.name[:200],
        content_type=upload.checked_content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor_user(actor),
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    return evidence


# --- staff actions ---------------------------------------------------------


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
    _event(
        complaint,
        actor=actor,
        action="assigned",
        public=False,
        message=gettext_lazy("Assigned to %(name)s."),
        params={"name": assignee.get_full_name() or assignee},
    )
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
def complaint_forward(
    *, complaint: Complaint, actor, message: str, working_days: int | None = None
) -> PlatformForward:
    """Forward to the platform for its handling, with the date its answer is due."""
    complaint = _lock(complaint)
    _check(actor, complaint, "forward")
    if complaint.platform is None:
        raise ComplaintError(
            _("The case names no platform on record to forward it to."), code="no_platform"
        )
    _move(complaint, S.FORWARDED)
    complaint.save(update_fields=["status"])
    rule = clock_of(case_rule_set(complaint), PLATFORM_CLOCK, department=complaint.department)
    days = working_days or rule.days
    due = clock_due(_today(), days, rule.unit)
    forward = PlatformForward.objects.create(
        complaint=complaint,
        platform=complaint.platform,
        forwarded_by=actor,
        message=message,
        due_on=due.on,
    )
    deadline_start(
        subject=forward,
        clock=PLATFORM_CLOCK,
        started_on=_today(),
        actor=actor,
        department=complaint.department,
        working_days=days,
        rule_set=case_rule_set(complaint),
    )
    _event(
        complaint,
        actor=actor,
        action="forwarded",
        public=True,
        message=gettext_lazy("Forwarded to %(platform)s for its handling; answer due %(due)s."),
        params={"platform": complaint.platform, "due": due.on.isoformat()},
        data={"days": days},
    )
    return forward


@transaction.atomic
def forward_answer(
    *, forward: PlatformForward, actor, answer: str, files: Sequence[Evidence] = ()
) -> PlatformForward:
    """The platform's answer, with files kept by :func:`store_evidence`; the case
    returns to its handler. An answer sent with an API key records the key's name."""
    forward = PlatformForward.objects.select_for_update().get(pk=forward.pk)
    if actor.platform_id != forward.platform_id or not actor.has_perm(
        "accounts.answer_platform_requests"
    ):
        raise NotAllowed(_("Only the platform this case was forwarded to may answer."))
    if forward.answered_at:
        raise Conflict(_("This forwarded case has already been answered."), code="answered")
    forward.answer, forward.answered_at = answer, timezone.now()
    forward.answered_by = actor_user(actor)
    forward.answered_by_label = actor_label(actor)
    forward.save(update_fields=["answer", "answered_at", "answered_by", "answered_by_label"])
    Evidence.objects.filter(pk__in=[f.pk for f in files], complaint=None).update(
        complaint=forward.complaint_id, forward=forward
    )
    if clock := Deadline.objects.for_object(forward).open().first():
        deadline_close(deadline=clock, actor=actor)
    complaint = _lock(forward.complaint)
    if complaint.status == S.FORWARDED:
        _move(complaint, S.ACCEPTED)
        complaint.save(update_fields=["status"])
    _event(
        complaint,
        actor=actor,
        action="platform_answered",
        public=True,
        message=answer,
        data={
            "platform": forward.platform_id,
            "late": forward.due_on < _today(),
            "files": len(files),
        },
    )
    return forward


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


@transaction.atomic
def report_request_extension(*, complaint: Complaint, actor, reason: str) -> Complaint:
    complaint = _lock(complaint)
    _check(actor, complaint, "request_extension")
    complaint.extension_state = "requested"
    complaint.save(update_fields=["extension_state"])
    _event(complaint, actor=actor, action="extension_requested", public=False, message=reason)
    return complaint


@transaction.atomic
def report_decide_extension(
    *, complaint: Complaint, actor, approve: bool, message: str = ""
) -> Complaint:
    """Approve or refuse the extension of the report's verification clock; only the
    role its rule set names decides (penalty procedure rules Art. 18: the head)."""
    complaint = _lock(complaint)
    clock = _running(complaint, DECISION_CLOCK[complaint.kind])
    rule = _clock_rule(complaint, clock) if clock is not None else None
    permission = APPROVER_PERMISSION.get(rule.extension_approver) if rule else None
    if permission and not actor.has_perm(permission):
        raise NotAllowed(
            _("Under %(source)s, the extension is decided by %(role)s.")
            % {
                "source": rule.source_label,
                "role": RuleClock.Approver(rule.extension_approver).label,
            },
            code="approver",
        )
    _check(actor, complaint, "approve_extension")
    old_due = clock.due_on if clock is not None else None
    if approve and clock is not None:
        deadline_extend(deadline=clock, actor=actor, reason=message)
        clock.refresh_from_db()
    complaint.extension_state = "approved" if approve else ""
    complaint.save(update_fields=["extension_state"])
    _event(
        complaint,
        actor=actor,
        action="extension_approved" if approve else "extension_refused",
        public=approve,
        message=message
        or (
            gettext_lazy(
                "The time limit for the decision was extended from %(old)s to %(new)s (%(source)s)."
            )
            if approve
            else gettext_lazy("Extension refused.")
        ),
        params={
            "old": old_due.isoformat() if old_due else "—",
            "new": clock.due_on.isoformat() if clock is not None else "—",
            "source": (
                {"zh-hans": rule.source, "en": rule.source_en or rule.source}
                if rule is not None
                else (clock.source if clock is not None else "")
            ),
        },
    )
    return complaint


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


def _clock_rule(complaint: Complaint, clock: Deadline):
    """The rule of a running clock of the case, from the set it came from."""
    rule_set = rule_set_get(clock.rule_set_id) if clock.rule_set_id else case_rule_set(complaint)
    return clock_of(rule_set, clock.clock)


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
def report_decide(*, complaint: Complaint, actor, open_case: bool, message: str) -> Complaint:
    """Decide on a report; a named reporter is told the decision."""
    complaint = _lock(complaint)
    _check(actor, complaint, "decide_report")
    target = S.CASE_OPENED if open_case else S.NOT_OPENED
    _move(complaint, target)
    complaint.outcome = "case_opened" if open_case else "not_opened"
    complaint.outcome_text = message
    complaint.decided_at = complaint.closed_at = timezone.now()
    complaint.save()
    for clock in Deadline.objects.for_object(complaint).open():
        deadline_close(deadline=clock, actor=actor)
    event = _event(
        complaint,
        actor=actor,
        action="report_decided",
        public=True,
        message=message,
        data={"open_case": open_case},
    )
    if not complaint.anonymous:
        _notify(complaint, "report_decided", event)
    return complaint


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


# --- the periodic sweep ----------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    reminded: int
    overdue: int


REMIND_WORKING_DAYS = 2


@transaction.atomic
def complaints_sweep(*, today: date) -> SweepResult:
    """Remind assignees 2 working days before a due date, mark what is overdue and
    tell the supervisors. Set-wise and idempotent: each reminder once
    (``reminder_sent_at``), each overdue notice once (``overdue_since``)."""
    from ..notifications import digests_notify

    soon = WorkingCalendar().add_working_days(today, REMIND_WORKING_DAYS)
    complaint_type = ContentType.objects.get_for_model(Complaint)
    forward_type = ContentType.objects.get_for_model(PlatformForward)

    def as_rows(claimed) -> list[tuple]:
        return [(ct == complaint_type.pk, oid, clock, due) for _pk, ct, oid, clock, due in claimed]

    due_soon = deadlines_claim_reminders(
        today=today, until=soon, content_types=[complaint_type, forward_type]
    )
    newly_overdue = deadlines_mark_overdue_rows(
        today=today, content_types=[complaint_type, forward_type]
    )
    # The emails are recorded in this transaction and go out from a worker after
    # commit, once each: the sweep's marks and the messages cannot part ways.
    digests_notify(as_rows(due_soon), overdue=False, today=today)
    digests_notify(as_rows(newly_overdue), overdue=True, today=today)
    return SweepResult(reminded=len(due_soon), overdue=len(newly_overdue))
