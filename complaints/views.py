"""Pages: the public form and tracking, the staff queues and case page, the
platform's queue of forwarded cases. Views parse, call one service, render."""

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal import csv as portal_csv
from portal.access import object_permission_required
from portal.confirm import Confirmation, confirm_page, confirmed
from portal.errors import DomainError
from portal.lookups import reference
from portal.models import RuleSet
from portal.pagination import BoundedPaginator
from portal.pdf import pdf_response
from portal.requests import with_answer_due
from portal.rules import clock_of, rule_set_for
from portal.workdays import WorkingCalendar

from . import forms, pdf
from .actions import perform_action
from .api.throttling import (  # fail open when the cache is down
    is_ratelimited,
    rate_exhausted,
    rate_usage,
)
from .filters import ComplaintFilter
from .models import Complaint, Evidence, PlatformForward, SavedFilter
from .permissions import ACTION_LABELS, allowed_actions
from .selectors import (
    QUEUES,
    complaints_visible_to,
    deadlines_of,
    decision_due,
    find_tracked,
    forwards_for_platform,
    queue,
    with_due,
)
from .services.bulk import complaints_bulk_assign, complaints_selected
from .services.documents import complaint_document_kind, complaint_document_pdf
from .services.forwards import forward_answer
from .services.intake import Intake, complaint_submit, store_evidence
from .services.workflow import complaint_answer_material, complaint_rate

TRACKED_SESSION_KEY = "tracked_cases"


# --- consumers -------------------------------------------------------------


def _intake_from(data: dict) -> Intake:
    return Intake(
        kind=data["kind"],
        category=data["category"],
        description=data["description"],
        consumer_region=data["consumer_region"],
        platform=data.get("platform"),
        platform_other=data.get("platform_other", ""),
        live_room_account=data.get("live_room_account", ""),
        live_room_name=data.get("live_room_name", ""),
        live_room_url=data.get("live_room_url", ""),
        marketer_name=data.get("marketer_name", ""),
        occurred_on=data.get("occurred_on"),
        order_number=data.get("order_number", ""),
        amount=data.get("amount"),
        anonymous=bool(data.get("anonymous")),
        contact_name=data.get("contact_name", ""),
        contact_phone=data.get("contact_phone", ""),
        contact_email=data.get("contact_email", ""),
        language=get_language() or settings.LANGUAGE_CODE,
    )


def _remember(request, complaint: Complaint) -> None:
    tracked = set(request.session.get(TRACKED_SESSION_KEY, []))
    tracked.add(complaint.pk)
    request.session[TRACKED_SESSION_KEY] = sorted(tracked)


def _tracked(request, code: str) -> Complaint:
    complaint = Complaint.objects.filter(tracking_code=code).first()
    if complaint is None or complaint.pk not in request.session.get(TRACKED_SESSION_KEY, []):
        raise Http404
    return complaint


