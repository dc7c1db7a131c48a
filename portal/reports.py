"""Staff statistics and the periodic statistical reports (issue 7).

Every figure is counted in the database (one grouped query per chart), so the
staff statistics page costs the same number of queries whatever the number of
cases. A report is requested by :func:`report_request`, generated in the
background by ``portal.tasks.generate_report_task`` through
:func:`report_generate`, and read back through a view that checks its scope.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, DateField, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from accounts.scoping import scope_queryset

from .audit import audit_record
from .charts import Chart, Point
from .dashboards import _bilingual, decision_clocks_kept
from .errors import NotAllowed
from .models import StatisticalReport
from .pdf import render_pdf

#: The longest span of months the staff page draws month by month.
MAX_MONTHS = 36


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
    from complaints.models import Complaint

    return queryset.exclude(status=Complaint.Status.MERGED).order_by()


def statistics(queryset: QuerySet, *, first: date, last: date, prefix: str = "chart") -> dict:
    """The charts of ``queryset``'s cases received from ``first`` to ``last``
    (inclusive): by month, category, platform and outcome, and the timeliness of
    the decisions. One query per chart and one for the total."""
    from complaints.models import FINISHED_STATUSES, Complaint, Outcome

    cases = _counted(queryset).filter(
        received_at__gte=_aware(first), received_at__lt=_aware(last + timedelta(days=1))
    )
    months = months_between(first, last)
    rows = (
        cases.annotate(month=TruncMonth("received_at", output_field=DateField()))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    per_month: dict[date, int] = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime):
            month = month.date()
        per_month[month] = per_month.get(month, 0) + row["n"]

    categories = (
        cases.values("category__code", "category__name", "category__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n", "category__code")
    )
    platforms = (
        cases.values("platform__id", "platform__name", "platform__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n", "platform__name")
    )
    outcomes = cases.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=~Q(status__in=FINISHED_STATUSES)),
        declined=Count("pk", filter=Q(status=Complaint.Status.DECLINED)),
        **{f"o_{code}": Count("pk", filter=Q(outcome=code)) for code in Outcome.values},
    )
    clocks = decision_clocks_kept(cases)

    def platform_label(row: dict) -> str:
        if row["platform__name"] is None:
            return _("Other platforms")
        return _bilingual(row["platform__name"], row["platform__name_en"])

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
                Point(_bilingual(r["category__name"], r["category__name_en"]), r["n"])
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
    return {
        "charts": charts,
        "total": outcomes["total"],
        "clocks_kept": clocks,
        "first": first,
        "last": last,
    }


# --- the staff statistics page -------------------------------------------------


class StatisticsFilterForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("Received from"), required=False)
    date_to = forms.DateField(label=gettext_lazy("Received until"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    category = forms.ModelChoiceField(label=gettext_lazy("Category"), queryset=None, required=False)
    platform = forms.ModelChoiceField(label=gettext_lazy("Platform"), queryset=None, required=False)
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region within your jurisdiction"), queryset=None, required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        from accounts.models import Platform, Region
        from complaints.models import Complaint
        from registry.models import ViolationCategory

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
    from complaints.selectors import complaints_visible_to

    today = today or timezone.localdate()
    form = StatisticsFilterForm(data or None, user=user)
    cleaned = form.cleaned_data if form.is_valid() else {}
    last = cleaned.get("date_to") or today
    first = cleaned.get("date_from") or _add_months(date(last.year, last.month, 1), -11)
    cases = complaints_visible_to(user)
    if cleaned.get("kind"):
        cases = cases.filter(kind=cleaned["kind"])
    if cleaned.get("category"):
        cases = cases.filter(category=cleaned["category"])
    if cleaned.get("platform"):
        cases = cases.filter(platform=cleaned["platform"])
    if cleaned.get("region"):
        cases = cases.filter(department__region__path__startswith=cleaned["region"].path)
    return {"form": form, **statistics(cases, first=first, last=last)}


# --- periodic reports ----------------------------------------------------------


def departments_in_scope(user) -> QuerySet:
    from accounts.models import Department

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
    from complaints.models import Complaint

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
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=StatisticalReport.Language.choices
    )


def report_request(*, actor, department, period: str, start: date, language: str):
    """Queue a report of ``department``'s jurisdiction; it is generated once committed."""
    from .tasks import generate_report_task

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


def _progress(report: StatisticalReport, progress: int, **fields) -> None:
    for name, value in {"progress": progress, **fields}.items():
        setattr(report, name, value)
    StatisticalReport.objects.filter(pk=report.pk).update(progress=progress, **fields)


@dataclass(frozen=True)
class _Period:
    first: date
    last: date


def report_generate(report: StatisticalReport) -> StatisticalReport:
    """Count the department's cases of the period, render the PDF and store it."""
    _progress(report, 10, status=StatisticalReport.Status.RUNNING, error="")
    first, end = period_bounds(report.period_kind, report.period_start)
    period = _Period(first, end - timedelta(days=1))
    with override(report.language):
        figures = statistics(
            department_cases(report.department), first=period.first, last=period.last
        )
        _progress(report, 50)
        content = render_pdf(
            "portal/report_pdf.html",
            {"report": report, "department": report.department, "period": period, **figures},
        )
    _progress(report, 90)
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
