"""The documents of a case: receipt (回执), acceptance or decline notice
(受理 / 不予受理告知书) and a case summary for the file."""

from django.utils import timezone

from portal.pdf import render_pdf

from .selectors import deadlines_of, decision_due


def _context(complaint):
    return {
        "complaint": complaint,
        "due": decision_due(complaint),
        "deadlines": deadlines_of(complaint),
        "today": timezone.localdate(),
    }


def receipt(complaint) -> bytes:
    return render_pdf(
        "complaints/pdf/receipt.html", _context(complaint), language=complaint.language
    )


def decision_notice(complaint) -> bytes:
    return render_pdf(
        "complaints/pdf/decision.html", _context(complaint), language=complaint.language
    )


def summary(complaint) -> bytes:
    context = _context(complaint)
    context["events"] = complaint.events.select_related("actor")
    context["evidence"] = complaint.evidence.all()
    return render_pdf("complaints/pdf/summary.html", context)
