"""Pages of the identity rosters.

A platform officer uploads the roster for the half-year (CSV or XLSX), sees the
row-by-row error report (also as CSV), corrects and sends it again. Provincial
market supervision sees which platforms of its jurisdiction have not filed by
the end of January or July (Order 117 Art. 9), each roster with its diff from
the previous one, and the operators of other provinces' platforms who do
business in its province (Art. 48). Out of scope answers 404.
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from portal import csv as portal_csv
from portal.errors import DomainError

from ..models import RosterStatus
from .files import error_report_rows, read_roster_file, template_csv
from .forms import RosterPeriodForm, RosterUploadForm
from .selectors import (
    cross_province_rows_visible_to,
    roster_diff,
    roster_period_states,
    rosters_visible_to,
)
from .services import (
    COLUMN_LABELS,
    ROSTER_COLUMNS,
    roster_confirm,
    roster_deadline_article,
    roster_due_on,
    roster_file,
    roster_pending_expires_at,
    roster_period_of,
)


def _period(request) -> tuple[int, int]:
    form = RosterPeriodForm(request.GET or None)
    year, half = roster_period_of(timezone.localdate())
    if form.is_valid():
        year = form.cleaned_data.get("year") or year
        half = form.cleaned_data.get("half") or half
    return year, half


@login_required
@require_http_methods(["GET", "POST"])
def roster_list(request):
    user = request.user
    if user.platform_id:
        return _platform_rosters(request)
    if not user.has_perm("accounts.view_jurisdiction_cases"):
        raise PermissionDenied
    year, half = _period(request)
    due = roster_due_on(year, half)
    states = roster_period_states(user, year, half, due)
    return render(
        request,
        "registry/rosters/status.html",
        {
            "year": year,
            "half": half,
            "due": due,
            "past_due": timezone.localdate() > due,
            "period_form": RosterPeriodForm(initial={"year": year, "half": half}),
            "states": states,
            "not_filed": [state for state in states if not state.filed],
            "filed_late": [state for state in states if state.late],
            "deadline_article": roster_deadline_article(year, half),
            "recent": rosters_visible_to(user).order_by("-uploaded_at", "-pk")[:20],
        },
    )


def _platform_rosters(request):
    user = request.user
    may_file = user.has_perm("accounts.file_platform_reports")
    form = RosterUploadForm(request.POST or None, request.FILES or None) if may_file else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                channel, rows = read_roster_file(upload)
                roster = roster_file(
                    platform=user.platform,
                    year=form.cleaned_data["year"],
                    half=form.cleaned_data["half"],
                    rows=rows,
                    channel=channel,
                    actor=user,
                    upload=upload,
                    confirm_later=True,
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                if roster.status == RosterStatus.PENDING:
                    messages.info(
                        request,
                        _("Not filed yet: check what the roster changes, then confirm it."),
                    )
                else:
                    messages.error(
                        request,
                        ngettext(
                            "The roster was not filed: %(n)s row has errors. Correct it "
                            "and send the whole roster again.",
                            "The roster was not filed: %(n)s rows have errors. Correct them "
                            "and send the whole roster again.",
                            roster.error_count,
                        )
                        % {"n": roster.error_count},
                    )
                return redirect("rosters:detail", pk=roster.pk)
    year, half = roster_period_of(timezone.localdate())
    rosters = rosters_visible_to(user).order_by("-uploaded_at", "-pk")
    current = rosters.filter(year=year, half=half, status=RosterStatus.FILED).first()
    return render(
        request,
        "registry/rosters/platform.html",
        {
            "form": form,
            "page": Paginator(rosters, 20).get_page(request.GET.get("page")),
            "year": year,
            "half": half,
            "due": roster_due_on(year, half),
            "deadline_article": roster_deadline_article(year, half),
            "current": current,
            "columns": ROSTER_COLUMNS,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def roster_detail(request, pk: int):
    roster = get_object_or_404(rosters_visible_to(request.user), pk=pk)
    error_rows = [
        (row, [(COLUMN_LABELS.get(name, name), m) for name, ms in row.errors.items() for m in ms])
        for row in roster.rows.exclude(errors={}).order_by("row_number")[:500]
    ]
    pending = roster.status == RosterStatus.PENDING
    diff = roster_diff(roster) if roster.filed_at or pending else None
    expires_at = roster_pending_expires_at(roster) if pending else None
    return render(
        request,
        "registry/rosters/detail.html",
        {
            "roster": roster,
            "error_rows": error_rows,
            "diff": diff,
            "due": roster_due_on(roster.year, roster.half),
            "deadline_article": roster_deadline_article(roster.year, roster.half),
            "is_platform": request.user.platform_id == roster.platform_id,
            "expires_at": expires_at,
            "expired": bool(expires_at and timezone.now() > expires_at),
            "may_confirm": pending
            and request.user.platform_id == roster.platform_id
            and request.user.has_perm("accounts.file_platform_reports"),
        },
    )


@login_required
@require_POST
def roster_confirm_view(request, pk: int):
    roster = get_object_or_404(rosters_visible_to(request.user), pk=pk)
    if request.user.platform_id != roster.platform_id or not request.user.has_perm(
        "accounts.file_platform_reports"
    ):
        raise PermissionDenied
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the roster."))
        return redirect("rosters:detail", pk=pk)
    try:
        roster_confirm(roster=roster, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The roster was filed."))
    return redirect("rosters:detail", pk=pk)


@login_required
def roster_errors_csv(request, pk: int):
    roster = get_object_or_404(rosters_visible_to(request.user), pk=pk)
    out = io.StringIO()
    writer = portal_csv.Writer(out)
    writer.writerow([_("Row"), _("Column"), _("Value sent"), _("Error")])
    writer.writerows(error_report_rows(roster))
    response = HttpResponse(portal_csv.BOM + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="roster-{roster.period_label}-v{roster.version}-errors.csv"'
    )
    return response


@login_required
def roster_template(request):
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="roster-template.csv"'
    return response


@login_required
def cross_province(request):
    if not request.user.has_perm("accounts.view_jurisdiction_cases"):
        raise PermissionDenied
    rows = cross_province_rows_visible_to(request.user)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "registry/rosters/cross_province.html", {"page": page})
