"""Pages of special inspections: campaigns, a platform's inspection with its
checklist, document requests and rectification, and the platform officer's own
page of requests and orders. Views parse, call one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.documents import documents_of_all
from portal.errors import DomainError
from portal.pdf import pdf_response
from portal.requests import with_answer_due

from .. import forms, pdf
from ..models import Campaign, InspectionStatus, ItemResult
from ..permissions import (
    INSPECTION_ACTION_LABELS,
    RUN,
    inspection_actions,
    inspection_role,
    platform_may_report,
)
from ..selectors import (
    campaigns_visible_to,
    document_requests_visible_to,
    inspections_visible_to,
    rectification_orders_visible_to,
)
from ..services.documents import inspection_document_pdf
from ..services.inspections import (
    DOCUMENT_CLOCK,
    campaign_close,
    campaign_open,
    document_request_answer,
    document_request_send,
    inspection_close,
    inspection_findings_complete,
    inspection_open,
    inspection_verify,
    item_record_finding,
    rectification_order_issue,
    rectification_report_submit,
)
from ._common import files_of, form_error, require_staff, staff_object_page

# --- campaigns ------------------------------------------------------------------------


@login_required
def campaign_list(request):
    require_staff(request.user)
    campaigns = (
        campaigns_visible_to(request.user)
        .annotate(
            platform_count=Count("inspections", distinct=True),
            open_count=Count(
                "inspections",
                filter=~Q(inspections__status=InspectionStatus.CLOSED),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(campaigns, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/campaign_list.html",
        {
            "page": page,
            "can_open": request.user.has_perm(RUN) and bool(request.user.department_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    if not (request.user.has_perm(RUN) and request.user.department_id):
        raise PermissionDenied
    initial = {}
    if request.GET.get("platform", "").isdigit():
        initial["platforms"] = [int(request.GET["platform"])]
    form = forms.CampaignForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_open(
                actor=request.user,
                theme=data["theme"],
                legal_basis=data["legal_basis"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                participants=data["participants"],
                platforms=data["platforms"],
            )
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The special inspection was opened."))
            return redirect(campaign)
    return render(
        request,
        "inspections/campaign_new.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@staff_object_page
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(campaigns_visible_to(request.user), pk=pk)
    is_lead = (
        request.user.has_perm(RUN) and request.user.department_id == campaign.lead_department_id
    )
    add_form = None
    if is_lead and campaign.status == Campaign.Status.ACTIVE:
        add_form = forms.AddPlatformForm(
            request.POST if request.POST.get("form") == "add" else None,
            user=request.user,
            campaign=campaign,
        )
    if request.method == "POST":
        if not is_lead:
            raise PermissionDenied
        try:
            if request.POST.get("form") == "close":
                campaign_close(actor=request.user, campaign=campaign)
                messages.success(request, _("The special inspection was closed."))
                return redirect(campaign)
            if add_form is not None and add_form.is_valid():
                inspection = inspection_open(
                    actor=request.user,
                    campaign=campaign,
                    platform=add_form.cleaned_data["platform"],
                )
                messages.success(request, _("The platform was added; its checklist is ready."))
                return redirect(inspection)
        except DomainError as exc:
            if add_form is not None and request.POST.get("form") == "add":
                form_error(add_form, exc)
            else:
                messages.error(request, exc.message)
    inspections = (
        inspections_visible_to(request.user)
        .filter(campaign=campaign)
        .annotate(
            pending=Count("items", filter=Q(items__result=ItemResult.PENDING)),
            wanting=Count("items", filter=Q(items__result=ItemResult.NON_COMPLIANT)),
        )
        .order_by("platform__name")
    )
    return render(
        request,
        "inspections/campaign_detail.html",
        {
            "campaign": campaign,
            "participants": campaign.participants.select_related("region"),
            "inspections": inspections,
            "is_lead": is_lead,
            "add_form": add_form,
        },
        status=400 if add_form is not None and add_form.errors else 200,
    )


# --- one platform's inspection ----------------------------------------------------------

INSPECTION_FORMS = {
    "request_documents": forms.DocumentRequestForm,
    "complete_findings": None,
    "order_rectification": forms.RectificationOrderForm,
    "verify": forms.VerificationForm,
    "close": forms.CloseForm,
}


def _inspection_form(action, inspection, user, data=None):
    form_class = INSPECTION_FORMS.get(action)
    if form_class is None:
        return None
    kwargs = {"prefix": action}
    if form_class is forms.DocumentRequestForm:
        kwargs["department"] = user.department
    if form_class is forms.RectificationOrderForm:
        kwargs["inspection"] = inspection
    return form_class(data, **kwargs)


def _requests(inspection):
    requests = list(
        with_answer_due(inspection.document_requests.all(), provisional=True)
        .prefetch_related("files")
        .order_by("-asked_at", "-pk")
    )
    return requests


def _orders(inspection):
    return list(
        inspection.rectification_orders.select_related("inspection", "report", "issued_by")
        .prefetch_related("verifications", "items", "report__files")
        .order_by("sequence")
    )


@login_required
def inspection_detail(request, pk: int, *, action=None, bound_form=None, finding_forms=None):
    inspection = get_object_or_404(inspections_visible_to(request.user), pk=pk)
    role = inspection_role(request.user, inspection)
    if role == "platform":
        return _platform_inspection(request, inspection)
    require_staff(request.user)
    allowed = inspection_actions(request.user, inspection, role=role)
    action_forms = [
        (
            name,
            INSPECTION_ACTION_LABELS[name],
            bound_form
            if bound_form is not None and name == action
            else _inspection_form(name, inspection, request.user),
        )
        for name in INSPECTION_FORMS
        if name in allowed
    ]
    items = list(
        inspection.items.prefetch_related("files")
        .select_related("recorded_by")
        .order_by("ordering", "code")
    )
    may_record = "record_findings" in allowed
    finding_forms = finding_forms or {}
    for item in items:
        item.form = finding_forms.get(item.pk) or (
            forms.FindingForm(
                prefix=f"item-{item.pk}",
                initial={
                    "result": item.result if item.result != ItemResult.PENDING else None,
                    "note": item.note,
                },
            )
            if may_record
            else None
        )
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "campaign": inspection.campaign,
            "items": items,
            "requests": _requests(inspection),
            "orders": (orders := _orders(inspection)),
            "issued_documents": documents_of_all([inspection, *orders]),
            "action_forms": action_forms,
            "open_action": action,
            "role": role,
            "today": timezone.localdate(),
            "document_clock": next(
                iter(forms.clocks_in_force([DOCUMENT_CLOCK], request.user.department)),
                None,
            ),
            "counts": {r: sum(1 for i in items if i.result == r) for r in ItemResult.values},
        },
        status=400 if bound_form is not None or finding_forms else 200,
    )


@login_required
@require_POST
def inspection_action(request, pk: int, action: str):
    inspection = get_object_or_404(inspections_visible_to(request.user), pk=pk)
    if action not in INSPECTION_FORMS:
        raise Http404
    if action not in inspection_actions(request.user, inspection):
        raise PermissionDenied
    form = _inspection_form(action, inspection, request.user, request.POST)
    if form is not None and not form.is_valid():
        return inspection_detail(request, pk, action=action, bound_form=form)
    data = form.cleaned_data if form is not None else {}
    try:
        if action == "request_documents":
            document_request_send(
                actor=request.user,
                inspection=inspection,
                requested=data["requested"],
                working_days=data["working_days"],
            )
        elif action == "complete_findings":
            inspection_findings_complete(actor=request.user, inspection=inspection)
        elif action == "order_rectification":
            rectification_order_issue(
                actor=request.user,
                inspection=inspection,
                requirements=data["requirements"],
                due_on=data["due_on"],
                items=data["items"],
            )
        elif action == "verify":
            inspection_verify(
                actor=request.user,
                inspection=inspection,
                method=data["method"],
                passed=data["passed"],
                note=data["note"],
                new_due_on=data.get("new_due_on"),
                new_requirements=data.get("new_requirements", ""),
            )
        elif action == "close":
            inspection_close(
                actor=request.user, inspection=inspection, conclusion=data["conclusion"]
            )
    except (DomainError, ValidationError) as exc:
        if form is None:
            messages.error(request, getattr(exc, "message", str(exc)))
            return redirect(inspection)
        form_error(form, exc)
        return inspection_detail(request, pk, action=action, bound_form=form)
    messages.success(request, _("Done: %(action)s.") % {"action": INSPECTION_ACTION_LABELS[action]})
    return redirect(inspection)


@login_required
@require_POST
def item_finding(request, pk: int, item: int):
    inspection = get_object_or_404(inspections_visible_to(request.user), pk=pk)
    checklist_item = get_object_or_404(inspection.items, pk=item)
    if "record_findings" not in inspection_actions(request.user, inspection):
        raise PermissionDenied
    form = forms.FindingForm(request.POST, request.FILES, prefix=f"item-{checklist_item.pk}")
    if form.is_valid():
        try:
            item_record_finding(
                actor=request.user,
                item=checklist_item,
                result=form.cleaned_data["result"],
                note=form.cleaned_data["note"],
                files=files_of(form),
            )
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Finding recorded."))
            return redirect(f"{inspection.get_absolute_url()}#item-{checklist_item.pk}")
    return inspection_detail(request, pk, finding_forms={checklist_item.pk: form})


@login_required
def inspection_report_pdf(request, pk: int):
    inspection = get_object_or_404(inspections_visible_to(request.user), pk=pk)
    if inspection_role(request.user, inspection) == "platform" and (
        inspection.status != InspectionStatus.CLOSED
    ):
        raise Http404  # the platform receives the report once the inspection is closed
    if inspection.status == InspectionStatus.CLOSED:  # issued once the inspection is closed
        content = inspection_document_pdf(
            subject=inspection, kind="inspection-report", actor=request.user
        )
    else:  # a working draft, not numbered
        content = pdf.inspection_report_pdf(inspection)
    return pdf_response(content, f"inspection-{inspection.number}.pdf")


@login_required
def rectification_order_pdf(request, pk: int):
    order = get_object_or_404(rectification_orders_visible_to(request.user), pk=pk)
    content = inspection_document_pdf(subject=order, kind="rectification-order", actor=request.user)
    return pdf_response(content, f"rectification-{order.number}.pdf")


# --- the platform officer -----------------------------------------------------------------


def _platform_inspection(request, inspection, *, answer_forms=None, report_form=None):
    answer_forms = answer_forms or {}
    requests = _requests(inspection)
    for document_request in requests:
        document_request.form = answer_forms.get(document_request.pk) or (
            forms.AnswerRequestForm(prefix=f"request-{document_request.pk}")
            if not document_request.is_answered and inspection.status != InspectionStatus.CLOSED
            else None
        )
    if report_form is None and platform_may_report(request.user, inspection):
        report_form = forms.RectificationReportForm(prefix="report")
    return render(
        request,
        "inspections/platform_inspection.html",
        {
            "inspection": inspection,
            "campaign": inspection.campaign,
            "requests": requests,
            "orders": _orders(inspection),
            "report_form": report_form,
            "today": timezone.localdate(),
        },
        status=400 if answer_forms or (report_form is not None and report_form.errors) else 200,
    )


@login_required
@permission_required("accounts.answer_platform_requests", raise_exception=True)
def platform_home(request):
    """The platform's document requests and rectification orders, open ones first."""
    requests = document_requests_visible_to(request.user)
    orders = rectification_orders_visible_to(request.user)
    return render(
        request,
        "inspections/platform_home.html",
        {
            "requests": requests,
            "orders": orders,
            "today": timezone.localdate(),
        },
    )


