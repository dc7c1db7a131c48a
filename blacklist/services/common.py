"""What the blacklist's services share: the table of allowed moves, the state
rows, the party's identity and the checks of who may act.

Every action that changes the blacklist.

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

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department
from portal.audit import actor_label, actor_user, audit_record
from portal.errors import Conflict, DomainError, NotAllowed
from portal.identity import mask_name
from portal.models import Deadline
from portal.transitions import may_move
from registry.models import Agency, Marketer, Operator, PartyKind, Supplier

from ..models import (
    Entry,
    EntryNameKey,
    EntryState,
    ListKind,
    ShareScope,
    Status,
)
from ..screening.names import (
    entry_keys_for,
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
    """``portal.transitions.may_move`` along :data:`TRANSITIONS`: False when the entry
    is already there, Conflict when the move is not allowed."""
    return may_move(
        entry.status,
        target,
        TRANSITIONS,
        labels=dict(Status.choices),
        message=_("An entry that is “%(state)s” cannot become “%(target)s”."),
    )


def _append_state(
    entry: Entry, status: str, *, actor, reason: str = "", data: dict | None = None
) -> EntryState:
    state = EntryState(
        entry=entry,
        status=status,
        actor=actor_user(actor),
        actor_label=actor_label(actor),
        reason=reason,
        data=data or {},
    )
    state.full_clean()
    state.save()
    entry.current = state
    entry.save(update_fields=["current"])
    audit_record(
        actor=actor_user(actor),
        action=f"blacklist.{status}",
        subject=entry,
        reason=reason,
        data={"list": entry.list, "by": actor_label(actor), **(data or {})},
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
