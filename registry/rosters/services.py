"""Identity rosters: every January and July a platform files the roster of its
live room operators and marketers (Order 117 Art. 9).

One row validator (:func:`validate_roster_row`) serves the CSV and XLSX uploads
and the API. A roster with any row in error is kept with its error report but
not filed (status ``rejected``); the platform corrects it and sends it again,
which makes a new version. A roster that passes is filed and replaces the one
filed before for the same half-year: at once through the API (an integrator sends
the whole roster on purpose), and on the web page only once the officer has seen
what it changes and confirmed (status ``pending`` until then, for
:data:`PENDING_VALID_FOR`). A roster filed after the last day of its half-year
is marked ``late``.
"""

from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Platform, Region
from portal.audit import actor_user, audit_record
from portal.errors import Conflict, DomainError, NotAllowed
from portal.identity import (
    encrypt_identity,
    identity_hash,
    mask_ric,
    ric_birth_date,
    validate_ric,
    validate_uscc,
)
from portal.rules import citation_of, rule_set_for, rule_sets_all

from ..age import age_status
from ..models import Roster, RosterChannel, RosterRow, RosterRowKind, RosterStatus

MAX_ROWS = 50_000
# How long an upload waits for the officer's confirmation before it must be sent again.
PENDING_VALID_FOR = timedelta(hours=24)

# The columns of a roster file and of an API row, in this order.
ROSTER_COLUMNS = (
    "kind",
    "name",
    "id_number",
    "uscc",
    "live_room_account",
    "business_region",
    "home_region",
    "contact",
    "guardian_consent",
)
COLUMN_LABELS = {
    "kind": gettext_lazy("kind (operator or marketer)"),
    "name": gettext_lazy("name"),
    "id_number": gettext_lazy("resident ID number"),
    "uscc": gettext_lazy("unified social credit code"),
    "live_room_account": gettext_lazy("live room account id"),
    "business_region": gettext_lazy("actual business region (GB/T 2260 code)"),
    "home_region": gettext_lazy("domicile or usual residence (GB/T 2260 code)"),
    "contact": gettext_lazy("contact"),
    "guardian_consent": gettext_lazy("guardian's consent (yes or no: for a person aged 16 or 17)"),
    "row": gettext_lazy("the row"),
}
KIND_ALIASES = {
    "operator": RosterRowKind.OPERATOR,
    "运营者": RosterRowKind.OPERATOR,
    "直播间运营者": RosterRowKind.OPERATOR,
    "marketer": RosterRowKind.MARKETER,
    "营销人员": RosterRowKind.MARKETER,
    "直播营销人员": RosterRowKind.MARKETER,
    "主播": RosterRowKind.MARKETER,
}


CONSENT_YES = {"yes", "y", "true", "1", "是", "有", "同意"}
CONSENT_NO = {"", "no", "n", "false", "0", "否", "无", "不同意"}


def roster_period_of(day: date) -> tuple[int, int]:
    """The half-year a roster filed on ``day`` covers: January files the first
    half, July the second (Order 117 Art. 9)."""
    return day.year, 1 if day.month <= 6 else 2


def roster_due_on(year: int, half: int) -> date:
    """The last day to file: the end of January or of July (the article:
    :func:`roster_article` ``("roster-deadline", …)``)."""
    return Roster.due_on_of(year, half)


def roster_date_of(year: int, half: int) -> date:
    """The day a half-year's roster speaks of, on which ages are counted: its first
    day. Counting on the first day, not on the day of filing, gives every roster of
    a half-year the same answer, whenever it is sent."""
    return Roster.date_of(year, half)


_ARTICLE_FALLBACK = {
    "roster-deadline": gettext_lazy("Order 117 Art. 9"),
    "roster-age": gettext_lazy("Trial Art. 17"),
}


def roster_article(document: str, day: date) -> str:
    """The article the rule sets cite for ``document`` (``roster-deadline``,
    ``roster-age``): that of the platform rule set in force on ``day``, else of the
    newest platform set that cites one (Order 117 took effect after the first
    rosters' periods)."""
    citation = None
    with suppress(DomainError):  # no platform rule set in force that day
        citation = citation_of(rule_set_for("platform", day), document)
    if citation is None:
        citation = next(
            (
                found
                for rule_set in rule_sets_all()
                if rule_set.matter == "platform"
                and (found := citation_of(rule_set, document)) is not None
            ),
            None,
        )
    return citation.source_label if citation else str(_ARTICLE_FALLBACK[document])


