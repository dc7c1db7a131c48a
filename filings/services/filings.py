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
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from operator import mul

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from accounts.models import Department, DepartmentType, Platform, Region
from portal import dates
from portal.audit import actor_label, audit_record
from portal.errors import DomainError, NotAllowed
from portal.fields import seal_row
from portal.identity import (
    _division_in_use,
    encrypt_identity,
    identity_hash,
    mask_ric,
    validate_ric,
    validate_uscc,
)
from portal.sql import among, to_json
from registry.models import Agency, LiveRoom, Marketer, Operator, PartyKind, ViolationCategory

from ..models import (
    BLACKLIST_MEASURE_CODES,
    EXTERNAL_ID_PATTERN,
    GRAVEST_MEASURES,
    DisposalFiling,
    FilingChannel,
    FilingParty,
    FilingRoute,
    Measure,
    RecipientReason,
    RouteRecipient,
)

MAX_BATCH = 1000
MAX_FACTS = 5000
MAX_LINKS = 20
# A platform's clock may run a little ahead of ours; more than this is "in the future".
CLOCK_SKEW = timedelta(minutes=5)
FILING_TYPES = (DepartmentType.MARKET_SUPERVISION, DepartmentType.CYBERSPACE)

# The fields of one filing, as the API, the web form and the CSV upload name them.
ITEM_FIELDS = (
    "external_id",
    "party_kind",
    "party_name",
    "party_uscc",
    "party_id_number",
    "live_room_account",
    "category",
    "measures",
    "suspended_until",
    "blacklisted_until",
    "appeal_route",
    "conduct_at",
    "acted_at",
    "facts",
    "evidence_links",
)

_EXTERNAL_ID = re.compile(EXTERNAL_ID_PATTERN)
_URL = URLValidator(schemes=["http", "https"])
_SIMPLE_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?(/[^\s]*)?$")


def _is_web_address(link) -> bool:
    """An http(s) address of at most 500 characters. Plain host names take a quick
    path; anything else (IDN, IPv6, userinfo…) gets Django's full URLValidator."""
    if not isinstance(link, str) or len(link) > 500 or "\x00" in link:
        return False
    if _SIMPLE_URL.match(link) and ".." not in link.split("/", 3)[2]:
        return True
    try:
        _URL(link)
    except ValidationError:
        return False
    return True


_MEASURES = frozenset(Measure.values)
_PARTY_KINDS = frozenset(FilingParty.values)


@dataclass
class ItemResult:
    """What became of one item of a batch: ``created``, ``duplicate`` or ``invalid``."""

    index: int
    external_id: str
    status: str
    id: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = {"index": self.index, "external_id": self.external_id, "status": self.status}
        if self.id is not None:
            data["id"] = self.id
        if self.errors:
            data["errors"] = self.errors
        return data


@dataclass
class FilingLookups:
    """What validation needs, worked out once per batch: the taxonomy, the clock,
    the portal's time zone, and each distinct identifier's verdict (a batch often
    names the same party or company many times)."""

    categories: dict[str, ViolationCategory]
    now: datetime
    tz: tzinfo = field(default_factory=timezone.get_current_timezone)
    today: date = field(init=False)
    checked: dict[tuple[str, str], tuple[str, list[str]]] = field(default_factory=dict)

    def __post_init__(self):
        self.today = self.now.astimezone(self.tz).date()

    @classmethod
    def load(cls) -> "FilingLookups":
        return cls(
            categories={c.code: c for c in ViolationCategory.objects.filter(is_active=True)},
            now=timezone.now(),
        )

    def identifier(self, kind: str, value: str) -> tuple[str, list[str]]:
        """``(canonical form, [])`` or ``("", [messages])`` for a USCC (``kind``
        "uscc") or a resident ID number ("ric"), each distinct value checked once."""
        verdict = self.checked.get((kind, value))
        if verdict is None:
            if kind == "ric":
                number, check = _ric_fast(value, self.today), validate_ric
            else:
                number, check = _uscc_fast(value), validate_uscc
            if number is None:
                try:
                    number = check(value)
                except ValidationError as exc:
                    verdict = ("", exc.messages)
            verdict = verdict or (number, [])
            self.checked[(kind, value)] = verdict
        return verdict


