"""Every action that changes the blacklist.

Plain functions, keyword-only arguments, the acting user as ``actor``, one
transaction each, ``full_clean()`` before save and an audit event in the same
transaction. An entry moves only along :data:`TRANSITIONS`; asking for the
state it is already in does nothing, any other move raises ``Conflict``.
Each move appends an :class:`~blacklist.models.EntryState` row (actor,
reason, time) and points ``Entry.current`` at it: nothing is overwritten.

``actor`` is a :class:`accounts.models.User`, an API-key caller
(:class:`accounts.authentication.PlatformKeyUser`, recorded by its label) or
``None`` for the periodic sweep.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection, connections, transaction
from django.db.models import Q
from django.db.models.base import ModelState
from django.db.models.sql.constants import MULTI
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, Platform, User
from portal.audit import audit_event, audit_record
from portal.errors import Conflict, DomainError, NotAllowed
from portal.freetext import seal_text
from portal.identity import identity_hash, mask_name, mask_ric, validate_ric, validate_uscc
from portal.models import AuditEvent, Deadline, RuleSet
from portal.rules import rule_set_for
from portal.services import deadline_close, deadline_start
from portal.sql import among
from registry.models import Agency, Marketer, Operator, PartyKind, Supplier, ViolationCategory

from .models import (
    ACTIVE_STATUSES,
    Entry,
    EntryNameKey,
    EntryState,
    ListKind,
    Measure,
    MeasureImplementation,
    PlatformAppeal,
    RepairApplication,
    ScreeningLog,
    ScreeningLogDepartment,
    ShareScope,
    Statement,
    Status,
)
from .screening import (
    HIT_THRESHOLD,
    NameScore,
    entry_keys_for,
    name_form_text,
    normalise,
    query_keys,
    score_names,
    stored_form,
)

STATEMENT_CLOCK = "blacklist-statement"
REPAIR_CLOCK = "credit-repair-decision"
DEFAULT_TERM_MONTHS = 36  # SAMR serious-dishonesty list rules (2021) Art. 22: three years
REPAIR_AFTER_MONTHS = 12  # same rules, Art. 18: early removal after one year on the list

# The one table of allowed moves. "" is an entry not yet created.
TRANSITIONS: dict[str, set[str]] = {
    "": {Status.PROPOSED, Status.LISTED},
    Status.PROPOSED: {Status.NOTIFIED, Status.DROPPED},
    Status.NOTIFIED: {Status.HEARD, Status.LISTED, Status.DROPPED},
    Status.HEARD: {Status.LISTED, Status.DROPPED},
    Status.LISTED: {Status.REPAIR_PENDING, Status.EXPIRED, Status.REVOKED},
    # An application is accepted before it is decided: the decision clock runs from
    # acceptance (Order 107; the 2021 measures likewise).
    Status.REPAIR_PENDING: {Status.REPAIR_ACCEPTED, Status.EXPIRED, Status.REVOKED},
    Status.REPAIR_ACCEPTED: {Status.LISTED, Status.REPAIRED, Status.EXPIRED, Status.REVOKED},
    Status.DROPPED: set(),
    Status.EXPIRED: set(),
    Status.REPAIRED: set(),
    Status.REVOKED: set(),
}


# --- helpers -------------------------------------------------------------------


def _user(actor) -> User | None:
    """The user row to record (an API-key caller has none: its label is kept instead)."""
    return actor if isinstance(actor, User) else None


def _label(actor) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, User):
        return actor.get_full_name() or actor.username
    return str(actor)[:200]


def _require(actor, perm: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise NotAllowed(_("Your role may not do this."), code="permission")


def _require_lister_department(actor, entry: Entry) -> None:
    if entry.list != ListKind.DEPARTMENTS:
        raise Conflict(_("This action applies to the departments' list only."))
    if getattr(actor, "department_id", None) != entry.department_id:
        raise NotAllowed(
            _("Only the listing department may do this."), code="not_lister", status=403
        )


def _require_lister_platform(actor, entry: Entry) -> None:
    if entry.list != ListKind.PLATFORMS:
        raise Conflict(_("This action applies to the platforms' shared blacklist only."))
    if getattr(actor, "platform_id", None) != entry.platform_id:
        raise NotAllowed(_("Only the listing platform may do this."), code="not_lister")


def _lock(entry: Entry) -> Entry:
    return (
        Entry.objects.select_for_update(of=("self",))
        .select_related("current", "department", "platform", "category")
        .get(pk=entry.pk)
    )


def _may_move(entry: Entry, target: str) -> bool:
    """False when the entry is already there (a no-op); Conflict when the move is not allowed."""
    current = entry.status
    if current == target:
        return False
    if target not in TRANSITIONS[current]:
        raise Conflict(
            _("An entry that is “%(state)s” cannot become “%(target)s”.")
            % {"state": Status(current).label if current else "—", "target": Status(target).label}
        )
    return True


def _append_state(
    entry: Entry, status: str, *, actor, reason: str = "", data: dict | None = None
) -> EntryState:
    state = EntryState(
        entry=entry,
        status=status,
        actor=_user(actor),
        actor_label=_label(actor),
        reason=reason,
        data=data or {},
    )
    state.full_clean()
    state.save()
    entry.current = state
    entry.save(update_fields=["current"])
    audit_record(
        actor=_user(actor),
        action=f"blacklist.{status}",
        subject=entry,
        reason=reason,
        data={"list": entry.list, "by": _label(actor), **(data or {})},
    )
    return state


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def _open_deadline(subject, clock: str) -> Deadline | None:
    return Deadline.objects.for_object(subject).open().filter(clock=clock).first()


def _write_name_keys(entry: Entry) -> None:
    EntryNameKey.objects.bulk_create(
        EntryNameKey(entry=entry, key=key) for key in sorted(entry_keys_for(entry.name))
    )


def _share_region_path(department: Department, scope: str) -> str:
    """The province path an entry is shared in; empty for every department."""
    if scope != ShareScope.PROVINCE:
        return ""
    parts = [p for p in department.region.path.split("/") if p]
    # /national/province/…: the province is the second code (a national lister has none).
    return "/" + "/".join(parts[:2]) + "/" if len(parts) >= 2 else ""


def _assign_reference(entry: Entry) -> None:
    prefix = "D" if entry.list == ListKind.DEPARTMENTS else "P"
    entry.reference = f"{prefix}{timezone.localdate():%Y}{entry.pk:07d}"
    entry.save(update_fields=["reference"])


@dataclass(frozen=True)
class PartyIdentity:
    kind: str
    name: str
    id_number_hash: str = ""
    id_number_masked: str = ""
    uscc: str = ""


def party_identity(party) -> PartyIdentity:
    """The identifiers an entry copies from a register party."""
    if isinstance(party, Marketer):
        kind = PartyKind.PERSON
    elif isinstance(party, Operator):
        kind = party.kind
    elif isinstance(party, Agency):
        kind = PartyKind.ORGANISATION
    elif isinstance(party, Supplier):
        kind = PartyKind.ORGANISATION if party.uscc else PartyKind.PERSON
    else:
        raise DomainError(_("Choose a party of the register."))
    return PartyIdentity(
        kind=kind,
        name=party.name,
        id_number_hash=getattr(party, "id_number_hash", ""),
        id_number_masked=getattr(party, "id_number_masked", ""),
        uscc=getattr(party, "uscc", ""),
    )


def masked_name(name: str, kind: str) -> str:
    """Personal names are masked (张*); organisations' names are public credit data."""
    if kind == PartyKind.ORGANISATION:
        return name
    return mask_name(name)