def roster_deadline_article(year: int, half: int) -> str:
    """The article that sets the half-year's deadline (Order 117 Art. 9)."""
    return roster_article("roster-deadline", roster_due_on(year, half))


@dataclass
class CleanRow:
    row_number: int
    values: dict
    id_number: str
    errors: dict


def _cell(raw: dict, name: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():  # XLSX numbers: 330106.0
        value = int(value)
    return str(value).strip()


def validate_roster_row(
    raw, *, row_number: int, regions: dict[str, Region], on: date | None = None
) -> CleanRow:
    """Check one row: the kind, a name, identifiers by checksum, regions by code, and
    the age rule on the roster's day ``on`` (:func:`roster_date_of`; default today)."""
    if not isinstance(raw, dict):
        return CleanRow(row_number, {}, "", {"row": [_("Each row is an object of named fields.")]})
    errors: dict[str, list[str]] = {}
    values: dict = {}
    kind = KIND_ALIASES.get(_cell(raw, "kind").lower())
    if kind is None:
        errors["kind"] = [_("Write “operator” or “marketer”.")]
    values["kind"] = kind or ""
    for name, limit in (("name", 200), ("live_room_account", 128), ("contact", 100)):
        values[name] = _cell(raw, name)
        if len(values[name]) > limit:
            errors[name] = [_("At most %(n)s characters.") % {"n": limit}]
    if not values["name"]:
        errors["name"] = [_("The name is missing.")]

    number = _cell(raw, "id_number")
    if number:
        try:
            number = validate_ric(number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages
    uscc = _cell(raw, "uscc")
    if uscc:
        try:
            uscc = validate_uscc(uscc)
        except ValidationError as exc:
            errors["uscc"] = exc.messages
            uscc = uscc[:18]
    values["uscc"] = uscc
    if kind == RosterRowKind.OPERATOR and not (number or uscc):
        errors.setdefault(
            "uscc", [_("An operator is identified by a USCC or a resident ID number.")]
        )
    if kind == RosterRowKind.MARKETER and not number:
        errors.setdefault(
            "id_number", [_("A live marketer is identified by a resident ID number.")]
        )

    consent = _cell(raw, "guardian_consent").lower()
    values["guardian_consent"] = consent in CONSENT_YES
    if consent not in CONSENT_YES | CONSENT_NO:
        errors["guardian_consent"] = [_("Write “yes” or “no”.")]
    # Trial Art. 17: a marketer, and an operator who is a natural person (identified by
    # a resident ID number, not a USCC), is at least 16; at 16 or 17 only with a
    # guardian's consent, recorded "yes". Both are row errors.
    natural_person = kind == RosterRowKind.MARKETER or (kind == RosterRowKind.OPERATOR and not uscc)
    if natural_person and number and "id_number" not in errors:
        day = on or timezone.localdate()
        status = age_status(ric_birth_date(number), day)
        if not status.allowed:
            errors["id_number"] = [status.message]
        elif status.needs_guardian_consent and not values["guardian_consent"]:
            errors["guardian_consent"] = [
                _(
                    "Aged %(age)s on %(day)s, the roster's date: a person aged 16 or 17 "
                    "may act only with a guardian's consent (%(article)s). Write “yes” in "
                    "guardian_consent once the consent is on file."
                )
                % {
                    "age": status.age,
                    "day": day.isoformat(),
                    "article": roster_article("roster-age", day),
                }
            ]

    for name in ("business_region", "home_region"):
        code = _cell(raw, name)
        values[name] = regions.get(code) if code else None
        if code and values[name] is None:
            errors[name] = [_("“%(code)s” is not a region code we know.") % {"code": code[:12]}]
    if kind == RosterRowKind.OPERATOR and not _cell(raw, "business_region"):
        errors.setdefault(
            "business_region", [_("Give the operator's actual business region (Art. 9).")]
        )
    return CleanRow(row_number, values, number, errors)


def _check_filer(actor, platform: Platform) -> None:
    if (
        actor is None
        or not actor.has_perm("accounts.file_platform_reports")
        or getattr(actor, "platform_id", None) != platform.pk
    ):
        raise NotAllowed(_("Only the platform's own officers file its roster."))


def _row(roster: Roster, clean: CleanRow, raw_number: str) -> RosterRow:
    row = RosterRow(roster=roster, row_number=clean.row_number, errors=clean.errors)
    for name in ("kind", "name", "uscc", "live_room_account", "contact"):
        setattr(row, name, clean.values.get(name, ""))
    row.guardian_consent = bool(clean.values.get("guardian_consent"))
    row.business_region = clean.values.get("business_region")
    row.home_region = clean.values.get("home_region")
    if clean.id_number and "id_number" not in clean.errors:
        row.id_number_encrypted = encrypt_identity(clean.id_number)
        row.id_number_hash = identity_hash(clean.id_number)
        row.id_number_masked = mask_ric(clean.id_number)
    elif raw_number:  # a wrong number is kept only masked, for the error report
        row.id_number_masked = mask_ric(raw_number)[:18]
    return row


@transaction.atomic
def roster_file(
    *,
    platform: Platform,
    year: int,
    half: int,
    rows: list,
    channel: str,
    actor,
    upload=None,
    confirm_later: bool = False,
) -> Roster:
    """Validate and store a roster; file it when no row is in error, or, with
    ``confirm_later`` (the upload page), keep it pending until the platform has
    seen what changes and confirms (:func:`roster_confirm`).

    ``rows`` are dicts keyed by :data:`ROSTER_COLUMNS` (numbered from 2 when they
    come from a file with a header line, else from 1: pass ``row_number``).
    ``upload`` is the file as received: only its name is kept. The file itself holds
    identity numbers in clear, so it is not stored; its rows are, each number
    encrypted, hashed and masked.
    """
    _check_filer(actor, platform)
    if channel not in RosterChannel.values:
        raise DomainError(_("Unknown channel."))
    if half not in (1, 2):
        raise DomainError(_("The half-year is 1 or 2."), code="half")
    if not 2021 <= year <= timezone.localdate().year or (
        date(year, 1 if half == 1 else 7, 1) > timezone.localdate()
    ):
        raise DomainError(_("That half-year cannot be filed now."), code="period")
    if not rows:
        raise DomainError(_("The roster has no rows."), code="empty")
    if len(rows) > MAX_ROWS:
        raise DomainError(_("At most %(n)s rows in one roster.") % {"n": MAX_ROWS}, code="too_many")
    codes = {
        _cell(r, name)
        for r in rows
        if isinstance(r, dict)
        for name in ("business_region", "home_region")
    }
    regions = Region.objects.in_bulk([c for c in codes if c], field_name="code")
    cleaned = [
        validate_roster_row(
            raw,
            row_number=int(raw.get("row_number") or index + 1)
            if isinstance(raw, dict)
            else index + 1,
            regions=regions,
            on=roster_date_of(year, half),
        )
        for index, raw in enumerate(rows)
    ]
    seen: dict[tuple, int] = {}
    for clean in cleaned:
        if clean.errors:
            continue
        key = (
            clean.values["kind"],
            clean.id_number or clean.values["uscc"],
            clean.values["live_room_account"],
        )
        if key in seen:
            clean.errors["row"] = [
                _("The same party and live room as row %(n)s.") % {"n": seen[key]}
            ]
        else:
            seen[key] = clean.row_number
    error_count = sum(1 for c in cleaned if c.errors)

    platform = Platform.objects.select_for_update().get(pk=platform.pk)
    period = Roster.objects.filter(platform=platform, year=year, half=half)
    latest = period.order_by("-version").first()
    now = timezone.now()
    if error_count:
        status = RosterStatus.REJECTED
    else:
        status = RosterStatus.PENDING if confirm_later else RosterStatus.FILED
    if status == RosterStatus.FILED:
        period.filter(status=RosterStatus.FILED).update(status=RosterStatus.SUPERSEDED)
    roster = Roster(
        platform=platform,
        year=year,
        half=half,
        version=(period.aggregate(v=Max("version"))["v"] or 0) + 1,
        status=status,
        channel=channel,
        row_count=len(cleaned),
        error_count=error_count,
        supersedes=latest,
        uploaded_at=now,
        uploaded_by=actor_user(actor),
        uploaded_by_label=(
            getattr(actor, "get_full_name", lambda: "")() or getattr(actor, "username", "")
        )[:200],
        filed_at=now if status == RosterStatus.FILED else None,
    )
    roster.late = status == RosterStatus.FILED and roster.late_if_filed_at(now)
    if upload is not None:
        roster.original_name = upload.name[:200]
    roster.full_clean(exclude=["file"])
    roster.save()
    RosterRow.objects.bulk_create(
        [
            _row(roster, clean, _cell(raw, "id_number") if isinstance(raw, dict) else "")
            for clean, raw in zip(cleaned, rows, strict=True)
        ],
        batch_size=2000,
    )
    audit_record(
        actor=actor,
        action={
            RosterStatus.FILED: "roster.filed",
            RosterStatus.PENDING: "roster.uploaded",
        }.get(status, "roster.rejected"),
        subject=roster,
        data={
            "rows": len(cleaned),
            "errors": error_count,
            "channel": channel,
            **({"late": True} if roster.late else {}),
        },
    )
    return roster


@transaction.atomic
def roster_confirm(*, roster: Roster, actor) -> Roster:
    """File a pending roster: the platform saw what it changes and confirmed.

    Refused (409) when the preview is stale: a later roster was filed for the
    half-year since (what the officer saw is no longer what filing replaces), a
    later upload waits for confirmation, or the preview is older than
    :data:`PENDING_VALID_FOR`. The roster it replaces is superseded; filed after
    the half-year's last day, it is marked late."""
    _check_filer(actor, roster.platform)
    Platform.objects.select_for_update().get(pk=roster.platform_id)
    roster = Roster.objects.get(pk=roster.pk)
    if roster.status != RosterStatus.PENDING:
        raise Conflict(_("This roster is not waiting for confirmation."), code="not_pending")
    period = Roster.objects.filter(
        platform_id=roster.platform_id, year=roster.year, half=roster.half
    )
    later = period.filter(version__gt=roster.version)
    if later.filter(filed_at__isnull=False).exists():
        raise Conflict(
            _(
                "The roster of this half-year changed after this preview was made: "
                "upload your file again to see what it changes now."
            ),
            code="stale",
        )
    if later.exists():
        raise Conflict(
            _("A later roster was sent for this half-year: confirm that one instead."),
            code="not_latest",
        )
    now = timezone.now()
    if now > roster_pending_expires_at(roster):
        raise Conflict(
            _("This preview has expired: upload the file again to see what it changes now."),
            code="expired",
        )
    period.filter(status=RosterStatus.FILED).update(status=RosterStatus.SUPERSEDED)
    roster.status, roster.filed_at = RosterStatus.FILED, now
    roster.late = roster.late_if_filed_at(now)
    roster.save(update_fields=["status", "filed_at", "late"])
    audit_record(
        actor=actor,
        action="roster.filed",
        subject=roster,
        data={"rows": roster.row_count, "late": roster.late},
    )
    return roster


def roster_pending_expires_at(roster: Roster):
    """Until when a pending upload may be confirmed."""
    return roster.uploaded_at + PENDING_VALID_FOR


def rosters_pending_expire(*, now=None) -> int:
    """End the uploads that waited past :data:`PENDING_VALID_FOR` without being
    confirmed (the beat's ``rosters-expire-pending``): their rows, each with a
    resident ID number, are deleted, since nothing may use them any more; the roster
    is kept as ``expired`` with its counts and file name, and each is an audit
    event. How many were ended."""
    now = now or timezone.now()
    ended = 0
    while True:
        with transaction.atomic():
            batch = list(
                Roster.objects.select_for_update(skip_locked=True)
                .filter(status=RosterStatus.PENDING, uploaded_at__lt=now - PENDING_VALID_FOR)
                .order_by("pk")[:200]
            )
            if not batch:
                return ended
            RosterRow.objects.filter(roster__in=batch).delete()
            Roster.objects.filter(pk__in=[r.pk for r in batch]).update(status=RosterStatus.EXPIRED)
            for roster in batch:
                audit_record(
                    actor=None,
                    action="roster.expired",
                    subject=roster,
                    data={"rows": roster.row_count},
                )
        ended += len(batch)
