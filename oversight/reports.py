"""Staff statistics and the periodic statistical reports.

Every figure is counted in the database (one grouped query per chart), so the
staff statistics page costs the same number of queries whatever the number of
cases. A report is requested by :func:`report_request`, generated in the
background by ``oversight.tasks.generate_report_task`` through
:func:`report_generate`, and read back through a view that checks its scope.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, override
from django.utils.translation import gettext as _

from accounts.models import Department, Platform, Region
from accounts.scoping import scope_queryset
from complaints.models import FINISHED_STATUSES, Complaint, Outcome
from complaints.selectors import complaints_visible_to
from portal.audit import audit_record
from portal.cache import cached_figures
from portal.dates import validate_day
from portal.errors import NotAllowed
from portal.i18n import localised
from portal.models import Deadline
from portal.pdf import html_to_pdf
from registry.models import ViolationCategory

from .charts import Chart, Point
from .dashboards import (
    Scope,
    blacklist_figures,
    inspection_figures,
    platform_answers,
)
from .models import StatisticalReport
from .summary import CaseGroups, case_groups, live_case_groups, refresh_minutes, refreshed_at
from .tasks import generate_report_task

#: The longest span of months the staff page draws month by month.
MAX_MONTHS = 36
REPORT_TEMPLATE = "oversight/report_pdf.html"


# --- periods ------------------------------------------------------------------


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _add_months(first: date, n: int) -> date:
    index = first.year * 12 + first.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from ``first``'s to ``last``'s, inclusive."""
    month, end = date(first.year, first.month, 1), date(last.year, last.month, 1)
    months = []
    while month <= end and len(months) < MAX_MONTHS:
        months.append(month)
        month = _add_months(month, 1)
    return months


def period_bounds(kind: str, start: date) -> tuple[date, date]:
    """The first day of the month or quarter holding ``start`` and the first day after it."""
    if kind == StatisticalReport.PeriodKind.QUARTERLY:
        first = date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
        return first, _add_months(first, 3)
    first = date(start.year, start.month, 1)
    return first, _add_months(first, 1)


# --- aggregates -----------------------------------------------------------------


def _counted(queryset: QuerySet):

    return queryset.exclude(status=Complaint.Status.MERGED).order_by()