# GB 11643 weights of the 17 digits before the check character: 2^(17-i) mod 11.
_RIC_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
# The digits are summed as their ASCII codes, then 48 ("0") times each weight taken off.
_RIC_ASCII_OFFSET = ord("0") * sum(_RIC_WEIGHTS)
_RIC_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")


def _ric_fast(value: str, today: date) -> str | None:
    """The canonical form of a well-formed resident ID number, checked by the same
    rules as ``portal.identity.validate_ric`` without its per-call overhead; ``None``
    when anything is off, and ``validate_ric`` then says what (one set of messages)."""
    number = value.upper()
    if not _RIC_SHAPE.match(number):
        return None
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    if born > today or not _division_in_use(number[:6], born.year):
        return None
    total = sum(map(mul, number[:17].encode(), _RIC_WEIGHTS)) - _RIC_ASCII_OFFSET
    check = (12 - total % 11) % 11
    if number[-1] != ("X" if check == 10 else str(check)):
        return None
    return number


# GB 32100: the code's 31 characters and the weights of its first 17 (3^i mod 31).
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_USCC_SHAPE = re.compile(r"^[0-9]{8}[0-9A-HJ-NPQRTUWXY]{10}$")


def _uscc_fast(value: str) -> str | None:
    """A well-formed unified social credit code, upper-cased, checked as
    ``portal.identity.validate_uscc`` checks it; ``None`` otherwise (the shared
    validator then gives the message)."""
    code = value.upper()
    if not _USCC_SHAPE.match(code):
        return None
    total = sum(map(mul, map(_USCC_VALUE.__getitem__, code[:17]), _USCC_WEIGHTS))
    return code if code[-1] == _USCC_ALPHABET[-total % 31] else None


# --- validation (one place for the API, the web form and the CSV upload) ------


def _text(raw: dict, name: str, errors: dict, *, max_length: int, required: bool = False) -> str:
    value = raw.get(name)
    if type(value) is str:  # the usual cases, decided at once
        value = value.strip()
        if value and len(value) <= max_length and "\x00" not in value:
            return value
    elif value is None:
        if not required:
            return ""
        value = ""
    if not isinstance(value, str):
        errors[name] = [_("Expected text.")]
        return ""
    value = value.strip()
    if required and not value:
        errors[name] = [_("This field is required.")]
    elif len(value) > max_length:
        errors[name] = [
            _("At most %(n)s characters (it has %(m)s).") % {"n": max_length, "m": len(value)}
        ]
    elif "\x00" in value:  # PostgreSQL cannot store it: the item's error, not the batch's
        errors[name] = [_("Contains a NUL character (U+0000), which cannot be stored.")]
    return value


def _moment(raw: dict, name: str, errors: dict) -> datetime | None:
    value = raw.get(name)
    if value in (None, ""):
        errors[name] = [_("This field is required.")]
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        moment = None
        if type(value) is str:
            try:  # ISO 8601 as the API sends it, at once; else Django's wider reading
                moment = datetime.fromisoformat(value)
            except ValueError:
                try:
                    moment = parse_datetime(value)
                except ValueError:  # well formed, but no such moment (month 13…)
                    moment = None
        if moment is None:
            errors[name] = [_("Give a date and time, e.g. 2026-03-01T14:30:00+08:00 (ISO 8601).")]
            return None
    if timezone.is_naive(moment):  # read in the portal's time zone (Asia/Shanghai)
        moment = timezone.make_aware(moment)
    # Year 1 at +14:00 parses, but PostgreSQL would store it as 1 BC, which no page
    # can read back: the kernel's bounds, checked before any time-zone arithmetic.
    message = dates.moment_error(moment)
    if message:
        errors[name] = [str(message)]
        return None
    return moment


