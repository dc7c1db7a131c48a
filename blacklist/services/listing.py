"""The departments' list: proposing, notifying, hearing, deciding, expiry and
revocation, with due process (SAMR list rules 2021)."""

from collections.abc import Iterable
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import actor_user
from portal.errors import Conflict, DomainError, NotAllowed
from portal.models import AuditEvent, RuleSet
from portal.rules import rule_set_for
from portal.services import deadline_close, deadline_start
from portal.transitions import require_perm
from registry.models import ViolationCategory

from ..models import (
    Entry,
    EntryState,
    ListKind,
    Measure,
    ShareScope,
    Statement,
    Status,
)
from .common import (
    DEFAULT_TERM_MONTHS,
    STATEMENT_CLOCK,
    _add_months,
    _append_state,
    _lock,
    _may_move,
    _new_entry,
    _open_deadline,
    _require_lister_department,
    _require_lister_platform,
    _share_region_path,
    party_identity,
)
from .repair import _repairs_moot

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
    require_perm(actor, "blacklist.propose_entry")
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
        created_by=actor_user(actor),
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
    require_perm(actor, "blacklist.propose_entry")
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
        actor=actor_user(actor),
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
    require_perm(actor, "blacklist.propose_entry")
    entry = _lock(entry)
    _require_lister_department(actor, entry)
    if not _may_move(entry, Status.HEARD):
        return entry
    statement = Statement(
        entry=entry,
        received_on=received_on,
        text=text.strip(),
        hearing_requested=hearing_requested,
        recorded_by=actor_user(actor),
    )
    statement.full_clean()
    statement.save()
    deadline = _open_deadline(entry, STATEMENT_CLOCK)
    if deadline is not None:
        deadline_close(deadline=deadline, actor=actor_user(actor), met=True)
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
    require_perm(actor, "blacklist.decide_entry")
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
        deadline_close(deadline=deadline, actor=actor_user(actor), met=list_entry)
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


@transaction.atomic
def entry_revoke(*, actor, entry: Entry, reason: str) -> Entry:
    """Remove a listed entry whose basis fell on review (administrative reconsideration,
    litigation, or the penalty decision withdrawn), or that its platform lifts."""
    entry = _lock(entry)
    if entry.list == ListKind.DEPARTMENTS:
        require_perm(actor, "blacklist.decide_entry")
        _require_lister_department(actor, entry)
    else:
        require_perm(actor, "blacklist.add_platform_entry")
        _require_lister_platform(actor, entry)
    if not _may_move(entry, Status.REVOKED):
        return entry
    if not reason.strip():
        raise DomainError(_("Give the reasons of the decision."), code="reason")
    _repairs_moot([entry.pk], reason=_("The listing was revoked."))
    _append_state(entry, Status.REVOKED, actor=actor, reason=reason.strip())
    return entry