def _new_entry(*, identity: PartyIdentity, party, **fields) -> Entry:
    entry = Entry(
        reference=f"tmp-{timezone.now():%H%M%S%f}",
        party_kind=identity.kind,
        name=identity.name.strip(),
        name_masked=masked_name(identity.name.strip(), identity.kind),
        id_number_hash=identity.id_number_hash,
        id_number_masked=identity.id_number_masked,
        uscc=identity.uscc,
        **fields,
    )
    if party is not None:
        entry.party_type = ContentType.objects.get_for_model(party)
        entry.party_id = party.pk
    entry.full_clean(exclude=["reference"])
    entry.save()
    _assign_reference(entry)
    _write_name_keys(entry)
    return entry


# --- the departments' list: listing with due process ------------------------------


@transaction.atomic
def entry_propose(
    *,
    actor,
    party,
    category: ViolationCategory,
    facts: str,
    legal_basis: str,
    decision_number: str,
    decision_date: date,
    decision_document=None,
    term_months: int = DEFAULT_TERM_MONTHS,
    measures: Iterable[Measure] = (),
    share_scope: str = ShareScope.ALL,
) -> Entry:
    """A department proposes listing a register party (Trial Art. 29; Order 117 Art. 51).

    The entry copies the party's identifiers (name, keyed hash of the ID
    number, USCC) and indexes the name for screening.
    """
    _require(actor, "blacklist.propose_entry")
    department = getattr(actor, "department", None)
    if department is None:
        raise NotAllowed(_("Only department staff propose entries."))
    entry = _new_entry(
        identity=party_identity(party),
        party=party,
        list=ListKind.DEPARTMENTS,
        department=department,
        share_scope=share_scope,
        share_region_path=_share_region_path(department, share_scope),
        category=category,
        facts=facts.strip(),
        legal_basis=legal_basis.strip(),
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        decision_document=decision_document or "",
        term_months=term_months,
        created_by=_user(actor),
    )
    entry.proposed_measures.set(measures)
    _may_move(entry, Status.PROPOSED)
    _append_state(
        entry,
        Status.PROPOSED,
        actor=actor,
        data={"category": category.code, "term_months": term_months},
    )
    return entry


@transaction.atomic
def entry_notify(
    *, actor, entry: Entry, notified_on: date | None = None, working_days: int | None = None
) -> Entry:
    """Serve the notice (告知书) and start the party's statement window.

    The entry is pinned to the listing rule set in force on the day of the notice
    and keeps it; the window is that set's ``blacklist-statement`` clock, a length
    the rules leave to the department (its own length, or ``working_days``)."""
    _require(actor, "blacklist.propose_entry")
    entry = _lock(entry)
    _require_lister_department(actor, entry)
    if not _may_move(entry, Status.NOTIFIED):
        return entry
    notified_on = notified_on or timezone.localdate()
    rule_set = rule_set_for(RuleSet.Matter.LISTING, notified_on)
    deadline = deadline_start(
        subject=entry,
        clock=STATEMENT_CLOCK,
        started_on=notified_on,
        actor=_user(actor),
        department=entry.department,
        working_days=working_days,
        rule_set=rule_set,
    )
    entry.rule_set = rule_set
    entry.save(update_fields=["rule_set"])
    _append_state(
        entry,
        Status.NOTIFIED,
        actor=actor,
        data={
            "notified_on": notified_on.isoformat(),
            "statement_due_on": deadline.due_on.isoformat(),
            "working_days": deadline.working_days,
            "provisional": deadline.provisional,
            "rule_set": rule_set.code,
            "rule_set_version": rule_set.version,
        },
    )
    return entry


@transaction.atomic
def entry_record_statement(
    *,
    actor,
    entry: Entry,
    received_on: date,
    text: str,
    hearing_requested: bool = False,
) -> Entry:
    """Record the party's statement or objection; the window's clock is met."""
    _require(actor, "blacklist.propose_entry")
    entry = _lock(entry)
    _require_lister_department(actor, entry)
    if not _may_move(entry, Status.HEARD):
        return entry
    statement = Statement(
        entry=entry,
        received_on=received_on,
        text=text.strip(),
        hearing_requested=hearing_requested,
        recorded_by=_user(actor),
    )
    statement.full_clean()
    statement.save()
    deadline = _open_deadline(entry, STATEMENT_CLOCK)
    if deadline is not None:
        deadline_close(deadline=deadline, actor=_user(actor), met=True)
    _append_state(
        entry,
        Status.HEARD,
        actor=actor,
        data={"received_on": received_on.isoformat(), "hearing_requested": hearing_requested},
    )
    return entry


@transaction.atomic
def entry_decide(
    *, actor, entry: Entry, list_entry: bool, reason: str, decided_on: date | None = None
) -> Entry:
    """A supervisor lists the party (决定书) or drops the proposal.

    Listing needs the notice served and either the party's statement recorded
    or the statement window over: the party is heard before it is listed.
    """
    _require(actor, "blacklist.decide_entry")
    entry = _lock(entry)
    _require_lister_department(actor, entry)
    target = Status.LISTED if list_entry else Status.DROPPED
    if not _may_move(entry, target):
        return entry
    if not reason.strip():
        raise DomainError(_("Give the reasons of the decision."), code="reason")
    decided_on = decided_on or timezone.localdate()
    deadline = _open_deadline(entry, STATEMENT_CLOCK)
    window_open = deadline is not None and decided_on <= deadline.due_on
    if list_entry and entry.status == Status.NOTIFIED and window_open:
        raise Conflict(
            _(
                "The party may make a statement until %(due)s: decide after that day or "
                "once the statement is recorded."
            )
            % {"due": deadline.due_on.isoformat()},
            code="statement_window",
        )
    if deadline is not None:
        deadline_close(deadline=deadline, actor=_user(actor), met=list_entry)
    data = {"decided_on": decided_on.isoformat()}
    if list_entry:
        entry.listed_on = decided_on
        entry.term_ends_on = _add_months(decided_on, entry.term_months or DEFAULT_TERM_MONTHS)
        entry.full_clean(exclude=["reference"])
        entry.save(update_fields=["listed_on", "term_ends_on"])
        data["term_ends_on"] = entry.term_ends_on.isoformat()
    _append_state(entry, target, actor=actor, reason=reason.strip(), data=data)
    return entry