def _day(raw: dict, name: str, errors: dict) -> date | None:
    value = raw.get(name)
    if value in (None, ""):
        return None
    day = None
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    if isinstance(value, str):
        try:
            day = parse_date(value.strip())
        except ValueError:
            day = None
    if day is None:
        errors[name] = [_("Give a date, e.g. 2026-03-31.")]
        return None
    message = dates.day_error(day)
    if message:
        errors[name] = [str(message)]
        return None
    return day


def _list(raw: dict, name: str, errors: dict) -> list:
    value = raw.get(name)
    if value in (None, ""):
        return []
    if isinstance(value, str):  # the CSV and the form send "a;b" or one per line
        return [v.strip() for v in re.split(r"[;\n]", value) if v.strip()]
    if isinstance(value, list | tuple):
        return list(value)
    errors[name] = [_("Expected a list.")]
    return []


def validate_filing_item(raw, lookups: FilingLookups) -> tuple[dict | None, dict]:
    """Check one filing; return ``(cleaned, {})`` or ``(None, {field: [messages]})``.

    The cleaned item carries the clear resident ID number (``party_id_number``)
    for the service to encrypt, hash and mask: it is never stored or logged clear.
    """
    if not isinstance(raw, dict):
        return None, {"non_field_errors": [_("Each filing is an object of named fields.")]}
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}

    external_id = raw.get("external_id")
    external_id = external_id.strip() if isinstance(external_id, str) else ""
    if not external_id:
        errors["external_id"] = [_("This field is required.")]
    elif not _EXTERNAL_ID.match(external_id):
        errors["external_id"] = [_("1–128 letters, digits, “_” or “-”.")]
    cleaned["external_id"] = external_id

    kind = raw.get("party_kind") or ""
    if not isinstance(kind, str) or kind not in _PARTY_KINDS:
        errors["party_kind"] = [
            _("One of: %(choices)s.") % {"choices": ", ".join(FilingParty.values)}
        ]
    cleaned["party_kind"] = kind
    cleaned["party_name"] = _text(raw, "party_name", errors, max_length=200, required=True)
    cleaned["live_room_account"] = _text(raw, "live_room_account", errors, max_length=128)

    uscc = _text(raw, "party_uscc", errors, max_length=32)
    if uscc:
        uscc, messages = lookups.identifier("uscc", uscc)
        if messages:
            errors["party_uscc"] = messages
    cleaned["party_uscc"] = uscc
    number = _text(raw, "party_id_number", errors, max_length=32)
    if number:
        number, messages = lookups.identifier("ric", number)
        if messages:
            errors["party_id_number"] = messages
    cleaned["party_id_number"] = number

    # What identifies each kind of party (Order 117 Art. 2; REGULATIONS.md, "Parties").
    if kind == FilingParty.LIVE_ROOM and not cleaned["live_room_account"]:
        errors.setdefault("live_room_account", [_("A live room is identified by its account.")])
    elif kind == FilingParty.OPERATOR and not (uscc or number):
        errors.setdefault(
            "party_uscc", [_("An operator is identified by a USCC or a resident ID number.")]
        )
    elif kind == FilingParty.MARKETER and not number:
        errors.setdefault(
            "party_id_number", [_("A live marketer is identified by a resident ID number.")]
        )
    elif kind == FilingParty.AGENCY and not uscc:
        errors.setdefault("party_uscc", [_("An agency is identified by its USCC.")])

    code = raw.get("category") or ""
    category = lookups.categories.get(code) if isinstance(code, str) else None
    if category is None:
        errors["category"] = [_("Not a code of the violation taxonomy.")]
    cleaned["category"] = category

    measures = _list(raw, "measures", errors)
    unknown = [m for m in measures if not isinstance(m, str) or m not in _MEASURES]
    if unknown:
        errors["measures"] = [
            _("Unknown measures: %(unknown)s. One or more of: %(choices)s.")
            % {"unknown": ", ".join(map(str, unknown)), "choices": ", ".join(Measure.values)}
        ]
    elif not measures and "measures" not in errors:
        errors["measures"] = [_("Give at least one measure taken.")]
    # In order, without repeats (what is not a string was refused above).
    cleaned["measures"] = list(dict.fromkeys(m for m in measures if isinstance(m, str)))

    conduct_at = _moment(raw, "conduct_at", errors)
    acted_at = _moment(raw, "acted_at", errors)
    latest = lookups.now + CLOCK_SKEW
    if conduct_at and conduct_at > latest:
        errors["conduct_at"] = [_("This is in the future.")]
    if acted_at and acted_at > latest:
        errors["acted_at"] = [_("This is in the future.")]
    if conduct_at and acted_at and acted_at < conduct_at and "acted_at" not in errors:
        errors["acted_at"] = [_("The platform cannot act before the conduct.")]
    cleaned["conduct_at"], cleaned["acted_at"] = conduct_at, acted_at
    acted_on = acted_at.astimezone(lookups.tz).date() if acted_at else None

    suspended_until = _day(raw, "suspended_until", errors)
    if Measure.TERM_SUSPENSION in measures:
        if suspended_until is None and "suspended_until" not in errors:
            errors["suspended_until"] = [_("A suspension for a term needs its end date.")]
        elif suspended_until and acted_on and suspended_until <= acted_on:
            errors["suspended_until"] = [_("The suspension must end after the platform acted.")]
    cleaned["suspended_until"] = suspended_until if Measure.TERM_SUSPENSION in measures else None

    blacklisting = Measure.BLACKLISTING in measures
    blacklisted_until = _day(raw, "blacklisted_until", errors)
    appeal_route = _text(raw, "appeal_route", errors, max_length=2000)
    if blacklisting:
        # What the shared blacklist needs (Order 117 Art. 14): a term, an appeal route
        # and an identifier of the party.
        if blacklisted_until is None and "blacklisted_until" not in errors:
            errors["blacklisted_until"] = [_("Blacklisting needs the day its term ends.")]
        elif blacklisted_until and acted_on and blacklisted_until <= acted_on:
            errors["blacklisted_until"] = [_("The term must end after the platform acted.")]
        if not appeal_route:
            errors.setdefault(
                "appeal_route", [_("Tell the party how to appeal (Order 117 Art. 14).")]
            )
        if not (uscc or number) and "party_uscc" not in errors:
            errors["party_uscc"] = [_("Blacklisting needs the party's USCC or resident ID number.")]
    cleaned["blacklisted_until"] = blacklisted_until if blacklisting else None
    cleaned["appeal_route"] = appeal_route if blacklisting else ""

    cleaned["facts"] = _text(raw, "facts", errors, max_length=MAX_FACTS, required=True)

    links = _list(raw, "evidence_links", errors)
    if len(links) > MAX_LINKS:
        errors["evidence_links"] = [_("At most %(n)s links.") % {"n": MAX_LINKS}]
    else:
        for link in links:
            if not _is_web_address(link):
                errors["evidence_links"] = [
                    _("Not an http(s) address: %(link)s") % {"link": str(link)[:100]}
                ]
                break
    cleaned["evidence_links"] = links

    if errors:
        return None, errors
    return cleaned, {}


