"""Roster screening jobs on the platform's pages: upload a roster, follow the job, take
its result (the same service and result as the API's ``screening/jobs/``)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from portal.access import object_page_for
from portal.errors import DomainError
from portal.pagination import BoundedPaginator

from ..forms import ScreeningJobForm
from ..models import ScreeningJob, ScreeningLog
from ..screening.jobs import screening_job_submit
from ..screening.results import result_csv
from ..selectors import screening_job_errors, screening_jobs_of

ERRORS_PAGE = 100


def _screens_rosters(user) -> bool:
    """Roster screening is a platform officer's."""
    return user.has_perm("blacklist.screen_parties") and bool(getattr(user, "platform_id", None))


# On a job's own page anyone else is answered 404, as for a job of another platform.
job_page = object_page_for(_screens_rosters)


@login_required
@require_http_methods(["GET", "POST"])
def screening_jobs(request):
    if not _screens_rosters(request.user):
        raise PermissionDenied
    form = ScreeningJobForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = screening_job_submit(
                actor=request.user,
                body=upload.chunks(),
                # Told by the content (``jobs.format_by_content``): a browser's content
                # type for a .csv or .jsonl file is anyone's guess.
                content_type=None,
                channel=ScreeningLog.Channel.WEB,
                original_name=upload.name,
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("blacklist:screening-job", pk=job.pk)
    page = BoundedPaginator(screening_jobs_of(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "blacklist/screening_jobs.html", {"form": form, "page": page})


@login_required
@job_page
def screening_job(request, pk: int):
    job = get_object_or_404(screening_jobs_of(request.user), pk=pk)
    # Every row in error, 100 a page: counted exactly (the job's errors, by an index).
    page = Paginator(screening_job_errors(job), ERRORS_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "blacklist/screening_job.html",
        {
            "job": job,
            "page": page,
            "percent": (100 * job.rows_done // job.rows_total) if job.rows_total else 0,
        },
    )


@login_required
@job_page
def screening_job_result(request, pk: int):
    job = get_object_or_404(
        screening_jobs_of(request.user).filter(status=ScreeningJob.Status.DONE), pk=pk
    )
    response = StreamingHttpResponse(result_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="screening-job-{job.pk}.csv"'
    return response