def statistics(
    queryset: QuerySet,
    *,
    first: date,
    last: date,
    scope: Scope,
    prefix: str = "chart",
    category=None,
    platform=None,
    groups: CaseGroups | None = None,
) -> dict:
    """The charts of ``queryset``'s cases received from ``first`` to ``last``
    (inclusive): by month, category, platform and outcome (one grouped query and
    the names of the categories and platforms), the timeliness of the decisions
    (one query); the median days to
    decide, the platforms' answers to the forwarded ones, and the blacklist entries
    and inspections of ``scope`` in the period (of ``category`` / ``platform`` when
    given). The cases' figures are summed from ``groups`` when given (the summary,
    oversight.summary), else counted from ``queryset``."""

    since, until = _aware(first), _aware(last + timedelta(days=1))
    months = months_between(first, last)
    if groups is None:
        groups = live_case_groups(queryset.filter(received_at__gte=since, received_at__lt=until))
    # The period's cases by month, category, platform and outcome: from the narrow
    # summary a small read each; counted from the cases, one grouped read by all
    # four (at most months x categories x platforms x statuses x outcomes rows).
    month_rows, category_rows, platform_rows, outcome_rows = groups.split(
        ("month",), ("category_id",), ("platform_id",), ("status", "outcome")
    )
    per_month: dict[date, int] = {}
    for row in month_rows:
        month = row["month"]
        if isinstance(month, datetime):
            month = month.date()
        per_month[month] = per_month.get(month, 0) + row["n"]
    by_category = {row["category_id"]: row["n"] for row in category_rows}
    by_platform = {row["platform_id"]: row["n"] for row in platform_rows}
    outcomes = {"total": 0, "open": 0, "declined": 0, **{f"o_{c}": 0 for c in Outcome.values}}
    for row in outcome_rows:
        n = row["n"]
        outcomes["total"] += n
        if row["status"] not in FINISHED_STATUSES:
            outcomes["open"] += n
        if row["status"] == Complaint.Status.DECLINED:
            outcomes["declined"] += n
        if row["outcome"] in Outcome.values:
            outcomes[f"o_{row['outcome']}"] += n
    names = {
        c["pk"]: c
        for c in ViolationCategory.objects.filter(pk__in=by_category).values(
            "pk", "code", "name", "name_en"
        )
    }
    categories = sorted(
        (
            {
                "category__code": names[pk]["code"],
                "category__name": names[pk]["name"],
                "category__name_en": names[pk]["name_en"],
                "n": n,
            }
            for pk, n in by_category.items()
        ),
        key=lambda r: (-r["n"], r["category__code"]),
    )
    platform_names = {
        p["pk"]: p
        for p in Platform.objects.filter(pk__in=[k for k in by_platform if k]).values(
            "pk", "name", "name_en"
        )
    }
    platforms = sorted(
        (
            {
                "platform__id": pk,
                "platform__name": platform_names[pk]["name"] if pk else None,
                "platform__name_en": platform_names[pk]["name_en"] if pk else None,
                "n": n,
            }
            for pk, n in by_platform.items()
        ),
        key=lambda r: (-r["n"], r["platform__name"] or "\uffff"),
    )
    clocks = groups.clocks_kept()

    def platform_label(row: dict) -> str:
        if row["platform__name"] is None:
            return _("Other platforms")
        return localised(row["platform__name"], row["platform__name_en"])

    charts = [
        Chart(
            chart_id=f"{prefix}-month",
            title=_("Cases received per month"),
            points=[Point(f"{m:%Y-%m}", per_month.get(m, 0)) for m in months],
            kind="line",
            label_header=_("Month"),
            value_header=_("Cases received"),
        ),
        Chart(
            chart_id=f"{prefix}-category",
            title=_("Cases by category"),
            points=[
                Point(localised(r["category__name"], r["category__name_en"]), r["n"])
                for r in categories
            ],
            label_header=_("Category"),
            value_header=_("Cases"),
        ),
        Chart(
            chart_id=f"{prefix}-platform",
            title=_("Cases by platform"),
            points=[Point(platform_label(r), r["n"]) for r in platforms],
            label_header=_("Platform"),
            value_header=_("Cases"),
        ),
        Chart(
            chart_id=f"{prefix}-outcome",
            title=_("Cases by outcome"),
            points=[
                Point(_("Still open"), outcomes["open"]),
                Point(str(Complaint.Status.DECLINED.label), outcomes["declined"]),
                *(Point(str(label), outcomes[f"o_{code}"]) for code, label in Outcome.choices),
            ],
            label_header=_("Outcome"),
            value_header=_("Cases"),
        ),
        Chart(
            chart_id=f"{prefix}-timeliness",
            title=_("Decisions within the legal time limit"),
            points=[
                Point(_("Decided in time"), clocks["on_time"]),
                Point(_("Decided late"), clocks["met"] - clocks["on_time"]),
            ],
            label_header=_("Decisions"),
            value_header=_("Cases"),
        ),
    ]
    blacklist_scope = Q(entry__category=category) if category is not None else Q()
    inspection_scope = Q(platform=platform) if platform is not None else Q()
    return {
        "charts": charts,
        "total": outcomes["total"],
        "clocks_kept": clocks,
        "median_decision_days": groups.median_days(),
        "answers": platform_answers(groups.answers()),
        "blacklist": blacklist_figures(scope, since=since, until=until, extra=blacklist_scope),
        "inspections": inspection_figures(scope, since=since, until=until, extra=inspection_scope),
        "first": first,
        "last": last,
        "figures_live": groups.live,
        "figures_as_of": groups.refreshed_at,
        "figures_every": refresh_minutes(),
    }


# --- the staff statistics page -------------------------------------------------


class StatisticsFilterForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("Received from"), required=False, validators=[validate_day]
    )
    date_to = forms.DateField(
        label=gettext_lazy("Received until"), required=False, validators=[validate_day]
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    category = forms.ModelChoiceField(label=gettext_lazy("Category"), queryset=None, required=False)
    platform = forms.ModelChoiceField(label=gettext_lazy("Platform"), queryset=None, required=False)
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region within your jurisdiction"), queryset=None, required=False
    )

    def __init__(self, *args, user=None, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *Complaint.Kind.choices]
        self.fields["category"].queryset = ViolationCategory.objects.order_by("ordering", "code")
        self.fields["platform"].queryset = Platform.objects.order_by("name")
        self.fields["region"].queryset = scope_queryset(
            Region.objects.order_by("path"), user, region_path="path", platform=None
        )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and first > last:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return cleaned


