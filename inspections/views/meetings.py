"""Pages of joint consultations (会商研判) and interviews (约谈, Order 117 Art. 52)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from portal.documents import documents_of_all
from portal.errors import DomainError
from portal.pdf import pdf_response

from .. import forms
from ..models import Interview
from ..permissions import CONSULT, INTERVIEW, consultation_actions, interview_actions
from ..selectors import consultations_visible_to, interviews_visible_to, link_url
from ..services.documents import inspection_document_pdf
from ..services.meetings import (
    consultation_conclude,
    consultation_convene,
    consultation_opinion_record,
    follow_up_add,
    follow_up_complete,
    interview_record_check,
    interview_record_minutes,
    interview_schedule,
)
from ._common import form_error, require_staff, staff_object_page

# --- consultations ---------------------------------------------------------------------------


@login_required
def consultation_list(request):
    require_staff(request.user)
    consultations = consultations_visible_to(request.user).order_by("-held_on", "-pk")
    page = Paginator(consultations, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/consultation_list.html",
        {
            "page": page,
            "can_convene": request.user.has_perm(CONSULT) and bool(request.user.department_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_new(request):
    if not (request.user.has_perm(CONSULT) and request.user.department_id):
        raise PermissionDenied
    form = forms.ConsultationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = consultation_convene(
                actor=request.user,
                subject=data["subject"],
                background=data["background"],
                held_on=data["held_on"],
                participants=data["participants"],
                links=data["links"],
            )
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The consultation was convened."))
            return redirect(consultation)
    return render(
        request,
        "inspections/consultation_new.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


CONSULTATION_FORMS = {
    "opinion": forms.OpinionForm,
    "conclude": forms.ConcludeForm,
    "add_action": forms.FollowUpForm,
}
CONSULTATION_LABELS = {
    "opinion": gettext_lazy("Give your department's opinion"),
    "conclude": gettext_lazy("Record the conclusion"),
    "add_action": gettext_lazy("Add a follow-up action"),
}


def _consultation_form(action, consultation, data=None):
    kwargs = {"prefix": action}
    if action == "add_action":
        kwargs["consultation"] = consultation
    return CONSULTATION_FORMS[action](data, **kwargs)


@login_required
@staff_object_page
def consultation_detail(request, pk: int, *, action=None, bound_form=None, done_forms=None):
    consultation = get_object_or_404(consultations_visible_to(request.user), pk=pk)
    allowed = consultation_actions(request.user, consultation)
    links = list(consultation.links.select_related("content_type"))
    for link in links:
        link.url = link_url(request.user, link)
    actions = list(consultation.actions.select_related("owner", "done_by"))
    done_forms = done_forms or {}
    for follow_up in actions:
        follow_up.form = done_forms.get(follow_up.pk) or (
            forms.FollowUpDoneForm(prefix=f"action-{follow_up.pk}")
            if follow_up.done_at is None
            and follow_up.owner_id == request.user.department_id
            and request.user.has_perm(CONSULT)
            else None
        )
    return render(
        request,
        "inspections/consultation_detail.html",
        {
            "consultation": consultation,
            "participants": consultation.participants.select_related("region"),
            "opinions": consultation.opinions.select_related("department", "recorded_by"),
            "links": links,
            "actions": actions,
            "action_forms": [
                (
                    name,
                    CONSULTATION_LABELS[name],
                    bound_form
                    if name == action and bound_form
                    else _consultation_form(name, consultation),
                )
                for name in CONSULTATION_FORMS
                if name in allowed
            ],
            "open_action": action,
            "today": timezone.localdate(),
        },
        status=400 if bound_form is not None or done_forms else 200,
    )


@login_required
@require_POST
def consultation_action(request, pk: int, action: str):
    consultation = get_object_or_404(consultations_visible_to(request.user), pk=pk)
    if action not in CONSULTATION_FORMS:
        raise Http404
    if action not in consultation_actions(request.user, consultation):
        raise PermissionDenied
    form = _consultation_form(action, consultation, request.POST)
    if not form.is_valid():
        return consultation_detail(request, pk, action=action, bound_form=form)
    data = form.cleaned_data
    try:
        if action == "opinion":
            consultation_opinion_record(
                actor=request.user, consultation=consultation, opinion=data["opinion"]
            )
        elif action == "conclude":
            consultation_conclude(
                actor=request.user, consultation=consultation, conclusion=data["conclusion"]
            )
        else:
            follow_up_add(
                actor=request.user,
                consultation=consultation,
                owner=data["owner"],
                text=data["text"],
                due_on=data["due_on"],
            )
    except (DomainError, ValidationError) as exc:
        form_error(form, exc)
        return consultation_detail(request, pk, action=action, bound_form=form)
    messages.success(request, _("Recorded."))
    return redirect(consultation)


@login_required
@require_POST
def follow_up_done(request, pk: int, action_pk: int):
    consultation = get_object_or_404(consultations_visible_to(request.user), pk=pk)
    follow_up = get_object_or_404(consultation.actions, pk=action_pk)
    # Only the owner department's staff report it done: others get 403 whatever they send.
    if follow_up.owner_id != getattr(request.user, "department_id", None) or not (
        request.user.has_perm("inspections.hold_consultations")
    ):
        raise PermissionDenied
    form = forms.FollowUpDoneForm(request.POST, prefix=f"action-{follow_up.pk}")
    if form.is_valid():
        try:
            follow_up_complete(
                actor=request.user, action=follow_up, result=form.cleaned_data["result"]
            )
        except (DomainError, ValidationError) as exc:
            if getattr(exc, "status", 400) == 403:
                raise PermissionDenied from exc
            form_error(form, exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect(consultation)
    return consultation_detail(request, pk, done_forms={follow_up.pk: form})


# --- interviews ---------------------------------------------------------------------------------


@login_required
def interview_list(request):
    interviews = interviews_visible_to(request.user).order_by("-scheduled_for", "-pk")
    if not (request.user.has_perm("accounts.view_jurisdiction_cases") or request.user.platform_id):
        raise PermissionDenied
    page = Paginator(interviews, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/interview_list.html",
        {
            "page": page,
            "can_schedule": request.user.has_perm(INTERVIEW) and bool(request.user.department_id),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def interview_new(request):
    if not (request.user.has_perm(INTERVIEW) and request.user.department_id):
        raise PermissionDenied
    initial = {}
    if request.GET.get("platform", "").isdigit():
        initial = {"target_kind": "platform", "platform": int(request.GET["platform"])}
    form = forms.InterviewForm(
        request.POST or None,
        user=request.user,
        initial=initial,
        party_query=request.GET.get("party_q", ""),
    )
    if request.GET.get("party_q"):
        form.initial.setdefault("target_kind", "party")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interview = interview_schedule(
                actor=request.user,
                target_kind=data["target_kind"],
                platform=data.get("platform"),
                agency=data.get("agency"),
                operator=data.get("operator"),
                marketer=data.get("marketer"),
                ground=data["ground"],
                ground_detail=data["ground_detail"],
                scheduled_for=data["scheduled_for"],
                place=data["place"],
                responsible_persons=data["responsible_persons"],
            )
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The interview was scheduled."))
            return redirect(interview)
    return render(
        request,
        "inspections/interview_new.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


INTERVIEW_FORMS = {"minutes": forms.MinutesForm, "check": forms.CheckForm}
INTERVIEW_LABELS = {
    "minutes": gettext_lazy("Record the minutes"),
    "check": gettext_lazy("Record the follow-up check"),
}


@login_required
def interview_detail(request, pk: int, *, action=None, bound_form=None):
    interview = get_object_or_404(interviews_visible_to(request.user), pk=pk)
    allowed = interview_actions(request.user, interview)
    return render(
        request,
        "inspections/interview_detail.html",
        {
            "interview": interview,
            "issued_documents": documents_of_all([interview]),
            "action_forms": [
                (
                    name,
                    INTERVIEW_LABELS[name],
                    bound_form if name == action and bound_form else form_class(prefix=name),
                )
                for name, form_class in INTERVIEW_FORMS.items()
                if name in allowed
            ],
            "open_action": action,
            "today": timezone.localdate(),
        },
        status=400 if bound_form is not None else 200,
    )


@login_required
@require_POST
def interview_action(request, pk: int, action: str):
    interview = get_object_or_404(interviews_visible_to(request.user), pk=pk)
    if action not in INTERVIEW_FORMS:
        raise Http404
    if action not in interview_actions(request.user, interview):
        raise PermissionDenied
    form = INTERVIEW_FORMS[action](request.POST, prefix=action)
    if not form.is_valid():
        return interview_detail(request, pk, action=action, bound_form=form)
    data = form.cleaned_data
    try:
        if action == "minutes":
            interview_record_minutes(actor=request.user, interview=interview, **data)
        else:
            interview_record_check(actor=request.user, interview=interview, result=data["result"])
    except (DomainError, ValidationError) as exc:
        form_error(form, exc)
        return interview_detail(request, pk, action=action, bound_form=form)
    messages.success(request, _("Recorded."))
    return redirect(interview)


@login_required
def interview_minutes_pdf(request, pk: int):
    interview = get_object_or_404(interviews_visible_to(request.user), pk=pk)
    if interview.status == Interview.Status.SCHEDULED:
        raise Http404  # no minutes before the interview is held
    content = inspection_document_pdf(
        subject=interview, kind="interview-minutes", actor=request.user
    )
    return pdf_response(content, f"interview-{interview.number}.pdf")
