"""The risk view: which platforms and live rooms of a department's jurisdiction to
inspect first (Trial Art. 26: special inspections of platforms with problems).

Each row carries its parts, counted in the database (one ``Subquery`` each,
never a Python loop over cases), and a score that is their weighted sum:

    score = Σ weight × part

Platform parts (weights in :data:`PLATFORM_PARTS`):

- complaints and reports naming the platform, received in the last 90 days
  (a report of a violation weighs more than a consumer dispute);
- disposal filings the platform made in the last 90 days (violations it found
  on itself: weighed low, filing is itself compliant);
- answers overdue now: notices to the platform and inspection document
  requests past their due date and unanswered (Order 117 Art. 12 ¶2, 21, 46,
  50; Trial Art. 26);
- parties on a blacklist today (departments' joint-punishment list, or another
  platform's shared list) that run or present live rooms on the platform;
- screening hits of the platform's own blacklist screenings in 90 days;
- roster gaps: of the last two half-years whose filing date has passed, those
  with no filed roster (Order 117 Art. 9).

Live room parts: complaints and reports about the room, filings about it,
blacklisted operator or marketers, and whether the room is missing from the
platform's roster of the last half-year due.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Platform
from accounts.scoping import jurisdiction_of
from blacklist.models import Entry, ScreeningLog
from complaints.models import Complaint
from filings.models import DisposalFiling, PlatformNotice
from portal.models import Deadline
from registry.models import LiveRoom, Marketer, Operator, Roster, RosterRow
from registry.selectors import live_rooms_visible_to

from .models import DocumentRequest

WINDOW_DAYS = 90


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    weight: int
    source: str


PLATFORM_PARTS = (
    Part("complaints_90", _("complaints, 90 days"), 1, _("Trial Art. 15; Order 117 Art. 20")),
    Part("reports_90", _("reports, 90 days"), 2, _("Trial Art. 18")),
    Part("filings_90", _("disposal filings, 90 days"), 1, _("Order 117 Art. 12; Trial Art. 9, 14")),
    Part(
        "overdue_answers",
        _("notices and document requests overdue"),
        5,
        _("Order 117 Art. 12 ¶2, 21, 46, 50; Trial Art. 26"),
    ),
    Part(
        "blacklisted",
        _("parties on a blacklist"),
        5,
        _("Trial Art. 14, 29; Order 117 Art. 14, 51"),
    ),
    Part("screening_hits_90", _("screening hits, 90 days"), 1, _("Order 117 Art. 14")),
    Part("roster_gaps", _("half-years without a filed roster"), 10, _("Order 117 Art. 9")),
)
LIVE_ROOM_PARTS = (
    Part("complaints_90", _("complaints, 90 days"), 1, _("Trial Art. 15; Order 117 Art. 20")),
    Part("reports_90", _("reports, 90 days"), 2, _("Trial Art. 18")),
    Part("filings_90", _("disposal filings, 90 days"), 1, _("Order 117 Art. 12; Trial Art. 9, 14")),
    Part(
        "blacklisted",
        _("operator or marketers on a blacklist"),
        5,
        _("Trial Art. 14, 29; Order 117 Art. 14, 51"),
    ),
    Part("roster_gaps", _("not on the last roster"), 3, _("Order 117 Art. 9")),
)


def _since(today: date) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=WINDOW_DAYS), time.min))


def _aggregate(queryset: QuerySet, function: str = "COUNT", field: str = "pk"):
    """``COUNT`` (or ``SUM``) over ``queryset``, filtered on ``OuterRef``, as a scalar
    subquery; 0 when there is nothing."""
    value = queryset.order_by().annotate(v=Func(F(field), function=function)).values("v")
    return Coalesce(Subquery(value, output_field=IntegerField()), Value(0))


def _score(parts) -> F:
    expression = None
    for part in parts:
        term = F(part.key) * Value(part.weight)
        expression = term if expression is None else expression + term
    return expression


def due_periods(today: date, n: int = 2) -> list[tuple[int, int]]:
    """The last ``n`` half-years whose roster filing date (end of January for the
    first half, end of July for the second: Order 117 Art. 9) has passed."""
    year, half = today.year, 2
    periods = []
    while len(periods) < n:
        due = date(year, 1, 31) if half == 1 else date(year, 7, 31)
        if due < today:
            periods.append((year, half))
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    return periods


def _active_entries(today: date):
    return Entry.objects.active(today)


def platforms_in_jurisdiction(user) -> QuerySet[Platform]:
    """Platforms domiciled in the department's region or below (Order 117 Art. 47 ¶1)."""
    queryset = Platform.objects.filter(is_active=True).select_related("domicile")
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.everything:
        return queryset
    if jurisdiction.region_path:
        return queryset.filter(domicile__path__startswith=jurisdiction.region_path)
    return queryset.none()


