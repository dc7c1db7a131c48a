"""Pages of clue transfers: send, inbox, outbox, the transfer with the receiver's
actions, and the transfer letter (移送函)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.documents import documents_of_all
from portal.errors import DomainError
from portal.models import Deadline
from portal.pdf import pdf_response

from .. import forms
from ..permissions import CLUE_ACTION_LABELS, TRANSFER, clue_actions
from ..selectors import clue_flags, clues_visible_to, link_url
from ..services.clues import (
    ACKNOWLEDGE_CLOCK,
    OUTCOME_CLOCK,
    clue_accept,
    clue_acknowledge,
    clue_record_outcome,
    clue_return,
    clue_transfer,
)
from ..services.documents import inspection_document_pdf
from ._common import files_of, form_error, require_staff, staff_object_page

BOXES = ("inbox", "outbox", "all")

CLUE_FORMS = {
    "acknowledge": forms.AcknowledgeForm,
    "accept": forms.AcceptForm,
    "return": forms.ReturnForm,
    "outcome": forms.OutcomeForm,
}


@login_required
def clue_list(request):
    require_staff(request.user)
    box = request.GET.get("box", "inbox")
    if box not in BOXES:
        box = "inbox"
    transfers = clues_visible_to(request.user)
    if box == "inbox":
        transfers = transfers.filter(to_department_id=request.user.department_id)
    elif box == "outbox":
        transfers = transfers.filter(from_department_id=request.user.department_id)
    page = Paginator(transfers.order_by("-sent_at", "-pk"), 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for transfer in page.object_list:
        transfer.flags = clue_flags(transfer, today)
    return render(
        request,
        "inspections/clue_list.html",
        {
            "page": page,
            "box": box,
            "boxes": BOXES,
            "can_send": request.user.has_perm(TRANSFER) and bool(request.user.department_id),
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def clue_new(request):
    if not (request.user.has_perm(TRANSFER) and request.user.department_id):
        raise PermissionDenied
    initial = {}
    for field in ("link_complaints", "link_filings", "link_findings"):
        if request.GET.get(field):
            initial[field] = request.GET[field][:200]
    form = forms.ClueTransferForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = clue_transfer(
                actor=request.user,
                to_department=data["to_department"],
                facts=data["facts"],
                reason=data["reason"],
                suspected_crime=data["suspected_crime"],
                acknowledge_days=data["acknowledge_days"],
                outcome_days=data["outcome_days"],
                links=data["links"],
                files=files_of(form),
            )
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, _("Clue %(number)s was transferred.") % {"number": transfer.number}
            )
            return redirect(transfer)
    return render(
        request,
        "inspections/clue_new.html",
        {
            "form": form,
            "clocks": forms.clocks_in_force(
                [ACKNOWLEDGE_CLOCK, OUTCOME_CLOCK], request.user.department
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _clue_form(action, data=None):
    return CLUE_FORMS[action](data, prefix=action)


@login_required
@staff_object_page
def clue_detail(request, pk: int, *, action=None, bound_form=None):
    transfer = get_object_or_404(clues_visible_to(request.user), pk=pk)
    allowed = clue_actions(request.user, transfer)
    links = list(transfer.links.select_related("content_type"))
    for link in links:
        link.url = link_url(request.user, link)
    return render(
        request,
        "inspections/clue_detail.html",
        {
            "transfer": transfer,
            "flags": clue_flags(transfer),
            "links": links,
            "files": transfer.files.all(),
            "issued_documents": documents_of_all([transfer]),
            "deadlines": Deadline.objects.for_object(transfer).order_by("started_on", "pk"),
            "action_forms": [
                (
                    name,
                    CLUE_ACTION_LABELS[name],
                    bound_form if name == action and bound_form else _clue_form(name),
                )
                for name in CLUE_FORMS
                if name in allowed
            ],
            "open_action": action,
            "today": timezone.localdate(),
        },
        status=400 if bound_form is not None else 200,
    )


@login_required
@require_POST
def clue_action(request, pk: int, action: str):
    transfer = get_object_or_404(clues_visible_to(request.user), pk=pk)
    if action not in CLUE_FORMS:
        raise Http404
    if action not in clue_actions(request.user, transfer):
        raise PermissionDenied
    form = _clue_form(action, request.POST)
    if not form.is_valid():
        return clue_detail(request, pk, action=action, bound_form=form)
    data = form.cleaned_data
    try:
        if action == "acknowledge":
            clue_acknowledge(actor=request.user, transfer=transfer)
        elif action == "accept":
            clue_accept(actor=request.user, transfer=transfer, note=data["note"])
        elif action == "return":
            clue_return(actor=request.user, transfer=transfer, reason=data["reason"])
        else:
            clue_record_outcome(actor=request.user, transfer=transfer, outcome=data["outcome"])
    except (DomainError, ValidationError) as exc:
        form_error(form, exc)
        return clue_detail(request, pk, action=action, bound_form=form)
    messages.success(request, _("Done: %(action)s.") % {"action": CLUE_ACTION_LABELS[action]})
    return redirect(transfer)


@login_required
@staff_object_page
def clue_letter_pdf(request, pk: int):
    transfer = get_object_or_404(clues_visible_to(request.user), pk=pk)
    content = inspection_document_pdf(subject=transfer, kind="transfer-letter", actor=request.user)
    return pdf_response(content, f"transfer-{transfer.number}.pdf")
