"""Special inspections of platforms (Trial Art. 26; Order 117 Art. 21, 46, 49).

A lead department opens a campaign with the departments taking part and the
platforms it inspects; each platform's inspection gets the checklist of the
(admin-edited) template, moves along :data:`INSPECTION_MOVES` and ends closed:

    open → documents_requested → findings_recorded → rectification_ordered
         → rectification_reported → verified → closed

A verification that finds the rectification not done orders it again
(``rectification_reported → rectification_ordered``); an inspection whose
findings are all compliant or not applicable closes without rectification
(``findings_recorded → closed``). Document requests run on the
``document-request`` clock (default 10 working days, the inspecting department
sets its own); a late answer is taken and shows as late on both sides.
"""

from collections.abc import Iterable, Sequence
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, Platform
from portal.audit import actor_label, actor_user, audit_record
from portal.errors import Conflict, NotAllowed
from portal.models import Deadline
from portal.requests import request_answer, request_answer_check
from portal.services import deadline_close, deadline_start
from portal.transitions import require_department, transition

from ..models import (
    Campaign,
    ChecklistTemplateItem,
    DocumentRequest,
    InspectionItem,
    InspectionStatus,
    ItemResult,
    PlatformInspection,
    RectificationOrder,
    RectificationReport,
    Verification,
)
from ..permissions import INSPECTION_ACTIONS, RUN, inspection_role
from .common import InspectionError, store_attachment, today

S = InspectionStatus

# The one table of allowed moves of a platform inspection.
INSPECTION_MOVES: dict[str, set[str]] = {
    S.OPEN: {S.DOCUMENTS_REQUESTED},
    S.DOCUMENTS_REQUESTED: {S.FINDINGS_RECORDED},
    S.FINDINGS_RECORDED: {S.RECTIFICATION_ORDERED, S.CLOSED},
    S.RECTIFICATION_ORDERED: {S.RECTIFICATION_REPORTED},
    S.RECTIFICATION_REPORTED: {S.VERIFIED, S.RECTIFICATION_ORDERED},
    S.VERIFIED: {S.CLOSED},
    S.CLOSED: set(),
}
CAMPAIGN_MOVES: dict[str, set[str]] = {
    Campaign.Status.ACTIVE: {Campaign.Status.CLOSED},
    Campaign.Status.CLOSED: set(),
}

DOCUMENT_CLOCK = "document-request"  # Trial Art. 26; Order 117 Art. 21, 46
MAX_WORKING_DAYS = 60


def _require_role(actor, inspection: PlatformInspection, action: str) -> None:
    role = inspection_role(actor, inspection)
    lead_only = INSPECTION_ACTIONS[action][0]
    if role not in ("lead", "participant") or (lead_only and role != "lead"):
        raise NotAllowed(
            _("Your department may not do this on this inspection."), code="action_not_allowed"
        )


def _check(actor, inspection: PlatformInspection, action: str) -> None:
    """NotAllowed when the actor's role or department may not; Conflict when the
    inspection's state does not allow the action now."""
    _require_role(actor, inspection, action)
    if inspection.status not in INSPECTION_ACTIONS[action][1]:
        raise Conflict(
            _("This cannot be done on an inspection that is “%(state)s”.")
            % {"state": inspection.get_status_display()},
            code="invalid_transition",
        )


def _lock(inspection: PlatformInspection) -> PlatformInspection:
    return (
        PlatformInspection.objects.select_for_update(of=("self",))
        .select_related("campaign", "platform")
        .get(pk=inspection.pk)
    )


def _save_status(inspection: PlatformInspection, target: str, *, actor, reason="", **data):
    previous = inspection.status
    if not transition(inspection, target, INSPECTION_MOVES):
        return False
    fields = ["status"]
    if target == S.CLOSED:
        inspection.closed_at = timezone.now()
        fields.append("closed_at")
    inspection.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=f"inspection.{target}",
        subject=inspection,
        reason=reason,
        data={"from": previous, **data},
    )
    return True


def _days(working_days: int | None) -> int | None:
    if working_days is not None and not 1 <= working_days <= MAX_WORKING_DAYS:
        raise InspectionError(
            _("Give between 1 and %(n)s working days.") % {"n": MAX_WORKING_DAYS},
            code="working_days",
        )
    return working_days


# --- campaigns and the checklist -------------------------------------------------


def checklist_template() -> list[ChecklistTemplateItem]:
    """The active template items, in their order: what every inspection checks."""
    return list(ChecklistTemplateItem.objects.filter(is_active=True).order_by("ordering", "code"))