@transaction.atomic
def entry_expire_due(*, today: date) -> int:
    """The periodic sweep: every listed entry whose term has ended leaves the list.

    Set-wise and idempotent: the rows are locked, each gets one ``expired``
    state row; a second run finds nothing left to expire.
    """
    entries = list(
        Entry.objects.select_for_update(of=("self",)).due_to_expire(today).order_by("pk")
    )
    if not entries:
        return 0
    states = EntryState.objects.bulk_create(
        EntryState(
            entry=entry,
            status=Status.EXPIRED,
            actor_label="system",
            reason=_("Term ended on %(day)s.") % {"day": entry.term_ends_on.isoformat()},
            data={"term_ends_on": entry.term_ends_on.isoformat()},
        )
        for entry in entries
    )
    for entry, state in zip(entries, states, strict=True):
        entry.current = state
    Entry.objects.bulk_update(entries, ["current"])
    _repairs_moot([entry.pk for entry in entries], reason=_("The term ended."))
    content_type = ContentType.objects.get_for_model(Entry)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action=f"blacklist.{Status.EXPIRED}",
            content_type=content_type,
            object_id=str(entry.pk),
            object_repr=str(entry)[:200],
            data={"list": entry.list, "term_ends_on": entry.term_ends_on.isoformat()},
        )
        for entry in entries
    )
    return len(entries)


def _repairs_moot(entry_ids: list[int], *, reason: str) -> None:
    """Close the pending repair applications (and their clocks) of entries that left the
    list otherwise. Runs inside the caller's transaction."""
    pending = RepairApplication.objects.filter(
        entry_id__in=entry_ids, outcome=RepairApplication.Outcome.PENDING
    )
    application_ids = [str(pk) for pk in pending.values_list("pk", flat=True)]
    if not application_ids:
        return
    Deadline.objects.open().filter(
        content_type=ContentType.objects.get_for_model(RepairApplication),
        object_id__in=application_ids,
    ).update(state=Deadline.State.CANCELLED, closed_at=timezone.now())
    decision_reason, decision_reason_sealed = seal_text(reason)  # update() calls no pre_save
    pending.update(
        outcome=RepairApplication.Outcome.MOOT,
        decision_reason=decision_reason,
        decision_reason_sealed=decision_reason_sealed,
        decided_on=timezone.localdate(),
    )


@transaction.atomic
def entry_repair_apply(*, actor, entry: Entry, applied_on: date, grounds: str) -> RepairApplication:
    """Record the party's application for early removal (credit repair), possible after one
    year on the list (SAMR serious-dishonesty list rules (2021) Art. 18). No clock runs
    yet: the decision clock starts when the department accepts the application
    (:func:`entry_repair_accept`)."""
    _require(actor, "blacklist.propose_entry")
    entry = _lock(entry)
    _require_lister_department(actor, entry)
    pending = entry.repairs.filter(outcome=RepairApplication.Outcome.PENDING).first()
    if entry.status in (Status.REPAIR_PENDING, Status.REPAIR_ACCEPTED) and pending is not None:
        return pending
    _may_move(entry, Status.REPAIR_PENDING)
    earliest = _add_months(entry.listed_on, REPAIR_AFTER_MONTHS)
    if applied_on < earliest:
        raise DomainError(
            _(
                "Credit repair may be applied for after one year on the list: from "
                "%(day)s (SAMR serious-dishonesty list rules (2021) Art. 18)."
            )
            % {"day": earliest.isoformat()},
            code="too_early",
        )
    if applied_on > timezone.localdate():
        raise DomainError(_("The application cannot be dated in the future."), code="future")
    application = RepairApplication(
        entry=entry, applied_on=applied_on, grounds=grounds.strip(), recorded_by=_user(actor)
    )
    application.full_clean()
    application.save()
    _append_state(
        entry,
        Status.REPAIR_PENDING,
        actor=actor,
        reason=grounds.strip(),
        data={"application": application.pk, "applied_on": applied_on.isoformat()},
    )
    return application


@transaction.atomic
def entry_repair_accept(
    *, actor, application: RepairApplication, accepted_on: date | None = None
) -> RepairApplication:
    """The department accepts a credit repair application (受理).

    The application is pinned to the credit repair rule set in force on the day of
    acceptance, whose decision clock starts that day: 7 working days under Order 107
    (accepted from 2025-12-25), 15 under the 2021 measures. Accepting it again does
    nothing."""
    _require(actor, "blacklist.propose_entry")
    entry = _lock(application.entry)
    _require_lister_department(actor, entry)
    application = RepairApplication.objects.select_for_update().get(pk=application.pk)
    if application.is_accepted:
        return application
    if application.outcome != RepairApplication.Outcome.PENDING:
        raise Conflict(_("This application has already been decided."), code="decided")
    _may_move(entry, Status.REPAIR_ACCEPTED)
    accepted_on = accepted_on or timezone.localdate()
    if accepted_on > timezone.localdate():
        raise ValidationError(
            {"accepted_on": [_("The application cannot be accepted on a future day.")]}
        )
    rule_set = rule_set_for(RuleSet.Matter.REPAIR, accepted_on)
    application.accepted_on = accepted_on
    application.accepted_by = _user(actor)
    application.rule_set = rule_set
    application.full_clean()
    application.save(update_fields=["accepted_on", "accepted_by", "rule_set"])
    deadline = deadline_start(
        subject=application,
        clock=REPAIR_CLOCK,
        started_on=accepted_on,
        actor=_user(actor),
        department=entry.department,
        rule_set=rule_set,
    )
    _append_state(
        entry,
        Status.REPAIR_ACCEPTED,
        actor=actor,
        data={
            "application": application.pk,
            "accepted_on": accepted_on.isoformat(),
            "decision_due_on": deadline.due_on.isoformat(),
            "rule_set": rule_set.code,
            "rule_set_version": rule_set.version,
        },
    )
    return application