@login_required
@permission_required("accounts.answer_platform_requests", raise_exception=True)
@require_POST
def request_answer(request, pk: int, request_pk: int):
    inspection = get_object_or_404(inspections_visible_to(request.user), pk=pk)
    if inspection_role(request.user, inspection) != "platform":
        raise PermissionDenied
    document_request = get_object_or_404(inspection.document_requests, pk=request_pk)
    form = forms.AnswerRequestForm(
        request.POST, request.FILES, prefix=f"request-{document_request.pk}"
    )
    if form.is_valid():
        try:
            document_request_answer(
                actor=request.user,
                request=document_request,
                answer=form.cleaned_data["answer"],
                files=files_of(form),
            )
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Your answer was sent to the inspecting department."))
            return redirect(inspection)
    return _platform_inspection(request, inspection, answer_forms={document_request.pk: form})


@login_required
@permission_required("accounts.answer_platform_requests", raise_exception=True)
@require_POST
def rectification_report(request, pk: int):
    inspection = get_object_or_404(inspections_visible_to(request.user), pk=pk)
    if not platform_may_report(request.user, inspection):
        raise PermissionDenied
    form = forms.RectificationReportForm(request.POST, request.FILES, prefix="report")
    if form.is_valid():
        try:
            rectification_report_submit(
                actor=request.user,
                inspection=inspection,
                text=form.cleaned_data["text"],
                files=files_of(form),
            )
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Your rectification report was sent."))
            return redirect(inspection)
    return _platform_inspection(request, inspection, report_form=form)