@require_http_methods(["GET", "POST"])
def complaint_new(request):
    form = forms.ComplaintForm(
        request.POST or None,
        request.FILES or None,
        min_fill_seconds=settings.COMPLAINT_MIN_FILL_SECONDS,
    )
    refused = None
    if request.method == "POST":
        # Only what is accepted, or refused as abuse, counts against the address:
        # a consumer correcting a mistake is never locked out for it.
        limit = {"group": "complaint-intake", "key": "ip", "rate": settings.COMPLAINT_RATE_LIMIT}
        usage = rate_usage(request, increment=False, **limit)
        valid = form.is_valid()
        if rate_exhausted(usage):
            form.keep_uploads()
            minutes = max(1, -(-usage["time_left"] // 60))
            refused = ngettext(
                "Too many submissions from your network address in a short time. "
                "Please wait %(minutes)d minute and send again; what you typed and "
                "the files you attached are kept below.",
                "Too many submissions from your network address in a short time. "
                "Please wait %(minutes)d minutes and send again; what you typed and "
                "the files you attached are kept below.",
                minutes,
            ) % {"minutes": minutes}
        elif not valid:
            if form.refused_as_abuse():
                rate_usage(request, increment=True, **limit)
        else:
            rate_usage(request, increment=True, **limit)
            intake = _intake_from(form.cleaned_data)
            uploads = form.cleaned_data.get("evidence") or []
            intake.evidence = list(form.cleaned_data.get("pending") or []) + [
                store_evidence(upload=upload) for upload in uploads
            ]
            try:
                complaint = complaint_submit(intake=intake)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                _remember(request, complaint)
                return redirect("complaints:submitted", code=complaint.tracking_code)
    status = 429 if refused else (400 if request.method == "POST" else 200)
    rule_set = rule_set_for(RuleSet.Matter.COMPLAINT, timezone.localdate())
    # The empty form's fields are the same for everyone in a language: rendered
    # once per process, and again when the taxonomy, platforms or regions change.
    fields_html = None
    if not form.is_bound:
        fields_html = reference.get(
            ("complaint-form-fields", get_language()),
            lambda: render_to_string("complaints/_form_fields.html", {"form": form}),
        )
    return render(
        request,
        "complaints/new.html",
        {
            "form": form,
            "refused": refused,
            "kept": getattr(form, "kept_evidence", []),
            "fields_html": fields_html,
            "accept_clock": clock_of(rule_set, "complaint-accept"),
            "verify_clock": clock_of(rule_set, "report-verify"),
        },
        status=status,
    )


def complaint_submitted(request, code: str):
    complaint = _tracked(request, code)
    return render(
        request,
        "complaints/submitted.html",
        {"complaint": complaint, "due": decision_due(complaint)},
    )


def complaint_receipt(request, code: str):
    complaint = _tracked(request, code)
    content = complaint_document_pdf(complaint=complaint, document="receipt")
    return pdf_response(content, f"receipt-{complaint.tracking_code}.pdf")


def complaint_notice(request, code: str):
    """The consumer's copy of the acceptance or decline notice, once decided."""
    complaint = _tracked(request, code)
    if complaint_document_kind(complaint, "decision") is None:
        raise Http404
    content = complaint_document_pdf(complaint=complaint, document="decision")
    return pdf_response(content, f"notice-{complaint.tracking_code}.pdf")


@require_http_methods(["GET", "POST"])
def track(request):
    form = forms.TrackForm(request.POST or None)
    not_found = False
    if request.method == "POST" and form.is_valid():
        limited = is_ratelimited(
            request,
            group="complaint-track",
            key="ip",
            rate="20/10m",
            method="POST",
            increment=True,
        )
        complaint = (
            None
            if limited
            else find_tracked(form.cleaned_data["code"], form.cleaned_data["contact"])
        )
        if complaint is not None:
            _remember(request, complaint)
            return redirect("complaints:tracked", code=complaint.tracking_code)
        not_found = True
    return render(
        request,
        "complaints/track.html",
        {"form": form, "not_found": not_found},
        status=404 if not_found else 200,
    )


@require_http_methods(["GET", "POST"])
def tracked(request, code: str):
    complaint = _tracked(request, code)
    answer_form = rating_form = None
    if complaint.status == Complaint.Status.AWAITING_MATERIAL:
        answer_form = forms.MaterialAnswerForm(
            request.POST if request.POST.get("form") == "answer" else None,
            request.FILES if request.POST.get("form") == "answer" else None,
        )
    if (
        complaint.is_finished
        and complaint.status != Complaint.Status.MERGED
        and not complaint.rated_at
    ):
        rating_form = forms.RatingForm(request.POST if request.POST.get("form") == "rate" else None)
    if request.method == "POST":
        try:
            if answer_form is not None and answer_form.is_bound and answer_form.is_valid():
                files = [
                    store_evidence(upload=upload) for upload in answer_form.cleaned_data["evidence"]
                ]
                complaint_answer_material(
                    complaint=complaint, answer=answer_form.cleaned_data["answer"], evidence=files
                )
                messages.success(request, _("Thank you: your material was received."))
                return redirect("complaints:tracked", code=code)
            if rating_form is not None and rating_form.is_bound and rating_form.is_valid():
                complaint_rate(
                    complaint=complaint,
                    rating=rating_form.cleaned_data["rating"],
                    comment=rating_form.cleaned_data["comment"],
                )
                messages.success(request, _("Thank you for rating the handling of your case."))
                return redirect("complaints:tracked", code=code)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "complaints/tracked.html",
        {
            "complaint": complaint,
            "events": complaint.events.filter(public=True),
            "evidence": complaint.evidence.filter(forward=None).order_by("pk"),
            "deadlines": [d for d in deadlines_of(complaint) if d.clock != "platform-answer"],
            "answer_form": answer_form,
            "rating_form": rating_form,
            "request_open": complaint.material_requests.filter(answered_at__isnull=True).first(),
            "notice_kind": complaint_document_kind(complaint, "decision"),
        },
    )


# --- staff -----------------------------------------------------------------


def _filtered(request):
    name = request.GET.get("queue", "open")
    if name not in QUEUES:
        name = "open"
    try:
        within = max(1, min(int(request.GET.get("within", 3)), 30))
    except ValueError:
        within = 3
    base = queue(request.user, name, within=within)
    return name, within, ComplaintFilter(request.GET or None, queryset=base, request=request)


def _filtered_cases(filterset):
    """What the filter shows: nothing when a filter value is not valid (the page
    shows the error beside its field) rather than the list silently unfiltered."""
    if filterset.is_bound and not filterset.is_valid():
        return filterset.qs.none()
    return filterset.qs


@login_required
@permission_required("accounts.view_jurisdiction_cases", raise_exception=True)
def case_list(request):
    name, within, filterset = _filtered(request)
    cases = _filtered_cases(filterset)
    page = BoundedPaginator(cases, 50).get_page(request.GET.get("page"))
    calendar = WorkingCalendar()
    today = timezone.localdate()
    for case in page.object_list:
        case.days_left = (
            calendar.working_days_between(today, case.next_due)
            if case.next_due and case.next_due >= today
            else None
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "complaints/case_list.html",
        {
            "filter": filterset,
            "page": page,
            "queue": name,
            "within": within,
            "queues": QUEUES,
            "query": query.urlencode(),
            "today": today,
            "saved_filters": SavedFilter.objects.filter(user=request.user),
            "bulk": forms.BulkForm(user=request.user)
            if request.user.has_perm("accounts.handle_cases")
            else None,
        },
        status=400 if filterset.is_bound and not filterset.is_valid() else 200,
    )


CSV_HEADER = [
    gettext_lazy("Tracking code"),
    gettext_lazy("Kind"),
    gettext_lazy("Status"),
    gettext_lazy("Category"),
    gettext_lazy("Platform"),
    gettext_lazy("Live room"),
    gettext_lazy("Department"),
    gettext_lazy("Assignee"),
    gettext_lazy("Received at"),
    gettext_lazy("Due on"),
]


def _cases_csv(cases, filename: str) -> StreamingHttpResponse:
    """The cases as CSV, streamed (one writer for every export: portal.csv)."""
    writer = portal_csv.Writer()
    header = [str(h) for h in CSV_HEADER]

    def rows():
        yield portal_csv.BOM + writer.writerow(header)
        for case in cases.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    case.tracking_code,
                    case.get_kind_display(),
                    case.get_status_display(),
                    case.category.label,
                    case.platform_label,
                    case.live_room_name or case.live_room_account,
                    case.department.label,
                    case.assignee.get_full_name() if case.assignee else "",
                    timezone.localtime(case.received_at).strftime("%Y-%m-%d %H:%M"),
                    case.next_due.isoformat() if case.next_due else "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@permission_required("accounts.view_jurisdiction_cases", raise_exception=True)
def case_export(request):
    """CSV of exactly what the filter shows, streamed."""
    _name, _within, filterset = _filtered(request)
    return _cases_csv(_filtered_cases(filterset), "cases.csv")


@login_required
@permission_required("accounts.view_jurisdiction_cases", raise_exception=True)
@require_POST
def case_bulk(request):
    """Take, assign or export the cases ticked in a queue; the answer lists what
    happened to each case."""
    form = forms.BulkForm(request.POST, user=request.user)
    back = request.POST.get("back", "")
    back = back if back.startswith("?") or not back else ""
    if not form.is_valid():
        return render(
            request, "complaints/bulk_results.html", {"form": form, "back": back}, status=400
        )
    ids, action = form.cleaned_data["ids"], form.cleaned_data["action"]
    if action == "export":
        return _cases_csv(with_due(complaints_selected(request.user, ids)), "cases-selected.csv")
    assignee = request.user if action == "take" else form.cleaned_data["assignee"]
    results = complaints_bulk_assign(actor=request.user, ids=ids, assignee=assignee)
    return render(
        request,
        "complaints/bulk_results.html",
        {
            "form": form,
            "results": results,
            "done": sum(r.done for r in results),
            "back": back,
        },
    )


@login_required
@permission_required("accounts.view_jurisdiction_cases", raise_exception=True)
@require_POST
def saved_filter_save(request):
    form = forms.SavedFilterForm(request.POST)
    if form.is_valid():
        query = form.cleaned_data["query"].lstrip("?")
        SavedFilter.objects.update_or_create(
            user=request.user, name=form.cleaned_data["name"].strip(), defaults={"query": query}
        )
        messages.success(request, _("The filters were saved."))
        return redirect(f"{reverse('complaints:list')}?{query}")
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("complaints:list")


@login_required
@require_POST
def saved_filter_delete(request, pk: int):
    saved = get_object_or_404(SavedFilter, pk=pk, user=request.user)  # 404 for anyone else's
    saved.delete()
    removed = _("The saved filters “%(name)s” were removed.") % {"name": saved.name}
    messages.success(request, removed)
    return redirect("complaints:list")


ACTION_FORMS = {
    "take": None,
    "assign": forms.AssignForm,
    "accept": forms.MessageForm,
    "decline": forms.DeclineForm,
    "request_material": forms.MaterialRequestForm,
    "transfer": forms.TransferForm,
    "forward": forms.ForwardForm,
    "close": forms.CloseForm,
    "note": forms.NoteForm,
    "request_extension": forms.ExtensionRequestForm,
    "approve_extension": forms.ExtensionDecisionForm,
    "decide_report": forms.ReportDecisionForm,
    "merge": None,
    "exclude_period": forms.ExcludePeriodForm,
}


def _action_form(action, complaint, data=None):
    form_class = ACTION_FORMS[action]
    if form_class is None:
        return None
    kwargs = {"prefix": action}
    if form_class in (
        forms.AssignForm,
        forms.TransferForm,
        forms.DeclineForm,
        forms.ExcludePeriodForm,
    ):
        kwargs["complaint"] = complaint
    return form_class(data, **kwargs)


@login_required
@object_permission_required("accounts.view_jurisdiction_cases")
def case_detail(request, pk: int, action: str | None = None, bound_form=None):
    complaint = get_object_or_404(complaints_visible_to(request.user), pk=pk)
    allowed = allowed_actions(request.user, complaint)
    action_forms = [
        (
            name,
            ACTION_LABELS[name],
            bound_form
            if bound_form is not None and name == action
            else _action_form(name, complaint),
        )
        for name in ACTION_FORMS
        if name in allowed
    ]
    events = list(complaint.events.select_related("actor"))
    return render(
        request,
        "complaints/case_detail.html",
        {
            "complaint": complaint,
            "public_events": [e for e in events if e.public],
            "internal_events": [e for e in events if not e.public],
            "deadlines": deadlines_of(complaint),
            "evidence": complaint.evidence.filter(forward=None),
            "forwards": with_answer_due(
                complaint.forwards.select_related("platform").prefetch_related("files")
            ),
            "material_requests": complaint.material_requests.all(),
            "action_forms": action_forms,
            "open_action": action,
            "confirmed_actions": CONFIRMED_ACTIONS,
            "today": timezone.localdate(),
        },
        status=400 if bound_form is not None else 200,
    )


# Decisions that cannot be undone: the first POST shows what will happen, the
# confirming one acts (portal.confirm).
CONFIRMED_ACTIONS = {"decline", "close", "merge"}


def _confirmation(complaint: Complaint, action: str, form) -> Confirmation:
    code = complaint.tracking_code
    case_url = reverse("complaints:detail", args=[complaint.pk])
    common = {
        "form": form,
        "cancel_url": f"{case_url}#action-{action}",
        "about": f"{complaint.get_kind_display()} {code}",
        "about_url": case_url,
        "action_url": reverse("complaints:action", args=[complaint.pk, action]),
    }
    if action == "decline":
        # The ground is shown by its label, which names its article, under the
        # field's label, which names the case's rule set.
        return Confirmation(
            title=_("Decline complaint %(code)s?") % {"code": code},
            consequences=[
                _(
                    "The complaint is not accepted, on the ground below, and the case is "
                    "finished: it cannot be accepted or reopened afterwards."
                ),
                _(
                    "The consumer is told at once, with your explanation, and can download "
                    "the notice of non-acceptance."
                ),
            ],
            button=_("Decline the complaint"),
            **common,
        )
    if action == "close":
        return Confirmation(
            title=_("Close case %(code)s?") % {"code": code},
            consequences=[
                _(
                    "The case is closed with the outcome below: its time limits stop, and a "
                    "closed case cannot be reopened."
                ),
                _(
                    "The consumer is told at once, reads the outcome as written here and is "
                    "asked to rate the handling."
                ),
            ],
            button=_("Close the case"),
            **common,
        )
    original = complaint.possible_duplicate_of
    return Confirmation(
        title=_("Merge case %(code)s into case %(original)s?")
        % {"code": code, "original": original.tracking_code},
        consequences=[
            _(
                "This case ends as a duplicate: its evidence moves to case %(original)s, "
                "which handles the same matter. A merge cannot be undone."
            )
            % {"original": original.tracking_code},
            _("The consumer sees on this case that it was merged."),
        ],
        button=_("Merge the cases"),
        **common,
    )


@login_required
@require_POST
def case_action(request, pk: int, action: str):
    complaint = get_object_or_404(complaints_visible_to(request.user), pk=pk)
    if action not in ACTION_FORMS:
        raise Http404
    if action not in allowed_actions(request.user, complaint):
        raise PermissionDenied
    form = _action_form(action, complaint, request.POST)
    if form is not None and not form.is_valid():
        return case_detail(request, pk, action=action, bound_form=form)
    if action in CONFIRMED_ACTIONS and not confirmed(request):
        return confirm_page(request, _confirmation(complaint, action, form))
    try:
        perform_action(action, complaint, request.user, form.cleaned_data if form else {})
    except DomainError as exc:
        if form is None:
            messages.error(request, exc.message)
            return redirect("complaints:detail", pk=pk)
        form.add_error(None, exc.message)
        return case_detail(request, pk, action=action, bound_form=form)
    messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[action]})
    if action == "merge":
        return redirect("complaints:detail", pk=complaint.possible_duplicate_of_id)
    if not complaints_visible_to(request.user).filter(pk=pk).exists():
        return redirect(reverse("complaints:list"))
    return redirect("complaints:detail", pk=pk)