@transaction.atomic
def entry_repair_decide(
    *,
    actor,
    application: RepairApplication,
    granted: bool,
    reason: str,
    decided_on: date | None = None,
) -> RepairApplication:
    """The department decides an accepted credit repair application: removed early, or
    stays listed."""
    _require(actor, "blacklist.decide_entry")
    entry = _lock(application.entry)
    _require_lister_department(actor, entry)
    application = RepairApplication.objects.select_for_update().get(pk=application.pk)
    outcome = RepairApplication.Outcome.GRANTED if granted else RepairApplication.Outcome.REFUSED
    if application.outcome == outcome:
        return application
    if application.outcome != RepairApplication.Outcome.PENDING:
        raise Conflict(_("This application has already been decided."))
    if not application.is_accepted:
        raise Conflict(
            _("Accept the application first: the decision follows its acceptance."),
            code="not_accepted",
        )
    target = Status.REPAIRED if granted else Status.LISTED
    _may_move(entry, target)
    if not reason.strip():
        raise DomainError(_("Give the reasons of the decision."), code="reason")
    decided_on = decided_on or timezone.localdate()
    if decided_on < application.accepted_on:
        raise DomainError(
            _("The decision cannot come before the acceptance (%(day)s).")
            % {"day": application.accepted_on.isoformat()},
            code="decided_on",
        )
    application.outcome = outcome
    application.decided_on = decided_on
    application.decision_reason = reason.strip()
    application.decided_by = _user(actor)
    application.full_clean()
    application.save()
    deadline = _open_deadline(application, REPAIR_CLOCK)
    if deadline is not None:
        deadline_close(deadline=deadline, actor=_user(actor), met=True)
    _append_state(
        entry,
        target,
        actor=actor,
        reason=reason.strip(),
        data={"application": application.pk, "outcome": outcome},
    )
    return application


@transaction.atomic
def entry_revoke(*, actor, entry: Entry, reason: str) -> Entry:
    """Remove a listed entry whose basis fell on review (administrative reconsideration,
    litigation, or the penalty decision withdrawn), or that its platform lifts."""
    entry = _lock(entry)
    if entry.list == ListKind.DEPARTMENTS:
        _require(actor, "blacklist.decide_entry")
        _require_lister_department(actor, entry)
    else:
        _require(actor, "blacklist.add_platform_entry")
        _require_lister_platform(actor, entry)
    if not _may_move(entry, Status.REVOKED):
        return entry
    if not reason.strip():
        raise DomainError(_("Give the reasons of the decision."), code="reason")
    _repairs_moot([entry.pk], reason=_("The listing was revoked."))
    _append_state(entry, Status.REVOKED, actor=actor, reason=reason.strip())
    return entry


# --- sharing and joint punishment ------------------------------------------------


@transaction.atomic
def measure_record(
    *,
    actor,
    entry: Entry,
    measures: Sequence[Measure],
    applied_on: date,
    note: str = "",
) -> list[MeasureImplementation]:
    """A department records the joint-punishment measures it applied to a listed entry
    (the feedback of Trial Art. 29). A measure already recorded by the department is
    left as it is."""
    _require(actor, "blacklist.record_measure")
    department = getattr(actor, "department", None)
    if department is None:
        raise NotAllowed(_("Only department staff record measures."))
    entry = _lock(entry)
    if entry.list != ListKind.DEPARTMENTS or entry.status not in ACTIVE_STATUSES:
        raise Conflict(_("Measures are recorded against listed entries of the departments' list."))
    if not measures:
        raise DomainError(_("Choose at least one measure."), code="measures")
    done = set(
        MeasureImplementation.objects.filter(entry=entry, department=department).values_list(
            "measure_id", flat=True
        )
    )
    created = []
    for measure in measures:
        if measure.pk in done:
            continue
        row = MeasureImplementation(
            entry=entry,
            department=department,
            measure=measure,
            applied_on=applied_on,
            note=note.strip(),
            recorded_by=_user(actor),
        )
        row.full_clean()
        row.save()
        created.append(row)
    if created:
        audit_record(
            actor=_user(actor),
            action="blacklist.measures_recorded",
            subject=entry,
            data={
                "department": department.pk,
                "measures": [row.measure.code for row in created],
                "applied_on": applied_on.isoformat(),
            },
        )
    return created


# --- the platforms' shared blacklist (Order 117 Art. 14) --------------------------


@transaction.atomic
def platform_entry_add(
    *,
    actor,
    platform: Platform,
    name: str = "",
    party_kind: str = PartyKind.PERSON,
    id_number: str = "",
    uscc: str = "",
    party=None,
    category: ViolationCategory,
    facts: str,
    term_ends_on: date,
    appeal_route: str,
    legal_basis: str = "",
    measures: Iterable[Measure] = (),
    listed_on: date | None = None,
    source=None,
) -> Entry:
    """A platform puts a party on the platforms' shared blacklist (Order 117 Art. 14).

    Called by the platform officer's form and API; the disposal filings of issue 4
    call :func:`platform_entries_add`, the same for many parties at once.

    - ``platform``: the listing platform; ``actor`` must be its officer (or its
      API key) holding ``blacklist.add_platform_entry``.
    - the party: a register ``party`` (Marketer, Operator, Agency, Supplier),
      or ``name`` + ``party_kind`` + ``id_number`` (clear; validated, hashed and
      masked at once, never stored) and/or ``uscc``.
    - ``category``: the violation (taxonomy); ``facts``: what the party did;
      ``legal_basis``: the article (defaults to the category's articles).
    - ``term_ends_on``: the day the entry leaves the list by itself;
      ``appeal_route``: where and how the party appeals (both told to the
      party, Art. 14).
    - ``measures``: the platform measures taken (account closure, …).
    - ``source``: the record it came from (e.g. the disposal filing); calling
      again with the same ``source`` returns the entry already made.

    Returns the entry, listed from ``listed_on`` (default today).
    """
    proposal = {
        "name": name,
        "party_kind": party_kind,
        "id_number": id_number,
        "uscc": uscc,
        "party": party,
        "category": category,
        "facts": facts,
        "term_ends_on": term_ends_on,
        "appeal_route": appeal_route,
        "legal_basis": legal_basis,
        "measures": measures,
        "listed_on": listed_on,
        "source": source,
    }
    return platform_entries_add(actor=actor, platform=platform, proposals=[proposal])[0]