# --- where a filing goes --------------------------------------------------------


def filing_recipients(platform: Platform) -> tuple[list[Department], list[Department]]:
    """The departments every filing of ``platform`` reaches, and those the gravest
    measures reach in addition (Order 117 Art. 12 ¶3; the rule is this module's
    docstring). One query."""
    codes = [c for c in platform.domicile.path.split("/") if c]  # national … domicile
    candidates = sorted(
        Department.objects.filter(is_active=True, type__in=FILING_TYPES, region_id__in=codes)
        .select_related("region")
        .order_by("pk"),
        key=lambda d: -d.region.level,  # nearest first (sorted() keeps pk order on ties)
    )
    every, grave = [], []
    for dtype in FILING_TYPES:
        of_type = [d for d in candidates if d.type == dtype]
        nearest = next((d for d in of_type if d.region.level > Region.Level.NATIONAL), None)
        if nearest is not None:
            every.append(nearest)
        grave += [d for d in of_type if d.region.level == Region.Level.PROVINCE and d != nearest]
    return every, grave


def filing_routes(platform: Platform, gravities=(False, True)) -> dict[bool, int]:
    """The ids of the routes of ``platform``'s filings, by gravity: ``False`` the
    route of every filing, ``True`` that of the gravest (:func:`filing_recipients`).
    Each set of departments has one route, made the first time a filing takes it;
    two queries when the routes exist."""
    every, grave = filing_recipients(platform)
    domicile = [(d.pk, RecipientReason.DOMICILE) for d in every]
    pairs = {
        False: domicile,
        True: domicile + [(d.pk, RecipientReason.PROVINCIAL) for d in grave],
    }
    wanted = {gravity: FilingRoute.signature_of(pairs[gravity]) for gravity in gravities}
    ids = dict(
        FilingRoute.objects.filter(signature__in=set(wanted.values())).values_list(
            "signature", "pk"
        )
    )
    for gravity, signature in wanted.items():
        if signature not in ids:
            ids[signature] = _route_create(signature, pairs[gravity])
    return {gravity: ids[signature] for gravity, signature in wanted.items()}


