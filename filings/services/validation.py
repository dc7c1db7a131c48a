"""The one validator of a disposal filing item, for the API, the web form and the
CSV upload alike: each field's bounds and each rule of the model, with a message
per field (Order 117 Art. 12; Trial Art. 9, 10, 14).
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from accounts.models import DepartmentType
from portal import dates
from portal.identity import (
    ric_fast,
    uscc_fast,
    validate_ric,
    validate_uscc,
)
from registry.models import ViolationCategory

from ..models import (
    EXTERNAL_ID_PATTERN,
    FilingParty,
    Measure,
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
                number, check = ric_fast(value, self.today), validate_ric
            else:
                number, check = uscc_fast(value), validate_uscc
            if number is None:
                try:
                    number = check(value)
                except ValidationError as exc:
                    verdict = ("", exc.messages)
            verdict = verdict or (number, [])
            self.checked[(kind, value)] = verdict
        return verdict


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