def staff_statistics(user, data=None, *, today: date | None = None) -> dict:
    """The staff statistics page: the filter form and the charts of the user's scope."""

    today = today or timezone.localdate()
    form = StatisticsFilterForm(data or None, user=user)
    cleaned = form.cleaned_data if form.is_valid() else {}
    last = cleaned.get("date_to") or today
    first = cleaned.get("date_from") or _add_months(date(last.year, last.month, 1), -11)
    scope = Scope.of_user(user)
    cases = complaints_visible_to(user)
    if cleaned.get("kind"):
        cases = cases.filter(kind=cleaned["kind"])
    if cleaned.get("category"):
        cases = cases.filter(category=cleaned["category"])
    if cleaned.get("platform"):
        cases = cases.filter(platform=cleaned["platform"])
    if cleaned.get("region"):
        cases = cases.filter(department__region__path__startswith=cleaned["region"].path)
        scope = Scope(cleaned["region"].path, scope.department_type)
    # Whole months are summed from the summary; a period starting or ending inside a
    # month is counted from the cases themselves.
    whole_months = first.day == 1 and (last >= today or (last + timedelta(days=1)).day == 1)
    at = refreshed_at() if whole_months else None
    filters = {}
    if cleaned.get("kind"):
        filters["kind"] = cleaned["kind"]
    if cleaned.get("category"):
        filters["category_id"] = cleaned["category"].pk
    if cleaned.get("platform"):
        filters["platform_id"] = cleaned["platform"].pk
    parts = (
        "staff-statistics",
        scope.region_path,
        scope.department_type,
        first,
        last,
        cleaned.get("kind") or "",
        getattr(cleaned.get("category"), "pk", None),
        getattr(cleaned.get("platform"), "pk", None),
        get_language(),
        at,
    )

    def compute() -> dict:
        groups = None
        if at is not None:
            groups = case_groups(
                scope,
                cases,
                first=date(first.year, first.month, 1),
                last=date(last.year, last.month, 1),
                refreshed=at,
                **filters,
            )
        return statistics(
            cases,
            first=first,
            last=last,
            scope=scope,
            category=cleaned.get("category"),
            platform=cleaned.get("platform"),
            groups=groups,
        )

    figures = cached_figures(parts, compute)
    figures = {**figures, "partial_months": not whole_months}
    return {"form": form, **figures}


# --- periodic reports ----------------------------------------------------------


def departments_in_scope(user) -> QuerySet:

    return scope_queryset(
        Department.objects.all(),
        user,
        region_path="region__path",
        department_type="type",
        platform=None,
    )


def reports_visible_to(user) -> QuerySet[StatisticalReport]:
    return scope_queryset(
        StatisticalReport.objects.select_related("department", "requested_by"),
        user,
        region_path="department__region__path",
        department_type="department__type",
        platform=None,
    )


def department_cases(department) -> QuerySet:
    """The cases of ``department``'s jurisdiction, scoped as ``complaints_visible_to``
    scopes them for its staff."""

    return Complaint.objects.filter(
        department__region__path__startswith=department.region.path,
        department__type=department.type,
    )


class ReportRequestForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("Reporting period"), choices=StatisticalReport.PeriodKind.choices
    )
    start = forms.DateField(
        label=gettext_lazy("Any day of the month or quarter"),
        help_text=gettext_lazy("The report covers the whole month or quarter holding this day."),
        validators=[validate_day],
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=StatisticalReport.Language.choices
    )


def report_request(*, actor, department, period: str, start: date, language: str):
    """Queue a report of ``department``'s jurisdiction; it is generated once committed."""

    if not departments_in_scope(actor).filter(pk=department.pk).exists():
        raise NotAllowed(_("This department is outside your jurisdiction."))
    first, _end = period_bounds(period, start)
    with transaction.atomic():
        report = StatisticalReport.objects.create(
            department=department,
            period_kind=period,
            period_start=first,
            language=language,
            requested_by=actor,
        )
        audit_record(
            actor=actor,
            action="report.requested",
            subject=report,
            data={"period": period, "start": first.isoformat(), "language": language},
        )
        transaction.on_commit(lambda: generate_report_task.delay(report.pk))
    return report


def last_finished_periods(today: date) -> list[tuple[str, date]]:
    """The month and the quarter that ended before ``today``: (kind, first day)."""
    this_month = date(today.year, today.month, 1)
    this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return [
        (StatisticalReport.PeriodKind.MONTHLY, _add_months(this_month, -1)),
        (StatisticalReport.PeriodKind.QUARTERLY, _add_months(this_quarter, -3)),
    ]