@login_required
# Staff only, as the case page: the summary carries the internal timeline, which a
# platform officer (who sees a forwarded case on its forward page) must not read.
@object_permission_required("accounts.view_jurisdiction_cases")
def case_document(request, pk: int, document: str):
    complaint = get_object_or_404(complaints_visible_to(request.user), pk=pk)
    if document == "summary":
        return pdf_response(pdf.summary(complaint), f"case-{complaint.tracking_code}.pdf")
    if complaint_document_kind(complaint, document) is None:
        raise Http404
    content = complaint_document_pdf(complaint=complaint, document=document, actor=request.user)
    name = "notice" if document == "decision" else document
    return pdf_response(content, f"{name}-{complaint.tracking_code}.pdf")


def evidence_download(request, pk: int):
    """Evidence only through a scope check: staff and platforms by their scope, the
    consumer by the session that proved their contact."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("complaint"), pk=pk, complaint__isnull=False
    )
    # The consumer downloads what they sent; a platform's files are for staff.
    allowed = evidence.forward_id is None and evidence.complaint_id in request.session.get(
        TRACKED_SESSION_KEY, []
    )
    if not allowed and request.user.is_authenticated:
        allowed = complaints_visible_to(request.user).filter(pk=evidence.complaint_id).exists()
    if not allowed:
        raise Http404
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
    # Always a download, never shown in the portal's own origin (a file that slipped
    # past the upload checks cannot run as a page there).
    extension = mimetypes.guess_extension(evidence.content_type) or ""
    response["Content-Disposition"] = f'attachment; filename="evidence-{evidence.pk}{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- platform officers -----------------------------------------------------


@login_required
@permission_required("accounts.answer_platform_requests", raise_exception=True)
def forward_list(request):
    forwards = forwards_for_platform(request.user).order_by("answered_at", "answer_due")
    page = Paginator(forwards, 50).get_page(request.GET.get("page"))
    return render(
        request, "complaints/forward_list.html", {"page": page, "today": timezone.localdate()}
    )


@login_required
@object_permission_required("accounts.answer_platform_requests")
@require_http_methods(["GET", "POST"])
def forward_detail(request, pk: int):
    forward = get_object_or_404(forwards_for_platform(request.user), pk=pk)
    form = (
        forms.AnswerForwardForm(request.POST or None, request.FILES or None)
        if not forward.is_answered
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            files = [
                store_evidence(upload=upload, actor=request.user)
                for upload in form.cleaned_data["files"]
            ]
            forward_answer(
                forward=forward, actor=request.user, answer=form.cleaned_data["answer"], files=files
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your answer was sent to the department."))
            return redirect("complaints:forward", pk=pk)
    return render(
        request,
        "complaints/forward_detail.html",
        {
            "forward": forward,
            "complaint": forward.complaint,
            "evidence": forward.complaint.evidence.filter(forward=None),
            "files": forward.files.all(),
            "form": form,
            "today": timezone.localdate(),
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


__all__ = ["PlatformForward"]