@transaction.atomic
def campaign_open(
    *,
    actor,
    theme: str,
    legal_basis: str,
    period_start: date,
    period_end: date,
    participants: Iterable[Department] = (),
    platforms: Iterable[Platform] = (),
) -> Campaign:
    """Open a special inspection led by the actor's department, and an inspection of
    each platform named."""
    lead = require_department(actor, RUN)
    campaign = Campaign(
        lead_department=lead,
        theme=theme.strip(),
        legal_basis=legal_basis.strip(),
        period_start=period_start,
        period_end=period_end,
        created_by=actor,
    )
    campaign.full_clean()
    campaign.save()
    others = [d for d in participants if d.pk != lead.pk]
    campaign.participants.set(others)
    audit_record(
        actor=actor,
        action="campaign.opened",
        subject=campaign,
        data={"participants": [d.pk for d in others]},
    )
    for platform in platforms:
        inspection_open(actor=actor, campaign=campaign, platform=platform)
    return campaign


@transaction.atomic
def campaign_add_participants(
    *, actor, campaign: Campaign, departments: Iterable[Department]
) -> Campaign:
    lead = require_department(actor, RUN)
    if campaign.lead_department_id != lead.pk:
        raise NotAllowed(_("Only the lead department may do this."), code="not_lead")
    added = [d for d in departments if d.pk != lead.pk]
    campaign.participants.add(*added)
    audit_record(
        actor=actor,
        action="campaign.participants_added",
        subject=campaign,
        data={"departments": [d.pk for d in added]},
    )
    return campaign


@transaction.atomic
def inspection_open(*, actor, campaign: Campaign, platform: Platform) -> PlatformInspection:
    """Add a platform to the campaign; its checklist is copied from the template."""
    lead = require_department(actor, RUN)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.lead_department_id != lead.pk:
        raise NotAllowed(_("Only the lead department adds platforms."), code="not_lead")
    if campaign.status != Campaign.Status.ACTIVE:
        raise Conflict(_("This campaign is closed."), code="campaign_closed")
    if not platform.is_active:
        raise InspectionError(_("This platform is not active."), code="platform_inactive")
    if PlatformInspection.objects.filter(campaign=campaign, platform=platform).exists():
        raise Conflict(
            _("%(platform)s is already inspected in this campaign.") % {"platform": platform},
            code="already_inspected",
        )
    template = checklist_template()
    if not template:
        raise InspectionError(
            _("The checklist template has no active item: an administrator must add some."),
            code="empty_template",
        )
    inspection = PlatformInspection(campaign=campaign, platform=platform, opened_by=actor)
    inspection.full_clean()
    inspection.save()
    InspectionItem.objects.bulk_create(
        InspectionItem(
            inspection=inspection,
            template=item,
            code=item.code,
            area=item.area,
            text=item.text,
            text_en=item.text_en,
            article=item.article,
            article_en=item.article_en,
            ordering=item.ordering,
        )
        for item in template
    )
    audit_record(
        actor=actor,
        action="inspection.opened",
        subject=inspection,
        data={"campaign": campaign.pk, "platform": platform.pk, "items": len(template)},
    )
    return inspection


@transaction.atomic
def campaign_close(*, actor, campaign: Campaign) -> Campaign:
    lead = require_department(actor, RUN)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.lead_department_id != lead.pk:
        raise NotAllowed(_("Only the lead department may do this."), code="not_lead")
    if campaign.status == Campaign.Status.CLOSED:
        return campaign
    if campaign.inspections.exclude(status=S.CLOSED).exists():
        raise Conflict(
            _("Close every platform inspection of the campaign first."), code="inspections_open"
        )
    transition(campaign, Campaign.Status.CLOSED, CAMPAIGN_MOVES)
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    audit_record(actor=actor, action="campaign.closed", subject=campaign)
    return campaign


# --- document requests ------------------------------------------------------------


@transaction.atomic
def document_request_send(
    *,
    actor,
    inspection: PlatformInspection,
    requested: str,
    working_days: int | None = None,
) -> DocumentRequest:
    """Ask the platform for data, records or material by a due date on the
    ``document-request`` clock (Trial Art. 26; Order 117 Art. 21, 46)."""
    inspection = _lock(inspection)
    _check(actor, inspection, "request_documents")
    if not requested.strip():
        raise InspectionError(_("Say what is requested."), code="requested")
    request = DocumentRequest(inspection=inspection, question=requested.strip(), asked_by=actor)
    request.full_clean()
    request.save()
    deadline = deadline_start(
        subject=request,
        clock=DOCUMENT_CLOCK,
        started_on=timezone.localdate(request.asked_at),
        actor=actor,
        department=actor.department,
        working_days=_days(working_days),
    )
    audit_record(
        actor=actor,
        action="document_request.sent",
        subject=request,
        data={"inspection": inspection.pk, "due_on": deadline.due_on.isoformat()},
    )
    if inspection.status == S.OPEN:
        _save_status(inspection, S.DOCUMENTS_REQUESTED, actor=actor)
    return request