def _platform_identity(proposal: dict, errors: dict) -> PartyIdentity:
    """The identity a platform's proposal names: a register party's, or the name and
    identifiers given (the ID number validated, hashed and masked, never kept)."""
    name, kind = proposal.get("name", "").strip(), proposal.get("party_kind", PartyKind.PERSON)
    id_number, uscc = proposal.get("id_number", "").strip(), proposal.get("uscc", "").strip()
    if proposal.get("party") is not None:
        return party_identity(proposal["party"])
    identity = PartyIdentity(kind=kind, name=name)
    try:
        if id_number:
            number = validate_ric(id_number)
            identity = PartyIdentity(
                kind=kind,
                name=name,
                id_number_hash=identity_hash(number),
                id_number_masked=mask_ric(number),
                uscc=validate_uscc(uscc) if uscc else "",
            )
        elif uscc:
            identity = PartyIdentity(kind=kind, name=name, uscc=validate_uscc(uscc))
    except ValidationError as exc:
        errors["id_number" if id_number else "uscc"] = exc.messages
    if not name:
        errors["name"] = [_("Give the party's name.")]
    return identity


@transaction.atomic
def platform_entries_add(*, actor, platform: Platform, proposals: list[dict]) -> list[Entry]:
    """Many parties on the platforms' shared blacklist at once (Order 117 Art. 14),
    each ``proposal`` holding the arguments of :func:`platform_entry_add` but
    ``actor`` and ``platform``; the entries in the order of the proposals.

    The same rules and records as one at a time — a state row with actor and
    reason, an audit event, the name keys, the measures — written with a fixed
    number of statements whatever the number of parties (a batch of disposal
    filings proposes its blacklisted parties in one call). An invalid proposal
    raises ``ValidationError`` and nothing is listed."""
    _require(actor, "blacklist.add_platform_entry")
    if getattr(actor, "platform_id", None) != platform.pk:
        raise NotAllowed(_("Only the platform's own officers list for it."), code="not_lister")
    sources = {}
    for proposal in proposals:
        if proposal.get("source") is not None:
            source = proposal["source"]
            sources[(ContentType.objects.get_for_model(source).pk, str(source.pk))] = None
    if sources:
        for entry in Entry.objects.filter(
            source_type__in={t for t, _pk in sources}, source_id__in=[pk for _t, pk in sources]
        ):
            sources[(entry.source_type_id, entry.source_id)] = entry
    today = timezone.localdate()
    answers: list[Entry | None] = []
    new: list[tuple[Entry, list, str, dict]] = []
    for proposal in proposals:
        source = proposal.get("source")
        key = (
            (ContentType.objects.get_for_model(source).pk, str(source.pk))
            if source is not None
            else None
        )
        if key is not None and sources.get(key) is not None:
            answers.append(sources[key])
            continue
        listed_on = proposal.get("listed_on") or today
        term_ends_on, appeal_route = proposal["term_ends_on"], proposal["appeal_route"].strip()
        errors = {}
        if term_ends_on <= listed_on:
            errors["term_ends_on"] = [_("The term must end after the listing day.")]
        if not appeal_route:
            errors["appeal_route"] = [_("Tell the party how to appeal (Order 117 Art. 14).")]
        identity = _platform_identity(proposal, errors)
        if errors:
            raise ValidationError(errors)
        party, category, facts = proposal.get("party"), proposal["category"], proposal["facts"]
        entry = Entry(
            reference=f"tmp-{len(new)}-{timezone.now():%H%M%S%f}",
            party_kind=identity.kind,
            name=identity.name.strip(),
            name_masked=masked_name(identity.name.strip(), identity.kind),
            name_form=name_form_text(identity.name.strip()),
            id_number_hash=identity.id_number_hash,
            id_number_masked=identity.id_number_masked,
            uscc=identity.uscc,
            list=ListKind.PLATFORMS,
            platform=platform,
            category=category,
            facts=facts.strip(),
            legal_basis=proposal.get("legal_basis", "").strip() or category.articles,
            appeal_route=appeal_route,
            created_by=_user(actor),
            listed_on=listed_on,
            term_ends_on=term_ends_on,
        )
        if party is not None:
            entry.party_type = ContentType.objects.get_for_model(party)
            entry.party_id = party.pk
        if key is not None:
            entry.source_type_id, entry.source_id = key
        # The foreign keys are the caller's loaded rows and the constraints the
        # database's: the checks that need no query, for each entry.
        entry.full_clean(
            exclude=[
                "reference",
                "platform",
                "category",
                "created_by",
                "party_type",
                "source_type",
            ],
            validate_unique=False,
            validate_constraints=False,
        )
        _may_move(entry, Status.LISTED)
        data = {
            "platform": platform.pk,
            "listed_on": listed_on.isoformat(),
            "term_ends_on": term_ends_on.isoformat(),
        }
        new.append((entry, list(proposal.get("measures") or ()), facts.strip(), data))
        answers.append(entry)
    if not new:
        return answers
    entries = [entry for entry, _measures, _reason, _data in new]
    Entry.objects.bulk_create(entries)
    year = f"{today:%Y}"
    states = []
    for entry, _measures, reason, data in new:
        entry.reference = f"P{year}{entry.pk:07d}"
        states.append(
            EntryState(
                entry=entry,
                status=Status.LISTED,
                actor=_user(actor),
                actor_label=_label(actor),
                reason=reason,
                data=data,
            )
        )
    EntryState.objects.bulk_create(states)
    for entry, state in zip(entries, states, strict=True):
        entry.current = state
    Entry.objects.bulk_update(entries, ["reference", "current"])
    EntryNameKey.objects.bulk_create(
        EntryNameKey(entry=entry, key=key)
        for entry in entries
        for key in sorted(entry_keys_for(entry.name))
    )
    through = Entry.proposed_measures.through
    through.objects.bulk_create(
        through(entry_id=entry.pk, measure_id=measure.pk)
        for entry, measures, _reason, _data in new
        for measure in dict.fromkeys(measures)
    )
    AuditEvent.objects.bulk_create(
        audit_event(
            actor=_user(actor),
            action=f"blacklist.{Status.LISTED}",
            subject=entry,
            reason=reason,
            data={"list": entry.list, "by": _label(actor), **data},
        )
        for entry, _measures, reason, data in new
    )
    return answers


@transaction.atomic
def platform_appeal_decide(
    *,
    actor,
    entry: Entry,
    received_on: date,
    grounds: str,
    upheld: bool,
    reason: str,
    decided_on: date | None = None,
) -> PlatformAppeal:
    """Record the platform's decision on a party's appeal (Order 117 Art. 14); an upheld
    appeal removes the entry."""
    _require(actor, "blacklist.add_platform_entry")
    entry = _lock(entry)
    _require_lister_platform(actor, entry)
    if upheld and entry.status != Status.REVOKED:
        _may_move(entry, Status.REVOKED)
    appeal = PlatformAppeal(
        entry=entry,
        received_on=received_on,
        grounds=grounds.strip(),
        upheld=upheld,
        reason=reason.strip(),
        decided_on=decided_on or timezone.localdate(),
        recorded_by=_user(actor),
        recorded_by_label=_label(actor),
    )
    appeal.full_clean()
    appeal.save()
    if upheld and entry.status != Status.REVOKED:
        _append_state(
            entry,
            Status.REVOKED,
            actor=actor,
            reason=reason.strip(),
            data={"appeal": appeal.pk},
        )
    else:
        audit_record(
            actor=_user(actor),
            action="blacklist.appeal_rejected" if not upheld else "blacklist.appeal_upheld",
            subject=entry,
            reason=reason.strip(),
            data={"appeal": appeal.pk, "by": _label(actor)},
        )
    return appeal


