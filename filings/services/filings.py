"""Disposal filings: the measures a platform took, filed with the regulators
(Order 117 Art. 12; Trial Art. 9, 10, 14).

One validator (:func:`validate_filing_item`) serves the API, the web form and
the CSV upload alike; one service (:func:`filing_submit_batch`) stores what
passes, a single filing being a batch of one. The same ``external_id`` from the
same platform is one filing: sent again, it answers with the filing that exists.

Where a filing goes (:func:`filing_recipients`), Order 117 Art. 12 ¶3:

- every filing reaches the county-or-higher market supervision and cyberspace
  departments of the platform's domicile: of each type, the nearest active
  department at or above the domicile, below the national level;
- a filing with account closure, a re-registration ban or blacklisting (the
  three gravest measures) also reaches the provincial market supervision and
  cyberspace departments of the domicile.

A blacklisting filing proposes the party for the platforms' shared blacklist
through one call of ``blacklist.services.platform_entry_add`` (Order 117 Art. 14).

The departments a filing reached are its **route** (``FilingRoute``): one row
per set of departments and reasons, shared by every filing routed the same way,
so that a filing stores one reference, not a row per department
(:func:`filing_routes`).

Storage is set-wise: the validator applies every rule of the model (its field
validators, ``clean()`` and check constraint; a test holds the two together),
then the new filings go in with one ``COPY`` on PostgreSQL (ids drawn from the
sequence first) or ``bulk_create`` elsewhere: a fixed number of queries per
batch, whatever its size.

The module holds the batch service; ``validation`` the one validator,
``routes`` where a filing goes, and ``_sql`` the bulk store.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Platform
from blacklist.models import Measure as BlacklistMeasure
from blacklist.services.platform_list import platform_entries_add
from portal.audit import actor_label, actor_user, audit_record
from portal.errors import DomainError, NotAllowed
from portal.identity import (
    encrypt_identity,
    identity_hash,
    mask_ric,
)
from portal.sql import among
from registry.models import Agency, LiveRoom, Marketer, Operator, PartyKind

from ..models import (
    BLACKLIST_MEASURE_CODES,
    GRAVEST_MEASURES,
    DisposalFiling,
    FilingChannel,
    FilingParty,
    Measure,
)
from ._sql import store_rows
from .routes import filing_routes
from .validation import MAX_BATCH, FilingLookups, ItemResult, validate_filing_item


def _require_filer(actor, platform: Platform) -> None:
    if (
        actor is None
        or not actor.has_perm("accounts.file_platform_reports")
        or getattr(actor, "platform_id", None) != platform.pk
    ):
        raise NotAllowed(_("Only the platform's own officers file for it."), code="not_filer")


def _match_parties(platform: Platform, items: list[dict]) -> None:
    """Link each item to the register parties its identifiers name (their ids): at
    most four queries for the whole batch, whatever its size."""
    accounts = {i["live_room_account"] for i in items if i["live_room_account"]}
    usccs = {i["party_uscc"] for i in items if i["party_uscc"]}
    hashes = {i["id_hash"] for i in items if i["id_hash"]}
    kinds = {i["party_kind"] for i in items}
    rooms: dict[str, tuple[int, int | None]] = (
        {
            account: (pk, operator_id)
            for account, pk, operator_id in LiveRoom.objects.filter(
                among("account_id", accounts), platform=platform
            )
            .order_by()
            .values_list("account_id", "pk", "operator_id")
        }
        if accounts
        else {}
    )
    operators: dict[str, int] = {}
    if (usccs or hashes) and kinds & {FilingParty.OPERATOR, FilingParty.LIVE_ROOM}:
        found = (
            Operator.objects.filter(among("uscc", usccs) | among("id_number_hash", hashes))
            .order_by("pk")
            .values_list("pk", "uscc", "id_number_hash")
        )
        for pk, op_uscc, op_hash in found:
            for key in (op_uscc, op_hash):
                if key:
                    operators.setdefault(key, pk)
    marketers = (
        dict(
            Marketer.objects.filter(among("id_number_hash", hashes))
            .order_by("pk")
            .values_list("id_number_hash", "pk")
        )
        if hashes and FilingParty.MARKETER in kinds
        else {}
    )
    agencies = (
        dict(Agency.objects.filter(among("uscc", usccs)).order_by("pk").values_list("uscc", "pk"))
        if usccs and FilingParty.AGENCY in kinds
        else {}
    )
    for item in items:
        kind, uscc, digest = item["party_kind"], item["party_uscc"], item["id_hash"]
        room_id, room_operator_id = rooms.get(item["live_room_account"], (None, None))
        item["live_room_id"] = room_id
        item["operator_id"] = item["marketer_id"] = item["agency_id"] = None
        if kind in (FilingParty.OPERATOR, FilingParty.LIVE_ROOM):
            item["operator_id"] = operators.get(uscc) or operators.get(digest)
            if item["operator_id"] is None and kind == FilingParty.LIVE_ROOM:
                item["operator_id"] = room_operator_id
        elif kind == FilingParty.MARKETER:
            item["marketer_id"] = marketers.get(digest)
        elif kind == FilingParty.AGENCY:
            item["agency_id"] = agencies.get(uscc)


def _row(item: dict, *, batch: dict, route_id: int) -> dict:
    """The column values of one new filing (the clear identity number never is one);
    ``batch`` holds those shared by the whole batch (:func:`_batch_columns`)."""
    number = item["party_id_number"]
    return {
        **batch,
        "external_id": item["external_id"],
        "party_kind": item["party_kind"],
        "party_name": item["party_name"],
        "party_uscc": item["party_uscc"],
        "live_room_account": item["live_room_account"],
        "live_room_id": item["live_room_id"],
        "operator_id": item["operator_id"],
        "marketer_id": item["marketer_id"],
        "agency_id": item["agency_id"],
        "category_id": item["category"].pk,
        "measures": item["measures"],
        "suspended_until": item["suspended_until"],
        "blacklisted_until": item["blacklisted_until"],
        "appeal_route": item["appeal_route"],
        "conduct_at": item["conduct_at"],
        "acted_at": item["acted_at"],
        "facts": item["facts"],
        "evidence_links": item["evidence_links"],
        # validated already: encrypted, hashed and masked, never kept clear
        "id_number_encrypted": encrypt_identity(number) if number else "",
        "id_number_hash": item["id_hash"],
        "id_number_masked": mask_ric(number) if number else "",
        "route_id": route_id,
    }


def _batch_columns(platform, *, channel: str, now: datetime, actor) -> dict:
    user = actor_user(actor)
    return {
        "platform_id": platform.pk,
        "received_at": now,
        "channel": channel,
        "submitted_by_id": user.pk if user else None,
        "submitted_by_label": actor_label(actor),
    }


def _blacklist_party_kind(item: dict) -> str:
    if item["party_kind"] == FilingParty.AGENCY:
        return PartyKind.ORGANISATION
    if item["party_kind"] == FilingParty.MARKETER:
        return PartyKind.PERSON
    if item["party_id_number"] and item["party_uscc"]:
        return PartyKind.SOLE_TRADER
    return PartyKind.PERSON if item["party_id_number"] else PartyKind.ORGANISATION


def _propose_for_blacklist(*, actor, platform, created: list[dict]) -> None:
    """The one cross-app call: the batch's blacklisting filings propose their parties
    for the platforms' shared blacklist, all in one call (Order 117 Art. 14; Trial
    Art. 14 ¶3)."""
    wanted = {c["id"]: c for c in created if Measure.BLACKLISTING in c["measures"]}
    if not wanted:
        return

    catalogue = {m.code: m for m in BlacklistMeasure.objects.filter(is_active=True)}
    proposals = []
    for filing in (
        DisposalFiling.objects.filter(pk__in=wanted)
        .select_related("category", "marketer", "agency", "operator")
        .order_by("pk")  # listed in the order filed
    ):
        item = wanted[filing.pk]
        codes = dict.fromkeys(
            BLACKLIST_MEASURE_CODES[m] for m in filing.measures if m in BLACKLIST_MEASURE_CODES
        )
        party = (
            filing.marketer
            or filing.agency
            or (filing.operator if filing.party_kind == FilingParty.OPERATOR else None)
        )
        proposals.append(
            {
                "name": item["party_name"],
                "party_kind": _blacklist_party_kind(item),
                "id_number": item["party_id_number"],
                "uscc": item["party_uscc"],
                "party": party,
                "category": filing.category,
                "facts": item["facts"],  # as sent: the entry seals it again
                "term_ends_on": filing.blacklisted_until,
                "appeal_route": filing.appeal_route,
                "measures": [catalogue[c] for c in codes if c in catalogue],
                "listed_on": timezone.localdate(filing.acted_at),
                "source": filing,
            }
        )
    platform_entries_add(actor=actor, platform=platform, proposals=proposals)


def filing_submit_batch(
    *, platform: Platform, items: list, channel: str, actor
) -> list[ItemResult]:
    """File up to :data:`MAX_BATCH` disposal filings for ``platform`` in one transaction.

    Each item is validated on its own; the good ones are stored in bulk and the
    bad ones answered with their field errors. An ``external_id`` the platform
    has used before (or earlier in the same batch) creates nothing and answers
    ``duplicate`` with the id of the filing that exists. Concurrent batches of
    the same platform are serialised on the platform's row.
    """
    _require_filer(actor, platform)
    if channel not in FilingChannel.values:
        raise DomainError(_("Unknown channel."))
    if not isinstance(items, list) or not items:
        raise DomainError(_("Send a list of one or more filings."), code="empty")
    if len(items) > MAX_BATCH:
        raise DomainError(
            _("At most %(n)s filings in one call (this has %(m)s).")
            % {"n": MAX_BATCH, "m": len(items)},
            code="too_many",
        )
    lookups = FilingLookups.load()
    results: list[ItemResult] = []
    valid: list[tuple[ItemResult, dict]] = []
    for index, raw in enumerate(items):
        cleaned, errors = validate_filing_item(raw, lookups)
        external_id = raw.get("external_id", "") if isinstance(raw, dict) else ""
        result = ItemResult(
            index=index,
            external_id=external_id if isinstance(external_id, str) else "",
            status="invalid",
            errors=errors,
        )
        results.append(result)
        if cleaned is not None:
            valid.append((result, cleaned))

    with transaction.atomic():
        # Concurrent batches of one platform wait here for each other, so the
        # duplicate check below sees every filing committed before it. Only the
        # platform's row is locked (``of``): locking its domicile's region too made
        # every platform of one region wait for the others.
        platform = (
            Platform.objects.select_for_update(of=("self",))
            .select_related("domicile")
            .get(pk=platform.pk)
        )
        wanted_ids = [cleaned["external_id"] for _result, cleaned in valid]
        existing = dict(
            DisposalFiling.objects.filter(among("external_id", wanted_ids), platform=platform)
            .order_by()  # no sort: the unique (platform, external_id) index answers it
            .values_list("external_id", "pk")
        )
        first_of: dict[str, ItemResult] = {}
        repeats: list[tuple[ItemResult, ItemResult]] = []
        fresh: list[tuple[ItemResult, dict]] = []
        for result, cleaned in valid:
            external_id = cleaned["external_id"]
            if external_id in existing:
                result.status, result.id = "duplicate", existing[external_id]
            elif external_id in first_of:
                repeats.append((result, first_of[external_id]))
            else:
                first_of[external_id] = result
                cleaned["id_hash"] = (
                    identity_hash(cleaned["party_id_number"]) if cleaned["party_id_number"] else ""
                )
                fresh.append((result, cleaned))
        _match_parties(platform, [cleaned for _result, cleaned in fresh])

        now = timezone.now()
        grave = [bool(GRAVEST_MEASURES.intersection(c["measures"])) for _r, c in fresh]
        routes = filing_routes(platform, set(grave)) if fresh else {}
        batch = _batch_columns(platform, channel=channel, now=now, actor=actor)
        ids = store_rows(
            DisposalFiling,
            [
                _row(c, batch=batch, route_id=routes[g])
                for (_r, c), g in zip(fresh, grave, strict=True)
            ],
        )
        for (result, cleaned), pk in zip(fresh, ids, strict=True):
            result.status, result.id = "created", pk
            cleaned["id"] = pk
        for result, first in repeats:
            result.status, result.id = "duplicate", first.id

        counts = {
            status: sum(1 for r in results if r.status == status)
            for status in ("created", "duplicate", "invalid")
        }
        audit_record(
            actor=actor,
            action="filing.batch_submitted",
            subject=platform,
            data={
                "channel": channel,
                "items": len(items),
                **counts,
                "first_id": ids[0] if ids else None,
                "last_id": ids[-1] if ids else None,
            },
        )
        _propose_for_blacklist(actor=actor, platform=platform, created=[c for _r, c in fresh])
    return results


def filing_submit(*, platform: Platform, item: dict, channel: str, actor) -> ItemResult:
    """One filing: a batch of one."""
    return filing_submit_batch(platform=platform, items=[item], channel=channel, actor=actor)[0]