@transaction.atomic
def document_request_answer(
    *, actor, request: DocumentRequest, answer: str, files: Sequence = ()
) -> DocumentRequest:
    """The platform answers (in the portal or by API), with files; a late answer is
    taken and recorded as late."""
    request = (
        DocumentRequest.objects.select_for_update(of=("self",))
        .select_related("inspection")
        .get(pk=request.pk)
    )
    platform_id = request.inspection.platform_id
    request_answer_check(request, actor=actor, platform_id=platform_id)
    if request.inspection.status == S.CLOSED:
        raise Conflict(_("This inspection is closed."), code="closed")
    if not answer.strip() and not files:
        raise InspectionError(_("Write the answer or attach files."), code="answer")
    late = request_answer(request, actor=actor, answer=answer, platform_id=platform_id)
    for upload in files:
        store_attachment(upload=upload, actor=actor, document_request=request)
    audit_record(
        actor=actor,
        action="document_request.answered",
        subject=request,
        data={"late": late, "files": len(files)},
    )
    return request


# --- findings, rectification, verification, closure -----------------------------


@transaction.atomic
def item_record_finding(
    *, actor, item: InspectionItem, result: str, note: str = "", files: Sequence = ()
) -> InspectionItem:
    """Record the finding on one checklist item, with its evidence."""
    item = InspectionItem.objects.select_for_update().get(pk=item.pk)
    inspection = _lock(item.inspection)
    _check(actor, inspection, "record_findings")
    if result not in ItemResult.values:
        raise InspectionError(_("Unknown finding."), code="result")
    if result == ItemResult.NON_COMPLIANT and not note.strip():
        raise InspectionError(
            _("Describe what is not compliant and the evidence for it."), code="note"
        )
    previous = item.result
    item.result, item.note = result, note.strip()
    item.recorded_at, item.recorded_by = timezone.now(), actor
    item.full_clean()
    item.save(update_fields=["result", "note", "recorded_at", "recorded_by"])
    for upload in files:
        store_attachment(upload=upload, actor=actor, item=item)
    audit_record(
        actor=actor,
        action="inspection.finding",
        subject=inspection,
        reason=item.note,
        data={"item": item.code, "from": previous, "result": result, "files": len(files)},
    )
    return item


@transaction.atomic
def inspection_findings_complete(*, actor, inspection: PlatformInspection) -> PlatformInspection:
    """Every item has its finding: the inspection moves on to rectification (or closure)."""
    inspection = _lock(inspection)
    _require_role(actor, inspection, "complete_findings")
    if inspection.status == S.FINDINGS_RECORDED:
        return inspection
    _check(actor, inspection, "complete_findings")
    pending = inspection.items.filter(result=ItemResult.PENDING).count()
    if pending:
        raise InspectionError(
            _("%(n)s checklist items have no finding yet.") % {"n": pending}, code="pending"
        )
    _save_status(inspection, S.FINDINGS_RECORDED, actor=actor)
    return inspection


def _new_order(inspection, *, actor, requirements: str, due_on: date, items) -> RectificationOrder:
    if not requirements.strip():
        raise InspectionError(_("Say what must be rectified."), code="requirements")
    if due_on <= today():
        raise InspectionError(_("The rectification date must be in the future."), code="due_on")
    sequence = (inspection.rectification_orders.aggregate(n=Max("sequence"))["n"] or 0) + 1
    order = RectificationOrder(
        inspection=inspection,
        sequence=sequence,
        requirements=requirements.strip(),
        due_on=due_on,
        issued_by=actor,
    )
    order.full_clean()
    order.save()
    order.items.set(items)
    audit_record(
        actor=actor,
        action="rectification.ordered",
        subject=inspection,
        reason=order.requirements,
        data={"order": order.pk, "due_on": due_on.isoformat(), "items": [i.code for i in items]},
    )
    return order