# --- screening (Order 117 Art. 8, 14) --------------------------------------------


@dataclass(frozen=True)
class ScreeningQuery:
    """One party to screen. ``id_number`` is hashed at once and never stored or logged."""

    name: str = ""
    id_number: str = ""
    uscc: str = ""
    ref: str = ""


@dataclass
class Match:
    entry: Entry
    score: float
    matched_fields: list[str]
    why: list[str]


@dataclass
class Answer:
    index: int
    ref: str
    matches: list[Match] = field(default_factory=list)


@dataclass
class ScreeningResult:
    log: ScreeningLog
    answers: list[Answer]


KEY_CHUNK = 2000  # values of one IN (…): within SQLite's and PostgreSQL's limits


def _chunks(items: list, size: int = KEY_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _instance(model, attributes: dict, db: str, cached: dict | None = None):
    """A model instance from its attributes (every concrete field's), without
    ``Model.__init__``'s per-field work (what ``Model.from_db`` would otherwise do for every
    hit of a common name), with ``cached`` related objects (``select_related`` would put
    them in the same place). The instance is complete: no field is deferred."""
    state = ModelState()
    state.adding, state.db, state.fields_cache = False, db, cached if cached is not None else {}
    instance = model.__new__(model)
    attributes["_state"] = state
    instance.__dict__ = attributes
    return instance


# The relations of a hit that its answer shows (grounds, lister), attached to every hit.
_HIT_RELATED = (
    ("category", ViolationCategory),
    ("department", Department),
    ("platform", Platform),
)


class _Rows:
    """Whole rows of entries with their current state (``select_related("current")``),
    converted by the fields' converters but not yet made into instances: a candidate that
    does not score is never built. ``id``, ``name``, … are the columns' places in a row."""

    def __init__(self, queryset):
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.db = queryset.db
        self.rows = list(compiler.results_iter(_fetch(compiler), tuple_expected=True))
        info = compiler.klass_info
        (state_info,) = info["related_klass_infos"]
        self.parts = [
            (
                model,
                [compiler.select[i][0].target.attname for i in columns],
                slice(columns[0], columns[-1] + 1),
            )
            for model, columns in (
                (Entry, info["select_fields"]),
                (EntryState, state_info["select_fields"]),
            )
        ]
        entry_names, entry_cut = self.parts[0][1], self.parts[0][2]
        for attname in ("id", "name", "name_form", "id_number_hash", "uscc"):
            setattr(self, attname, entry_cut.start + entry_names.index(attname))
        # The places of the related objects' ids, in the order of ``_HIT_RELATED``.
        self.related = [
            entry_cut.start + entry_names.index(Entry._meta.get_field(name).attname)
            for name, _model in _HIT_RELATED
        ]


def _fetch(compiler) -> list[list[tuple]]:
    """The rows of ``compiler``'s query, as ``execute_sql`` gives them. On PostgreSQL with
    the connection in UTC, ``timestamptz`` values (an entry's and its state's time) are
    loaded by psycopg's own loader, in C, rather than Django's, in Python (two of them a
    row were most of the time spent receiving a few hundred candidates): both give the
    same aware datetimes in ``datetime.timezone.utc``."""
    database = compiler.connection
    if not (
        database.vendor == "postgresql"
        and database.timezone_name == "UTC"
        and database.timezone is UTC
    ):
        return compiler.execute_sql(MULTI)
    from psycopg.types.datetime import TimestamptzLoader

    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return []
    with database.cursor() as cursor:
        cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        cursor.execute(sql, params)
        return [cursor.fetchall()]


def _sharing_a_key(queryset, keys: list[str]):
    """``queryset``'s entries having one of ``keys`` (PostgreSQL): ``id IN`` the (key,
    entry) index's entries for those keys, one array parameter."""
    quote = connection.ops.quote_name
    entry_table, key_table = quote(Entry._meta.db_table), quote(EntryNameKey._meta.db_table)
    condition = (
        f"{entry_table}.{quote('id')} IN (SELECT {key_table}.{quote('entry_id')} "  # noqa: S608
        f"FROM {key_table} WHERE {key_table}.{quote('key')} = ANY(%s))"
    )
    return queryset.extra(where=[condition], params=[list(keys)])  # noqa: S610


def _candidates(queryset) -> _Rows:
    return _Rows(queryset.select_related("current"))


def _related_rows(wanted: dict[type, set[int]], db: str) -> dict[type, dict[int, object]]:
    """The grounds, departments and platforms of the hits, by primary key: on PostgreSQL in
    one read (each row as JSON, converted by its fields' ``to_python``), elsewhere one read
    per model. A common name hits hundreds of entries sharing a handful of these: they are
    read once each, not joined and sent again with every entry."""
    found: dict[type, dict[int, object]] = {model: {} for model in wanted}
    wanted = {model: ids for model, ids in wanted.items() if ids}
    if not wanted:
        return found
    if connection.vendor != "postgresql":
        for model, ids in wanted.items():
            found[model] = model._base_manager.using(db).in_bulk(ids)
        return found
    models = list(wanted)
    quote = connection.ops.quote_name
    # Table and column names from the models' meta, the ids as parameters.
    sql = " UNION ALL ".join(
        f"SELECT {n}, row_to_json(t)::text FROM {quote(m._meta.db_table)} t "  # noqa: S608
        f"WHERE t.{quote(m._meta.pk.column)} = ANY(%s)"
        for n, m in enumerate(models)
    )
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [sorted(wanted[m]) for m in models])
        rows = cursor.fetchall()
    for n, text in rows:
        model = models[n]
        data = json.loads(text)
        attributes = {f.attname: f.to_python(data[f.column]) for f in model._meta.concrete_fields}
        instance = _instance(model, attributes, db)
        found[model][instance.pk] = instance
    return found