def platform_risk(user, *, today: date | None = None) -> QuerySet[Platform]:
    """Platforms in scope annotated with each part of :data:`PLATFORM_PARTS` and ``score``."""

    today = today or timezone.localdate()
    since = _since(today)
    cases = Complaint.objects.filter(platform_id=OuterRef("pk"), received_at__gte=since)
    annotations = {
        "complaints_90": _aggregate(cases.filter(kind=Complaint.Kind.COMPLAINT)),
        "reports_90": _aggregate(cases.filter(kind=Complaint.Kind.REPORT)),
    }

    annotations["filings_90"] = _aggregate(
        DisposalFiling.objects.filter(platform_id=OuterRef("pk"), received_at__gte=since)
    )

    def overdue(model, answered_field: str, platform_path: str):
        clock = Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=OuterRef("pk"),
            state=Deadline.State.RUNNING,
            due_on__lt=today,
        )
        rows = model.objects.filter(
            Exists(clock), **{platform_path: OuterRef("pk"), f"{answered_field}__isnull": True}
        )
        return _aggregate(rows)

    overdue_answers = overdue(DocumentRequest, "answered_at", "inspection__platform_id")
    annotations["overdue_answers"] = overdue_answers + overdue(
        PlatformNotice, "answered_at", "platform_id"
    )

    entries = _active_entries(today)
    rooms = LiveRoom.objects.filter(platform_id=OuterRef(OuterRef("pk")))
    presenters = LiveRoom.marketers.through.objects.filter(
        liveroom__platform_id=OuterRef(OuterRef("pk"))
    )
    on_list = entries.filter(
        Q(
            party_type=ContentType.objects.get_for_model(Operator),
            party_id__in=rooms.values("operator_id"),
        )
        | Q(
            party_type=ContentType.objects.get_for_model(Marketer),
            party_id__in=presenters.values("marketer_id"),
        )
    ).exclude(platform_id=OuterRef("pk"))  # its own listings are the platform at work
    annotations["blacklisted"] = _aggregate(on_list)

    annotations["screening_hits_90"] = _aggregate(
        ScreeningLog.objects.filter(platform_id=OuterRef("pk"), at__gte=since), "SUM", "hits"
    )

    gaps = None
    for year, half in due_periods(today):
        filed = Roster.objects.filter(
            platform_id=OuterRef("pk"), year=year, half=half, status="filed"
        )
        missing = Case(When(Exists(filed), then=Value(0)), default=Value(1))
        gaps = missing if gaps is None else gaps + missing
    annotations["roster_gaps"] = gaps

    return (
        platforms_in_jurisdiction(user)
        .annotate(**annotations)
        .annotate(score=_score(PLATFORM_PARTS))
    )


def live_room_risk(user, *, today: date | None = None) -> QuerySet[LiveRoom]:
    """Live rooms in scope (Order 117 Art. 47 ¶2) annotated with :data:`LIVE_ROOM_PARTS`."""

    today = today or timezone.localdate()
    since = _since(today)
    cases = Complaint.objects.filter(live_room_id=OuterRef("pk"), received_at__gte=since)
    annotations = {
        "complaints_90": _aggregate(cases.filter(kind=Complaint.Kind.COMPLAINT)),
        "reports_90": _aggregate(cases.filter(kind=Complaint.Kind.REPORT)),
    }
    annotations["filings_90"] = _aggregate(
        DisposalFiling.objects.filter(live_room_id=OuterRef("pk"), received_at__gte=since)
    )
    entries = _active_entries(today)
    presenters = LiveRoom.marketers.through.objects.filter(liveroom_id=OuterRef(OuterRef("pk")))
    on_list = entries.filter(
        Q(
            party_type=ContentType.objects.get_for_model(Operator),
            party_id=OuterRef("operator_id"),
        )
        | Q(
            party_type=ContentType.objects.get_for_model(Marketer),
            party_id__in=presenters.values("marketer_id"),
        )
    ).exclude(platform_id=OuterRef("platform_id"))
    annotations["blacklisted"] = _aggregate(on_list)
    year, half = due_periods(today, 1)[0]
    listed = RosterRow.objects.filter(
        roster__platform_id=OuterRef("platform_id"),
        roster__year=year,
        roster__half=half,
        roster__status="filed",
        live_room_account=OuterRef("account_id"),
    )
    annotations["roster_gaps"] = Case(When(Exists(listed), then=Value(0)), default=Value(1))
    return (
        live_rooms_visible_to(user)
        .select_related("platform", "operator")
        .annotate(**annotations)
        .annotate(score=_score(LIVE_ROOM_PARTS))
    )


def sort_keys(parts) -> set[str]:
    return {"score", "name", *(p.key for p in parts)}


def ordered(queryset: QuerySet, sort: str, parts) -> tuple[QuerySet, str]:
    """Order by ``sort`` (a part, ``score`` or ``name``; ``-`` for descending),
    ties by name; an unknown key falls back to the highest score first."""
    key = sort.lstrip("-")
    if key not in sort_keys(parts):
        sort, key = "-score", "score"
    return queryset.order_by(sort, "name", "pk"), sort


def categories_by(field: str, ids, *, today: date | None = None) -> dict[int, list[tuple]]:
    """Complaints and reports of the last 90 days by category for the rows ``ids``
    (``field`` is ``platform_id`` or ``live_room_id``): one grouped query."""

    today = today or timezone.localdate()
    rows = (
        Complaint.objects.filter(**{f"{field}__in": list(ids)}, received_at__gte=_since(today))
        .order_by()
        .values(field, "category__code", "category__name", "category__name_en")
        .annotate(n=Count("pk"))
        .order_by(field, "-n", "category__code")
    )
    result: dict[int, list[tuple]] = defaultdict(list)
    from django.utils.translation import get_language

    english = (get_language() or "").startswith("en")
    for row in rows:
        name = row["category__name_en"] if english and row["category__name_en"] else None
        result[row[field]].append((name or row["category__name"], row["n"]))
    return result


def parts_of(row, parts) -> list[tuple[Part, int, int]]:
    """(part, count, weighted) of one annotated row."""
    return [(p, getattr(row, p.key), getattr(row, p.key) * p.weight) for p in parts]
