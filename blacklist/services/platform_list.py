"""The platforms' shared blacklist (Order 117 Art. 14): entries platforms add,
and the appeals of the parties on it."""

from collections.abc import Iterable
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Platform
from portal.audit import actor_label, actor_user, audit_event, audit_record
from portal.errors import NotAllowed
from portal.identity import identity_hash, mask_ric, validate_ric, validate_uscc
from portal.models import AuditEvent
from portal.transitions import require_perm
from registry.models import PartyKind, ViolationCategory

from ..models import (
    Entry,
    EntryNameKey,
    EntryState,
    ListKind,
    Measure,
    PlatformAppeal,
    Status,
)
from ..screening.names import (
    entry_keys_for,
    name_form_text,
)
from .common import (
    PartyIdentity,
    _append_state,
    _lock,
    _may_move,
    _require_lister_platform,
    masked_name,
    party_identity,
)

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

    Called by the platform officer's form and API; the disposal filings
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
    require_perm(actor, "blacklist.add_platform_entry")
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
            created_by=actor_user(actor),
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
                actor=actor_user(actor),
                actor_label=actor_label(actor),
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
            actor=actor_user(actor),
            action=f"blacklist.{Status.LISTED}",
            subject=entry,
            reason=reason,
            data={"list": entry.list, "by": actor_label(actor), **data},
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
    require_perm(actor, "blacklist.add_platform_entry")
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
        recorded_by=actor_user(actor),
        recorded_by_label=actor_label(actor),
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
            actor=actor_user(actor),
            action="blacklist.appeal_rejected" if not upheld else "blacklist.appeal_upheld",
            subject=entry,
            reason=reason.strip(),
            data={"appeal": appeal.pk, "by": actor_label(actor)},
        )
    return appeal
