"""The entries' documents (notice, decision, repair decision, the uploaded penalty
decision) and the public list."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from portal.pdf import pdf_response

from .. import pdf
from ..selectors import (
    public_entries,
)
from ..services.documents import RENDERS, entry_document_pdf
from .common import entry_or_404


def _language(request) -> str:
    return "en" if request.GET.get("lang") == "en" else pdf.DEFAULT_LANGUAGE


def _document(kind: str, subject, filename: str, request):
    language = _language(request)
    try:
        if language == pdf.DEFAULT_LANGUAGE:
            content = entry_document_pdf(subject=subject, kind=kind, actor=request.user)
        else:  # a reading copy in English; the issued document is the Chinese one
            content = RENDERS[kind](subject, language=language)
    except pdf.DocumentNotReady as exc:
        raise Http404(str(exc)) from exc
    return pdf_response(content, filename)


@login_required
def entry_notice_pdf(request, pk: int):
    entry = entry_or_404(request, pk)
    return _document("listing-notice", entry, f"notice-{entry.reference}.pdf", request)


@login_required
def entry_decision_pdf(request, pk: int):
    entry = entry_or_404(request, pk)
    return _document("listing-decision", entry, f"decision-{entry.reference}.pdf", request)


@login_required
def repair_decision_pdf(request, pk: int, application: int):
    entry = entry_or_404(request, pk)
    repair = get_object_or_404(entry.repairs, pk=application)
    return _document(
        "repair-decision", repair, f"repair-{entry.reference}-{repair.pk}.pdf", request
    )


@login_required
def entry_decision_document(request, pk: int):
    """The uploaded penalty decision, to staff who may see the entry (never a public URL)."""
    entry = entry_or_404(request, pk)
    if not entry.decision_document or not request.user.department_id:
        raise Http404
    response = FileResponse(entry.decision_document.open("rb"), as_attachment=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- public -----------------------------------------------------------------------


def public_list(request):
    """The publicity page (no sign-in): entries on the departments' list today, names
    partly hidden and no ID number; removed entries are not shown."""
    today = timezone.localdate()
    page = Paginator(public_entries(today), 50).get_page(request.GET.get("page"))
    return render(request, "blacklist/public.html", {"page": page, "today": today})
