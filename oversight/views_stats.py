"""Statistics pages: the public one (anonymised counts, no login), the staff one
(the user's jurisdiction, filtered) and the periodic PDF reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal.access import object_permission_required
from portal.errors import DomainError

from .dashboards import public_statistics
from .models import StatisticalReport
from .reports import ReportRequestForm, report_request, reports_visible_to, staff_statistics


def statistics(request):
    return render(request, "oversight/statistics.html", public_statistics())


@login_required
@permission_required("accounts.view_jurisdiction_cases", raise_exception=True)
def statistics_staff(request):
    return render(
        request, "oversight/statistics_staff.html", staff_statistics(request.user, request.GET)
    )


@login_required
@permission_required("accounts.view_jurisdiction_cases", raise_exception=True)
def report_list(request):
    department = request.user.department if request.user.department_id else None
    form = ReportRequestForm(request.POST or None)
    if request.method == "POST" and department is not None and form.is_valid():
        try:
            report_request(
                actor=request.user,
                department=department,
                period=form.cleaned_data["period"],
                start=form.cleaned_data["start"],
                language=form.cleaned_data["language"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The report is being prepared."))
            return redirect("statistics-reports")
    reports = list(reports_visible_to(request.user)[:100])
    running = any(
        r.status in (StatisticalReport.Status.QUEUED, StatisticalReport.Status.RUNNING)
        for r in reports
    )
    response = render(
        request,
        "oversight/reports.html",
        {"form": form, "department": department, "reports": reports, "running": running},
    )
    if running:  # a plain reload shows the progress: no script
        response["Refresh"] = "5"
    return response


@login_required
@object_permission_required("accounts.view_jurisdiction_cases")
def report_download(request, pk: int):
    report = get_object_or_404(
        reports_visible_to(request.user), pk=pk, status=StatisticalReport.Status.DONE
    )
    if not report.file:
        raise Http404
    response = FileResponse(report.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="statistical-report-{report.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