def _build_hits(reads: list[_Rows], hit_ids: set[int]) -> dict[int, Entry]:
    """The hits, complete: their row and current state from the candidates' rows, built
    without ``Model.__init__`` (a common name hits hundreds of entries), their grounds
    and lister read once each (``_related_rows``) and attached to every hit."""
    hits: dict[int, tuple[_Rows, tuple]] = {}
    for read in reads:  # an entry found by its name and by an identifier comes twice
        for row in read.rows:
            if row[read.id] in hit_ids:
                hits.setdefault(row[read.id], (read, row))
    if not hits:
        return {}
    db = reads[0].db
    cache_names = [Entry._meta.get_field(name).cache_name for name, _model in _HIT_RELATED]
    wanted = {model: set() for _name, model in _HIT_RELATED}
    for read, row in hits.values():
        for column, (_name, model) in zip(read.related, _HIT_RELATED, strict=True):
            if row[column] is not None:
                wanted[model].add(row[column])
    related = _related_rows(wanted, db)
    by_relation = [related[model] for _name, model in _HIT_RELATED]
    current = Entry._meta.get_field("current").cache_name
    entries: dict[int, Entry] = {}
    for pk, (read, row) in hits.items():
        (_entry, entry_names, entry_cut), (_state, state_names, state_cut) = read.parts
        cached = {
            current: _instance(EntryState, dict(zip(state_names, row[state_cut], strict=True)), db)
        }
        for cache_name, column, objects in zip(cache_names, read.related, by_relation, strict=True):
            value = row[column]
            cached[cache_name] = objects[value] if value is not None else None
        attributes = dict(zip(entry_names, row[entry_cut], strict=True))
        entries[pk] = _instance(Entry, attributes, db, cached)
    return entries


def screening_match(*, actor, queries: Sequence[ScreeningQuery], pool=None) -> list[Answer]:
    """Match parties against the entries on the list today that ``actor`` may see: a
    read only, no log (``screening_run`` logs it).

    Candidates come from the blocking index (name keys) and the identifier
    indexes only; they are then scored (``blacklist.screening``). ``pool`` is
    the visible queryset (``blacklist.selectors.screening_pool``).
    """
    from .selectors import screening_pool

    prepared = []
    for query in queries:
        hashed = identity_hash(query.id_number) if query.id_number.strip() else ""
        form = normalise(query.name) if query.name.strip() else None
        keys = query_keys(form) if form else frozenset()
        prepared.append((hashed, query.uscc.strip().upper(), form, keys))

    # Candidates: entries sharing a name key, or an identifier, with some query. Each
    # read is bounded by an index (never a scan) and runs on the visible pool only.
    pool = screening_pool(actor) if pool is None else pool
    lean = pool.select_related(None).order_by()
    key_queries: dict[str, list[int]] = {}
    hash_queries: dict[str, list[int]] = {}
    uscc_queries: dict[str, list[int]] = {}
    for index, (hashed, uscc, _form, keys) in enumerate(prepared):
        for key in keys:
            key_queries.setdefault(key, []).append(index)
        if hashed:
            hash_queries.setdefault(hashed, []).append(index)
        if uscc:
            uscc_queries.setdefault(uscc, []).append(index)

    names: dict[int, tuple[str, str]] = {}  # the name and its stored form
    by_name: dict[int, set[int]] = {}
    reads: list[_Rows] = []
    # One read per 2,000 keys: the (key, entry) index joined to the visible entries by
    # primary key, each candidate's whole row and current state read once (the row is
    # almost always a hit: nine candidates in ten are), with the keys that matched, so
    # that the entries' own keys are not computed again.
    named = {index for indexes in key_queries.values() for index in indexes}
    if len(named) == 1 and connection.vendor == "postgresql":
        # One name screened (a single screening): every candidate is its, so the entries
        # are read in one statement, a semi-join on the (key, entry) index.
        (index,) = named
        for chunk in _chunks(sorted(key_queries), KEY_CHUNK):
            read = _candidates(_sharing_a_key(lean, chunk))
            reads.append(read)
            by_name.setdefault(index, set()).update(row[read.id] for row in read.rows)
    else:
        # Several: two reads whose plans cannot go astray however many keys a batch has,
        # the (key, entry) index alone (an index-only scan), then the visible entries
        # among those found, by primary key. The key that matched tells which queries
        # share the candidate, so the entries' own keys are not computed again.
        keyed: dict[int, list[str]] = {}
        for chunk in _chunks(sorted(key_queries), KEY_CHUNK):
            found = EntryNameKey.objects.filter(among("key", chunk)).values_list("key", "entry_id")
            for key, pk in found:
                keyed.setdefault(pk, []).append(key)
        for chunk in _chunks(sorted(keyed), KEY_CHUNK):
            read = _candidates(lean.filter(among("id", chunk)))
            reads.append(read)
            for row in read.rows:
                for key in keyed[row[read.id]]:
                    for index in key_queries[key]:
                        by_name.setdefault(index, set()).add(row[read.id])
    for read in reads:
        for row in read.rows:
            names[row[read.id]] = row[read.name], row[read.name_form]
    by_identifier: dict[int, dict[int, list[str]]] = {}
    hashes, usccs = sorted(hash_queries), sorted(uscc_queries)
    for start in range(0, max(len(hashes), len(usccs)), KEY_CHUNK):
        chunk_h, chunk_u = hashes[start : start + KEY_CHUNK], usccs[start : start + KEY_CHUNK]
        condition = Q(id_number_hash__in=chunk_h) if chunk_h else Q(pk__in=[])
        if chunk_u:
            condition |= Q(uscc__in=chunk_u)
        read = _candidates(lean.filter(condition))
        reads.append(read)
        for row in read.rows:
            pk, hashed, uscc = row[read.id], row[read.id_number_hash], row[read.uscc]
            names[pk] = row[read.name], row[read.name_form]
            matched = [("id_number", i) for i in hash_queries.get(hashed, ())]
            matched += [("uscc", i) for i in uscc_queries.get(uscc, ())]
            for field_name, index in matched:
                by_identifier.setdefault(index, {}).setdefault(pk, []).append(field_name)

    scored: list[list[tuple[int, float, list[str], list[str]]]] = []
    for index, (_hashed, _uscc, form, _keys) in enumerate(prepared):
        identified = by_identifier.get(index, {})
        hits = []
        name_scores: dict[str, NameScore] = {}  # namesakes are scored once
        for pk in sorted(by_name.get(index, set()) | set(identified)):
            fields, why, score = list(identified.get(pk, [])), [], 0.0
            if "id_number" in fields:
                why.append(str(_("resident ID number matches (keyed hash): exact")))
                score = 1.0
            if "uscc" in fields:
                why.append(str(_("unified social credit code matches: exact")))
                score = 1.0
            if form is not None:
                name, name_form = names[pk]
                name_score = name_scores.get(name)
                if name_score is None:
                    # Scored once per distinct name, its reason worded once too, from the
                    # form stored with the entry (not normalised again).
                    name_score = score_names(form, stored_form(name_form, name))
                    name_score = name_scores[name] = NameScore(
                        name_score.score, str(_("name: %(why)s") % {"why": name_score.why})
                    )
                if name_score.score >= HIT_THRESHOLD:
                    fields.append("name")
                    why.append(name_score.why)
                    score = max(score, name_score.score)
            if score >= HIT_THRESHOLD:
                hits.append((pk, round(score, 4), fields, why))
        scored.append(hits)

    entries = _build_hits(reads, {pk for hits in scored for pk, *_rest in hits})
    answers = []
    for index, (query, hits) in enumerate(zip(queries, scored, strict=True)):
        matches = [Match(entries[pk], score, fields, why) for pk, score, fields, why in hits]
        matches.sort(key=lambda m: (-m.score, m.entry.pk))
        answers.append(Answer(index=index, ref=query.ref, matches=matches))
    return answers


