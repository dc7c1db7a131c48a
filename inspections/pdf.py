"""The documents of inspections, transfers and interviews, rendered by
:func:`portal.pdf.render_pdf` in the layout of Chinese official documents:

- the rectification order (责令整改通知书), to the inspected platform;
- the inspection report (检查报告), summarising checklist, findings, document
  requests, rectification, verification and conclusion;
- the transfer letter (移送函) that goes with a clue;
- the interview minutes (约谈纪要).

Served in Chinese by default (``language``); callers pass records already
scoped by ``inspections.selectors``. Issued (numbered, signed, stored) by
``inspections.services.documents``.
"""

from django.utils import timezone
from django.utils.functional import lazy

from portal.errors import DomainError
from portal.models import Certainty, Deadline
from portal.pdf import render_pdf
from portal.rules import clock_for, clock_of, rule_set_get

from .models import (
    ClueTransfer,
    Interview,
    ItemResult,
    PlatformInspection,
    RectificationOrder,
)

DEFAULT_LANGUAGE = "zh-hans"


def _clock_source(code: str, deadline: Deadline | None = None) -> str:
    """The article a document cites for clock ``code``: from the rule set its clock was
    started under, else from the set in force today. A clock the rules leave to the
    department says so: it is never shown as a legal time limit."""
    try:
        if deadline is not None and deadline.rule_set_id:
            clock = clock_of(rule_set_get(deadline.rule_set_id), code)
        else:
            clock = clock_for(code, on=timezone.localdate())
    except DomainError:
        return ""
    if clock.is_local:
        return f"{clock.source_label} — {Certainty.LOCAL.label}"
    return clock.source_label


# Worded when the document is rendered, in the document's language.
_source = lazy(_clock_source, str)


def rectification_order_pdf(
    order: RectificationOrder, *, language=DEFAULT_LANGUAGE, issue=None
) -> bytes:
    inspection = order.inspection
    context = {
        "order": order,
        "inspection": inspection,
        "campaign": inspection.campaign,
        "department": inspection.campaign.lead_department,
        "items": list(order.items.order_by("ordering", "code")),
        "issued": issue,
    }
    return render_pdf("inspections/pdf/rectification_order.html", context, language=language)


def inspection_report_pdf(
    inspection: PlatformInspection, *, language=DEFAULT_LANGUAGE, issue=None
) -> bytes:
    items = list(inspection.items.order_by("ordering", "code"))
    requests = list(inspection.document_requests.order_by("asked_at", "pk"))
    for request in requests:
        request.deadline = Deadline.objects.for_object(request).order_by("-pk").first()
        request.late = bool(
            request.deadline
            and request.answered_at
            and timezone.localdate(request.answered_at) > request.deadline.due_on
        )
    orders = list(
        inspection.rectification_orders.order_by("sequence").prefetch_related(
            "verifications", "items"
        )
    )
    reports = {r.order_id: r for r in _reports(orders)}
    for order in orders:
        order.report_row = reports.get(order.pk)
    counts = {result: sum(1 for i in items if i.result == result) for result in ItemResult.values}
    context = {
        "inspection": inspection,
        "campaign": inspection.campaign,
        "department": inspection.campaign.lead_department,
        "participants": list(inspection.campaign.participants.all()),
        "items": items,
        "counts": counts,
        "requests": requests,
        "orders": orders,
        "document_clock_source": _source(
            "document-request", next((r.deadline for r in requests if r.deadline), None)
        ),
        "today": timezone.localdate(),
        "issued": issue,
    }
    return render_pdf("inspections/pdf/inspection_report.html", context, language=language)


def _reports(orders):
    from .models import RectificationReport

    return RectificationReport.objects.filter(order__in=orders)


def transfer_letter_pdf(transfer: ClueTransfer, *, language=DEFAULT_LANGUAGE, issue=None) -> bytes:
    deadlines = {
        d.clock: d for d in Deadline.objects.for_object(transfer).order_by("started_on", "pk")
    }
    context = {
        "transfer": transfer,
        "links": list(transfer.links.all()),
        "files": list(transfer.files.all()),
        "acknowledge": deadlines.get("clue-acknowledge"),
        "acknowledge_source": _source("clue-acknowledge", deadlines.get("clue-acknowledge")),
        "outcome_source": _source("clue-outcome", deadlines.get("clue-outcome")),
        "issued": issue,
    }
    return render_pdf("inspections/pdf/transfer_letter.html", context, language=language)


def interview_minutes_pdf(interview: Interview, *, language=DEFAULT_LANGUAGE, issue=None) -> bytes:
    context = {"interview": interview, "issued": issue}
    return render_pdf("inspections/pdf/interview_minutes.html", context, language=language)