def reports_schedule(*, today: date, language: str = StatisticalReport.Language.ZH_HANS) -> int:
    """Make the monthly report of the last month and the quarterly report of the last
    quarter for every active department that has not got them yet; returns how many
    were queued.

    Run daily by Celery beat (``CELERY_BEAT_SCHEDULE["statistical-reports"]``): on
    the 1st it makes the month's reports, on the first day of a quarter the
    quarter's too, and on the other days nothing, unless a run was missed (the
    worker was down on the 1st) or a department was added. Running it twice makes
    no second report: one query finds the reports already made, and the partial
    unique constraint ``statistical_report_scheduled_once`` stops a concurrent run.
    """

    made = 0
    departments = list(Department.objects.filter(is_active=True).order_by("pk"))
    for kind, first in last_finished_periods(today):
        done = set(
            StatisticalReport.objects.filter(
                scheduled=True, period_kind=kind, period_start=first, language=language
            ).values_list("department_id", flat=True)
        )
        for department in departments:
            if department.pk in done:
                continue
            with transaction.atomic():
                report, created = StatisticalReport.objects.get_or_create(
                    department=department,
                    period_kind=kind,
                    period_start=first,
                    language=language,
                    scheduled=True,
                )
                if not created:
                    continue
                audit_record(
                    actor=None,
                    action="report.scheduled",
                    subject=report,
                    data={"period": kind, "start": first.isoformat(), "language": language},
                )
                transaction.on_commit(
                    lambda pk=report.pk: generate_report_task.delay(pk)  # type: ignore[misc]
                )
            made += 1
    return made


def _progress(report: StatisticalReport, progress: int, **fields) -> None:
    for name, value in {"progress": progress, **fields}.items():
        setattr(report, name, value)
    StatisticalReport.objects.filter(pk=report.pk).update(progress=progress, **fields)


@dataclass(frozen=True)
class _Period:
    first: date
    last: date


#: The most overdue cases a report lists in its annex (the staff queue lists them all).
ANNEX_LIMIT = 400


def overdue_annex(cases: QuerySet, *, first: date, until: date) -> dict:
    """The cases received in the period that are still open and whose legal clock
    ran out before ``until``, earliest due first (at most ``ANNEX_LIMIT``), and
    how many there are: two queries."""

    running = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint),
        object_id=OuterRef("pk"),
        state=Deadline.State.RUNNING,
    )
    overdue = (
        _counted(cases)
        .exclude(status__in=FINISHED_STATUSES)
        .filter(received_at__gte=_aware(first), received_at__lt=_aware(until))
        .filter(Exists(running.filter(due_on__lt=until)))
    )
    rows = (
        overdue.select_related("category", "platform", "department")
        .annotate(next_due=Subquery(running.order_by("due_on").values("due_on")[:1]))
        .order_by("next_due", "pk")[:ANNEX_LIMIT]
    )
    return {"rows": list(rows), "count": overdue.count(), "limit": ANNEX_LIMIT}


def report_context(report: StatisticalReport) -> dict:
    """What the report's template shows: the figures of the department's cases of
    the period and the annex of its overdue cases (call it in the report's language)."""
    first, end = period_bounds(report.period_kind, report.period_start)
    period = _Period(first, end - timedelta(days=1))
    cases = department_cases(report.department)
    figures = statistics(
        cases,
        first=period.first,
        last=period.last,
        scope=Scope.of_department(report.department),
    )
    annex = overdue_annex(cases, first=first, until=min(end, timezone.localdate()))
    return {
        "report": report,
        "department": report.department,
        "period": period,
        "annex": annex,
        "empty": period_is_empty(figures),
        **figures,
    }


def period_is_empty(figures: dict) -> bool:
    """Whether the period had nothing to count: no case received, no entry listed or
    removed, no inspection opened. Its report is one page that says so, not pages
    of empty charts."""
    return not figures["total"] and not any(
        figures[part].get(key) for part in ("blacklist", "inspections") for key in figures[part]
    )


def report_html(report: StatisticalReport) -> str:
    """The report as HTML, in its language (what WeasyPrint turns into the PDF)."""
    with override(report.language):
        return render_to_string(REPORT_TEMPLATE, report_context(report))


def report_generate(report: StatisticalReport) -> StatisticalReport:
    """Count the department's cases of the period, render the PDF and store it."""
    _progress(report, 10, status=StatisticalReport.Status.RUNNING, error="")
    with override(report.language):
        context = report_context(report)
        _progress(report, 50)
        content = html_to_pdf(render_to_string(REPORT_TEMPLATE, context))
    _progress(report, 90)
    first = context["period"].first
    name = f"report-{report.department_id}-{report.period_kind}-{first:%Y-%m}-{report.language}.pdf"
    report.file.save(name, ContentFile(content), save=False)
    report.status = StatisticalReport.Status.DONE
    report.progress = 100
    report.finished_at = timezone.now()
    report.save(update_fields=["file", "status", "progress", "finished_at"])
    return report


def report_fail(report: StatisticalReport, error: Exception) -> None:
    _progress(
        report,
        report.progress,
        status=StatisticalReport.Status.FAILED,
        error=str(error)[:2000] or error.__class__.__name__,
        finished_at=timezone.now(),
    )