@transaction.atomic
def rectification_order_issue(
    *,
    actor,
    inspection: PlatformInspection,
    requirements: str,
    due_on: date,
    items: Iterable[InspectionItem] | None = None,
) -> RectificationOrder:
    """Order the platform to rectify the non-compliant findings by ``due_on``
    (责令整改通知书)."""
    inspection = _lock(inspection)
    _check(actor, inspection, "order_rectification")
    wanting = list(inspection.items.filter(result=ItemResult.NON_COMPLIANT))
    chosen = wanting if items is None else [i for i in items if i in wanting]
    if not chosen:
        raise InspectionError(
            _("Choose the non-compliant findings the order concerns."), code="items"
        )
    order = _new_order(
        inspection, actor=actor, requirements=requirements, due_on=due_on, items=chosen
    )
    _save_status(inspection, S.RECTIFICATION_ORDERED, actor=actor, order=order.pk)
    return order


def current_order(inspection: PlatformInspection) -> RectificationOrder | None:
    return inspection.rectification_orders.order_by("-sequence").first()


@transaction.atomic
def rectification_report_submit(
    *, actor, inspection: PlatformInspection, text: str, files: Sequence = ()
) -> RectificationReport:
    """The platform reports what it rectified, answering the current order."""
    inspection = _lock(inspection)
    if inspection_role(actor, inspection) != "platform":
        raise NotAllowed(_("Only the inspected platform reports its rectification."))
    order = current_order(inspection)
    if inspection.status != S.RECTIFICATION_ORDERED or order is None:
        raise Conflict(_("No rectification report is awaited."), code="not_awaited")
    if RectificationReport.objects.filter(order=order).exists():
        raise Conflict(_("This order has been answered already."), code="answered")
    if not text.strip():
        raise InspectionError(_("Describe what was rectified."), code="text")
    report = RectificationReport(
        order=order,
        text=text.strip(),
        submitted_by=actor_user(actor),
        submitted_by_label=actor_label(actor),
    )
    report.full_clean()
    report.save()
    for upload in files:
        store_attachment(upload=upload, actor=actor, report=report)
    _save_status(
        inspection,
        S.RECTIFICATION_REPORTED,
        actor=actor,
        order=order.pk,
        late=report.late,
        files=len(files),
    )
    return report


@transaction.atomic
def inspection_verify(
    *,
    actor,
    inspection: PlatformInspection,
    method: str,
    passed: bool,
    note: str,
    new_due_on: date | None = None,
    new_requirements: str = "",
) -> Verification:
    """Check the rectification reported. Not done: the rectification is ordered again
    with a new date (and the new order's requirements, else the note)."""
    inspection = _lock(inspection)
    _check(actor, inspection, "verify")
    order = current_order(inspection)
    if method not in Verification.Method.values:
        raise InspectionError(_("Say how the rectification was checked."), code="method")
    if not note.strip():
        raise InspectionError(_("Say what was found."), code="note")
    verification = Verification(
        order=order, method=method, passed=passed, note=note.strip(), verified_by=actor
    )
    verification.full_clean()
    verification.save()
    if passed:
        _save_status(inspection, S.VERIFIED, actor=actor, verification=verification.pk)
        return verification
    if new_due_on is None:
        raise InspectionError(
            _("Give the new date by which the rectification must be done."), code="new_due_on"
        )
    again = _new_order(
        inspection,
        actor=actor,
        requirements=new_requirements or note,
        due_on=new_due_on,
        items=list(order.items.all()),
    )
    _save_status(
        inspection,
        S.RECTIFICATION_ORDERED,
        actor=actor,
        reason=note,
        verification=verification.pk,
        order=again.pk,
    )
    return verification


@transaction.atomic
def inspection_close(
    *, actor, inspection: PlatformInspection, conclusion: str
) -> PlatformInspection:
    """Close with a conclusion: after verification, or straight after the findings
    when none is non-compliant. Unanswered document requests' clocks stop."""
    inspection = _lock(inspection)
    _require_role(actor, inspection, "close")
    if inspection.status == S.CLOSED:
        return inspection
    _check(actor, inspection, "close")
    if (
        inspection.status == S.FINDINGS_RECORDED
        and inspection.items.filter(result=ItemResult.NON_COMPLIANT).exists()
    ):
        raise Conflict(
            _("Non-compliant findings must be rectified and verified before closing."),
            code="rectification_needed",
        )
    if not conclusion.strip():
        raise InspectionError(_("Write the conclusion."), code="conclusion")
    inspection.conclusion = conclusion.strip()
    inspection.save(update_fields=["conclusion"])
    for request in inspection.document_requests.filter(answered_at__isnull=True):
        for deadline in Deadline.objects.for_object(request).open():
            deadline_close(deadline=deadline, actor=actor, met=False)
    _save_status(inspection, S.CLOSED, actor=actor, reason=inspection.conclusion)
    return inspection
