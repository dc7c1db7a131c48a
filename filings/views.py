"""Pages of platform disposal filings and of notices to platforms.

Platform officers file (form or CSV upload), see their history and answer
notices; department staff see the filings that reached their jurisdiction
(filters, CSV export, counts) and send notices. Views parse, call one service,
render; scope comes from ``filings.selectors`` (out of scope: 404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scoping import jurisdiction_of
from blacklist.models import Entry
from portal import csv as portal_csv
from portal.cache import cached_figures
from portal.errors import DomainError
from portal.models import Deadline
from portal.pagination import BoundedPaginator

from .filters import FilingFilter, NoticeFilter
from .forms import (
    FilingForm,
    FilingUploadForm,
    NoticeForm,
    NoticeReplyForm,
    filing_csv_template,
    read_filing_csv,
)
from .models import FilingChannel
from .selectors import filing_counts, filings_visible_to, notices_visible_to
from .services.filings import filing_submit, filing_submit_batch
from .services.notices import notice_reply, notice_send
from .services.validation import ITEM_FIELDS, MAX_BATCH

UPLOAD_REPORT_KEY = "filing_upload_report"

ROUTING_RULE = gettext_lazy(
    "Every filing reaches the county-or-higher market supervision and cyberspace departments "
    "of the platform's domicile: of each type, the nearest department at or above the "
    "domicile, below the national level. Account closure, a re-registration ban and "
    "blacklisting reach the provincial market supervision and cyberspace departments too "
    "(Order 117 Art. 12 ¶3; Trial Art. 9, 14). Departments above a recipient, of its type, "
    "see the filing as well."
)


def _may_see_filings(user) -> bool:
    return bool(
        user.has_perm("accounts.file_platform_reports")
        or user.has_perm("accounts.view_jurisdiction_cases")
    )


def _filtered(request):
    if not _may_see_filings(request.user):
        raise PermissionDenied
    base = filings_visible_to(request.user).order_by("-received_at", "-pk")
    return FilingFilter(request.GET or None, queryset=base, request=request)


def _filtered_filings(filterset):
    """What the filter shows: nothing when a value is not valid (a search too long,
    a date out of range: the error is shown beside its field), never the whole list."""
    if filterset.is_bound and not filterset.is_valid():
        return filterset.qs.none()
    return filterset.qs


@login_required
def filing_list(request):
    filterset = _filtered(request)
    filings = _filtered_filings(filterset)
    page = BoundedPaginator(filings, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # The counts read every filing of the filter (200,000 for a province:
    # bench/pages.py): kept for a few minutes, the page says when they were made.
    jurisdiction = jurisdiction_of(request.user)
    counts = cached_figures(
        ("filing-counts", jurisdiction, query.urlencode(), get_language()),
        lambda: filing_counts(filings),
    )
    return render(
        request,
        "filings/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "counts": counts,
            "is_platform": bool(request.user.platform_id),
            "routing_rule": ROUTING_RULE,
        },
        status=400 if filterset.is_bound and not filterset.is_valid() else 200,
    )


@login_required
def filing_export(request):
    """CSV of exactly what the filter shows, streamed; identity numbers masked."""
    filterset = _filtered(request)
    writer = portal_csv.Writer()
    header = [
        _("Id"),
        _("Platform"),
        _("Platform's id"),
        _("Party"),
        _("Party's name"),
        _("Unified social credit code"),
        _("Resident ID number"),
        _("Live room account id"),
        _("Violation"),
        _("Measures"),
        _("Suspended until"),
        _("Conduct at"),
        _("Acted at"),
        _("Received at"),
        _("Channel"),
    ]

    def rows():
        yield portal_csv.BOM + writer.writerow(header)
        for f in _filtered_filings(filterset).iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    f.pk,
                    f.platform.label,
                    f.external_id,
                    f.get_party_kind_display(),
                    f.party_name,
                    f.party_uscc,
                    f.id_number_masked,
                    f.live_room_account,
                    f.category.code,
                    "; ".join(f.measure_labels),
                    f.suspended_until.isoformat() if f.suspended_until else "",
                    timezone.localtime(f.conduct_at).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(f.acted_at).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(f.received_at).strftime("%Y-%m-%d %H:%M"),
                    f.get_channel_display(),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="filings.csv"'
    return response


@login_required
def filing_detail(request, pk: int):
    if not _may_see_filings(request.user):
        raise PermissionDenied
    filing = get_object_or_404(
        filings_visible_to(request.user).select_related(
            "live_room", "operator", "marketer", "agency"
        ),
        pk=pk,
    )

    entry = Entry.objects.filter(
        source_type=ContentType.objects.get_for_model(filing), source_id=str(filing.pk)
    ).first()
    return render(
        request,
        "filings/detail.html",
        {
            "filing": filing,
            "recipients": filing.route.recipients.select_related(
                "department", "department__region"
            ),
            "routing_rule": ROUTING_RULE,
            "entry": entry,
        },
    )


@login_required
@permission_required("accounts.file_platform_reports", raise_exception=True)
@require_http_methods(["GET", "POST"])
def filing_new(request):
    form = FilingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = filing_submit(
                platform=request.user.platform,
                item=form.item(),
                channel=FilingChannel.WEB,
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if result.status == "invalid":
                form.add_item_errors(result.errors)
            else:
                if result.status == "duplicate":
                    messages.info(
                        request,
                        _("You filed “%(id)s” before: this is that filing; nothing new was filed.")
                        % {"id": result.external_id},
                    )
                else:
                    messages.success(request, _("Filed. It was sent to the departments below."))
                return redirect("filings:detail", pk=result.id)
    return render(
        request,
        "filings/new.html",
        {"form": form, "routing_rule": ROUTING_RULE},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required("accounts.file_platform_reports", raise_exception=True)
@require_http_methods(["GET", "POST"])
def filing_upload(request):
    form = FilingUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_filing_csv(form.cleaned_data["file"])
            results = []
            for start in range(0, len(rows), MAX_BATCH):
                chunk = rows[start : start + MAX_BATCH]
                answered = filing_submit_batch(
                    platform=request.user.platform,
                    items=[{k: r.get(k, "") for k in ITEM_FIELDS} for r in chunk],
                    channel=FilingChannel.CSV,
                    actor=request.user,
                )
                results += [
                    (row["row"], result) for row, result in zip(chunk, answered, strict=True)
                ]
        except ValidationError as exc:
            form.add_error("file", exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            report = {
                "created": sum(1 for _r, res in results if res.status == "created"),
                "duplicate": sum(1 for _r, res in results if res.status == "duplicate"),
                "invalid": sum(1 for _r, res in results if res.status == "invalid"),
                "lines": [
                    [row, res.external_id, res.status, res.id or "", field, message]
                    for row, res in results
                    if res.status != "created"
                    for field, message in (
                        [(f, m) for f, ms in res.errors.items() for m in ms]
                        if res.errors
                        else [("", _("filed before: nothing new filed"))]
                    )
                ],
            }
            request.session[UPLOAD_REPORT_KEY] = report
    return render(
        request,
        "filings/upload.html",
        {"form": form, "report": report, "columns": ITEM_FIELDS},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required("accounts.file_platform_reports", raise_exception=True)
def filing_upload_report(request):
    """The last upload's row-by-row report, as CSV."""
    report = request.session.get(UPLOAD_REPORT_KEY)
    if not report:
        return redirect("filings:upload")
    writer = portal_csv.Writer()
    lines = [
        writer.writerow(
            [_("Row"), _("Platform's id"), _("Result"), _("Filing"), _("Field"), _("Message")]
        ),
        *(writer.writerow(line) for line in report["lines"]),
    ]
    response = HttpResponse(portal_csv.BOM + "".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="filings-report.csv"'
    return response


@login_required
@permission_required("accounts.file_platform_reports", raise_exception=True)
def filing_template(request):
    response = HttpResponse(filing_csv_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="filings-template.csv"'
    return response


# --- notices ------------------------------------------------------------------


def _may_see_notices(user) -> bool:
    return bool(
        user.has_perm("accounts.answer_platform_requests")
        or user.has_perm("accounts.view_jurisdiction_cases")
    )


@login_required
def notice_list(request):
    if not _may_see_notices(request.user):
        raise PermissionDenied
    filterset = NoticeFilter(
        request.GET or None,
        queryset=notices_visible_to(request.user).order_by("answered_at", "answer_due", "-pk"),
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "filings/notice_list.html",
        {
            "filter": filterset,
            "page": page,
            "may_send": request.user.has_perm("accounts.handle_cases")
            and bool(request.user.department_id),
        },
    )


@login_required
@permission_required("accounts.handle_cases", raise_exception=True)
@require_http_methods(["GET", "POST"])
def notice_new(request):
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = notice_send(
                actor=request.user,
                platform=form.cleaned_data["platform"],
                kind=form.cleaned_data["kind"],
                party=form.cleaned_data["party"],
                message=form.cleaned_data["message"],
                working_days=form.cleaned_data.get("working_days"),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The notice was sent to the platform."))
            return redirect("filings:notice", pk=notice.pk)
    return render(
        request,
        "filings/notice_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_detail(request, pk: int):
    if not _may_see_notices(request.user):
        raise PermissionDenied
    notice = get_object_or_404(notices_visible_to(request.user), pk=pk)
    may_reply = (
        request.user.has_perm("accounts.answer_platform_requests")
        and request.user.platform_id == notice.platform_id
        and not notice.is_answered
    )
    form = NoticeReplyForm(request.POST or None) if may_reply else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                notice_reply(notice=notice, actor=request.user, reply=form.cleaned_data["reply"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your reply was sent to the department."))
                return redirect("filings:notice", pk=pk)

    return render(
        request,
        "filings/notice_detail.html",
        {
            "notice": notice,
            "form": form,
            "deadlines": Deadline.objects.for_object(notice),
        },
        status=400 if form is not None and form.errors else 200,
    )