def _maybe_asynchronous_commit() -> None:
    """Opt-in (``BLACKLIST_SCREENING_ASYNC_COMMIT``, off by default): on PostgreSQL the
    screening log's transaction does not wait for its WAL flush. The log is still written
    in the same transaction as its audit event; a crash of the database server may lose
    the last fraction of a second of screening logs, never corrupt them. The flush is
    most of a logged single screening's time on a busy server."""
    if (
        getattr(settings, "BLACKLIST_SCREENING_ASYNC_COMMIT", False)
        and connection.vendor == "postgresql"
    ):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _asked(query: ScreeningQuery) -> dict[str, str]:
    """What was asked about one party, for the log: the name and USCC as given, the
    resident ID number masked (``mask_ric``), never in clear; empty parts left out."""
    asked = {"name": query.name.strip(), "uscc": query.uscc.strip(), "ref": query.ref}
    if query.id_number.strip():
        asked["id_number"] = mask_ric(query.id_number)
    return {key: value for key, value in asked.items() if value}


@transaction.atomic
def screening_run(
    *, actor, queries: Sequence[ScreeningQuery], channel: str, pool=None
) -> ScreeningResult:
    """Screen parties (``screening_match``) and log it: who, when, what was asked (the
    resident ID number masked, never in clear) and what was found (entry ids, scores and
    matched fields), and which departments' entries were hit (Order 117 Art. 8, 14)."""
    _require(actor, "blacklist.screen_parties")
    if not queries:
        raise DomainError(_("Give at least one party to screen."), code="empty")
    answers = screening_match(actor=actor, queries=queries, pool=pool)
    _maybe_asynchronous_commit()
    jurisdiction_department = getattr(actor, "department", None)
    log = ScreeningLog(
        actor=_user(actor),
        actor_label=_label(actor),
        department=jurisdiction_department if isinstance(actor, User) else None,
        platform_id=getattr(actor, "platform_id", None),
        channel=channel,
        queries=len(answers),
        queries_with_hits=sum(1 for a in answers if a.matches),
        hits=sum(len(a.matches) for a in answers),
        asked=[_asked(query) for query in queries],
        found=[
            [[m.entry.pk, m.score, m.matched_fields] for m in answer.matches] for answer in answers
        ],
    )
    # The actor, department and platform come from the authenticated caller, not from
    # input, and what was asked and found is built here: validating them would cost a
    # query (or another JSON encoding of hundreds of hits) per screening for nothing.
    log.full_clean(exclude=["actor", "department", "platform", "asked", "found"])
    # The departments whose entries were hit (usually none to three), from the hits
    # already built, so that each reads the screenings that hit its entries.
    hit_departments = sorted({m.entry.department_id for a in answers for m in a.matches} - {None})
    data = {
        "by": _label(actor),
        "queries": log.queries,
        "queries_with_hits": log.queries_with_hits,
        "hits": log.hits,
    }
    if connection.vendor == "postgresql":
        _log_in_one_statement(log, hit_departments, actor=actor, data=data)
        return ScreeningResult(log=log, answers=answers)
    log.save()
    if hit_departments:
        ScreeningLogDepartment.objects.bulk_create(
            ScreeningLogDepartment(log=log, department_id=pk) for pk in hit_departments
        )
    audit_record(actor=_user(actor), action="blacklist.screened", subject=log, data=data)
    return ScreeningResult(log=log, answers=answers)


def _insert_values(instance, skip=()) -> tuple[list[str], list[str], list]:
    """The columns, placeholders and parameters that insert ``instance`` (as ``save``
    would: ``auto_now_add`` set, each value prepared by its field), but for the primary
    key and ``skip``."""
    columns, placeholders, params = [], [], []
    for model_field in instance._meta.concrete_fields:
        if model_field.primary_key or model_field.name in skip:
            continue
        value = model_field.pre_save(instance, True)
        columns.append(connection.ops.quote_name(model_field.column))
        placeholders.append("%s")
        params.append(model_field.get_db_prep_save(value, connection))
    return columns, placeholders, params


def _log_in_one_statement(log: ScreeningLog, departments: list[int], *, actor, data) -> None:
    """The screening log, the departments it hit and its audit event in one statement
    (PostgreSQL, a data-modifying ``WITH``): one round trip before the commit instead of
    three. What is written is what ``save``, ``bulk_create`` and ``audit_record`` write."""
    quote = connection.ops.quote_name
    log_columns, log_values, params = _insert_values(log)  # sets ``at``, which str(log) shows
    event = audit_event(actor=_user(actor), action="blacklist.screened", subject=log, data=data)
    event_columns, event_values, event_params = _insert_values(event, skip={"object_id"})
    link = ScreeningLogDepartment._meta
    # Table and column names from the models' meta; every value is a parameter.
    sql = (
        f"WITH log AS (INSERT INTO {quote(ScreeningLog._meta.db_table)} "  # noqa: S608
        f"({', '.join(log_columns)}) VALUES ({', '.join(log_values)}) RETURNING id), "
        f"departments AS (INSERT INTO {quote(link.db_table)} "
        f"({quote(link.get_field('log').column)}, {quote(link.get_field('department').column)}) "
        "SELECT log.id, department FROM log, unnest(%s::bigint[]) AS department), "
        f"audited AS (INSERT INTO {quote(AuditEvent._meta.db_table)} "
        f"({', '.join(event_columns)}, {quote(AuditEvent._meta.get_field('object_id').column)}) "
        f"SELECT {', '.join(event_values)}, log.id::text FROM log) "
        "SELECT id FROM log"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, departments, *event_params])
        (log.pk,) = cursor.fetchone()
    log._state.adding, log._state.db = False, connection.alias
