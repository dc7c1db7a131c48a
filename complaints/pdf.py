"""The documents of a case: receipt (回执), acceptance or decline notice
(受理 / 不予受理告知书) and a case summary for the file."""

from django.utils import timezone

from portal.pdf import render_pdf
from portal.rules import citation_of, clock_of

from .selectors import deadlines_of, decision_due
from .services.common import MEDIATION_CLOCK, case_rule_set


def _context(complaint):
    """What every document of a case shows, with the articles its rule set cites."""
    rule_set = case_rule_set(complaint)
    return {
        "complaint": complaint,
        "rule_set": rule_set,
        "due": decision_due(complaint),
        "deadlines": deadlines_of(complaint),
        "mediation": clock_of(rule_set, MEDIATION_CLOCK),
        "citation": {
            name.replace("-", "_"): citation_of(rule_set, name)
            for name in ("receipt", "acceptance-notice", "decline-notice")
        },
        "today": timezone.localdate(),
    }


def receipt(complaint, *, issue=None) -> bytes:
    """The receipt; ``issue`` (number, verification code and QR) once it is issued."""
    context = _context(complaint) | {"issued": issue}
    return render_pdf("complaints/pdf/receipt.html", context, language=complaint.language)


def decision_notice(complaint, *, issue=None) -> bytes:
    context = _context(complaint) | {"issued": issue}
    return render_pdf("complaints/pdf/decision.html", context, language=complaint.language)


def summary(complaint) -> bytes:
    context = _context(complaint)
    context["events"] = complaint.events.select_related("actor")
    context["evidence"] = complaint.evidence.all()
    return render_pdf("complaints/pdf/summary.html", context)
