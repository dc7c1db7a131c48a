"""The screening page (paste or upload parties, results as a page or CSV) and the
screenings that hit a department's entries."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from portal import csv as portal_csv
from portal.access import object_page_for
from portal.errors import DomainError
from portal.identity import mask_ric
from portal.pagination import BoundedPaginator

from ..forms import (
    ScreeningForm,
)
from ..models import ScreeningLog
from ..screening.log import screening_run
from ..screening.matching import NAME_PAGE_SIZE, first_name_only
from ..selectors import (
    as_department_hits,
    department_hits,
    department_log_hits,
    may_see_full_name,
    screenings_hitting,
)

CSV_COLUMNS = [
    "row",
    "name",
    "id_number_masked",
    "uscc",
    "hit",
    "entry",
    "list",
    "entry_name",
    "score",
    "matched_fields",
    "grounds",
    "listed_by",
    "term_ends_on",
    "why",
]


def _result_rows(user, queries, answers, *, paged: bool = True):
    """A line per hit (or per party without one). ``paged``: a party's name-only hits
    past the first 50 by score make one line saying how many more (as the API's
    answers); the CSV file has every hit."""
    rows = []
    for query, answer in zip(queries, answers, strict=True):
        party = {
            "row": answer.ref,
            "name": query.name,
            "id_number_masked": mask_ric(query.id_number) if query.id_number else "",
            "uscc": query.uscc,
        }
        matches, name_only = first_name_only(answer.matches) if paged else (answer.matches, 0)
        for match in matches or [None]:
            entry = match.entry if match else None
            rows.append(
                {
                    **party,
                    "match": match,
                    "entry": entry,
                    "entry_name": (entry.name if entry and may_see_full_name(user, entry) else "")
                    or (entry.name_masked if entry else ""),
                }
            )
        if name_only > NAME_PAGE_SIZE:
            rows.append({**party, "match": None, "more": name_only - NAME_PAGE_SIZE})
    return rows


def _csv_response(rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="screening-{timezone.localtime():%Y%m%d-%H%M%S}.csv"'
    )
    response.write(portal_csv.BOM)  # so spreadsheet programs read the file as UTF-8
    writer = portal_csv.Writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        match, entry = row["match"], row["entry"]
        writer.writerow(
            [
                row["row"],
                row["name"],
                row["id_number_masked"],
                row["uscc"],
                "yes" if match else "no",
                entry.reference if entry else "",
                entry.get_list_display() if entry else "",
                row["entry_name"],
                match.score if match else "",
                " ".join(match.matched_fields) if match else "",
                entry.category.label if entry else "",
                str(entry.lister) if entry else "",
                entry.term_ends_on.isoformat() if entry and entry.term_ends_on else "",
                "; ".join(match.why) if match else "",
            ]
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def screening(request):
    if not request.user.has_perm("blacklist.screen_parties"):
        raise PermissionDenied
    form = ScreeningForm(request.POST or None, request.FILES or None)
    rows, log = None, None
    valid = request.method == "POST" and form.is_valid()
    row_errors = getattr(form, "row_errors", [])
    if valid and form.queries:
        try:
            result = screening_run(
                actor=request.user, queries=form.queries, channel=ScreeningLog.Channel.WEB
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            log = result.log
            if request.POST.get("format") == "csv":
                return _csv_response(
                    _result_rows(request.user, form.queries, result.answers, paged=False)
                )
            rows = _result_rows(request.user, form.queries, result.answers)
            # The numbers asked are not echoed back into the page (nor its cache).
            form = ScreeningForm()
    return render(
        request,
        "blacklist/screening.html",
        {
            "form": form,
            "rows": rows,
            "log": log,
            "row_errors": row_errors,
            "today": timezone.localdate(),
        },
    )


@login_required
def screenings(request):
    """The screenings that hit this department's entries (Order 117 Art. 8, 14): who
    screened, when, how many parties, and this department's entries hit, never
    another department's."""
    department = _department_staff(request)
    page = BoundedPaginator(screenings_hitting(department), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "blacklist/screenings.html",
        {"page": page, "rows": department_hits(department, page.object_list)},
    )


def _department_staff(request):
    if not _is_department_staff(request.user):
        raise PermissionDenied
    return request.user.department


def _is_department_staff(user) -> bool:
    return bool(user.department_id) and user.has_perm("accounts.view_jurisdiction_cases")


@login_required
@object_page_for(_is_department_staff)  # a department's page: 404 to anyone else
def screening_hits(request, pk: int):
    """One screening's hits on this department's entries, all of them, 50 a page (a
    roster job hits a common name thousands of times); another department's screening,
    or one that hit none of ours, answers 404."""
    department = _department_staff(request)
    log = get_object_or_404(screenings_hitting(department), pk=pk)
    page = Paginator(department_log_hits(department, log), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "blacklist/screening_hits.html",
        {"log": log, "page": page, "hits": as_department_hits(page.object_list)},
    )