def _route_create(signature: str, pairs) -> int:
    """Make the route of ``pairs``; a concurrent batch that made it first wins (the
    unique signature), and its route is returned."""
    try:
        with transaction.atomic():
            route = FilingRoute.objects.create(signature=signature)
            RouteRecipient.objects.bulk_create(
                RouteRecipient(route=route, department_id=pk, reason=reason) for pk, reason in pairs
            )
            return route.pk
    except IntegrityError:
        return FilingRoute.objects.get(signature=signature).pk


# --- storing ----------------------------------------------------------------------


def _require_filer(actor, platform: Platform) -> None:
    if (
        actor is None
        or not actor.has_perm("accounts.file_platform_reports")
        or getattr(actor, "platform_id", None) != platform.pk
    ):
        raise NotAllowed(_("Only the platform's own officers file for it."), code="not_filer")


def _actor_user(actor):
    from accounts.models import User

    return actor if isinstance(actor, User) else None


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
    user = _actor_user(actor)
    return {
        "platform_id": platform.pk,
        "received_at": now,
        "channel": channel,
        "submitted_by_id": user.pk if user else None,
        "submitted_by_label": actor_label(actor),
    }


_JSON_COLUMNS = frozenset({"measures", "evidence_links"})


def _copy_rows(model, rows: list[dict]) -> list[int]:
    """PostgreSQL: store ``rows`` with one ``COPY``, the fastest way in; the ids
    are drawn from the table's sequence first and returned."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        columns = ["id", *rows[0]]
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        raw = cursor.cursor  # psycopg's own cursor, for its COPY support
        with raw.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
            json_at = [i for i, c in enumerate(columns) if c in _JSON_COLUMNS]
            for pk, row in zip(ids, rows, strict=True):
                values = [pk, *row.values()]
                for i in json_at:
                    values[i] = to_json(values[i])
                copy.write_row(values)
    return ids


def _store(model, rows: list[dict]) -> list[int]:
    """Store ``rows`` in bulk, never one query per row: ``COPY`` on PostgreSQL,
    ``bulk_create`` elsewhere (SQLite returns the ids too)."""
    if not rows:
        return []
    rows = [seal_row(model, row) for row in rows]  # COPY calls no field's pre_save
    if connection.vendor == "postgresql":
        return _copy_rows(model, rows)
    objs = model.objects.bulk_create([model(**row) for row in rows])
    return [obj.pk for obj in objs]


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
    from blacklist.models import Measure as BlacklistMeasure
    from blacklist.services.platform_list import platform_entries_add

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
        ids = _store(
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
