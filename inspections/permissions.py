"""Which actions a user may take now: one place for pages, API and services.

An action is open when the record's state allows it (the transition tables of
``inspections.services``) and the user's role and department do:

- an inspection is run by its campaign's lead department; the departments
  taking part request documents and record findings too; departments above
  them see it and do nothing; the inspected platform answers document requests
  and reports its rectification (``accounts.answer_platform_requests``);
- a clue transfer is acknowledged, accepted or sent back and its outcome
  recorded by the receiving department (``inspections.decide_clues``);
- a consultation is concluded by its convener, each taking part gives one
  opinion, each follow-up action is done by its owner department;
- an interview's minutes and follow-up check are recorded by the interviewing
  department.
"""

from django.utils.translation import gettext_lazy as _

from .models import (
    ClueStatus,
    ClueTransfer,
    Consultation,
    InspectionStatus,
    Interview,
    ItemResult,
    PlatformInspection,
)

S = InspectionStatus

RUN = "inspections.run_inspections"
TRANSFER = "inspections.transfer_clues"
DECIDE = "inspections.decide_clues"
CONSULT = "inspections.hold_consultations"
INTERVIEW = "inspections.conduct_interviews"
ANSWER = "accounts.answer_platform_requests"

# action → (lead department only, statuses it may start from)
INSPECTION_ACTIONS: dict[str, tuple[bool, set[str]]] = {
    "request_documents": (False, {S.OPEN, S.DOCUMENTS_REQUESTED, S.FINDINGS_RECORDED}),
    "record_findings": (False, {S.OPEN, S.DOCUMENTS_REQUESTED, S.FINDINGS_RECORDED}),
    "complete_findings": (True, {S.DOCUMENTS_REQUESTED}),
    "order_rectification": (True, {S.FINDINGS_RECORDED}),
    "verify": (True, {S.RECTIFICATION_REPORTED}),
    "close": (True, {S.FINDINGS_RECORDED, S.VERIFIED}),
}

INSPECTION_ACTION_LABELS = {
    "request_documents": _("Request documents"),
    "record_findings": _("Record findings"),
    "complete_findings": _("Findings complete"),
    "order_rectification": _("Order rectification"),
    "verify": _("Verify the rectification"),
    "close": _("Close the inspection"),
}


def inspection_role(user, inspection: PlatformInspection) -> str | None:
    """``lead``, ``participant`` (staff of those departments holding the inspection
    permission) or ``platform`` (an officer of the inspected platform), else None."""
    department_id = getattr(user, "department_id", None)
    if department_id and user.has_perm(RUN):
        campaign = inspection.campaign
        if campaign.lead_department_id == department_id:
            return "lead"
        if campaign.participants.filter(pk=department_id).exists():
            return "participant"
        return None
    if getattr(user, "platform_id", None) == inspection.platform_id and user.has_perm(ANSWER):
        return "platform"
    return None


def inspection_actions(user, inspection: PlatformInspection, *, role: str | None = None) -> set:
    """The staff actions open to ``user`` on ``inspection`` now (already scoped)."""
    role = role or inspection_role(user, inspection)
    if role not in ("lead", "participant"):
        return set()
    allowed = set()
    for action, (lead_only, states) in INSPECTION_ACTIONS.items():
        if inspection.status not in states or (lead_only and role != "lead"):
            continue
        allowed.add(action)
    if (
        "complete_findings" in allowed
        and inspection.items.filter(result=ItemResult.PENDING).exists()
    ):
        allowed.discard("complete_findings")  # offered once every item has its finding
    if "close" in allowed or "order_rectification" in allowed:
        wanting = inspection.items.filter(result=ItemResult.NON_COMPLIANT).exists()
        # Rectification may be skipped only when nothing was found wanting.
        if wanting and inspection.status == S.FINDINGS_RECORDED:
            allowed.discard("close")
        if not wanting:
            allowed.discard("order_rectification")
    return allowed


def platform_may_report(user, inspection: PlatformInspection) -> bool:
    return (
        inspection.status == S.RECTIFICATION_ORDERED
        and inspection_role(user, inspection) == "platform"
    )


CLUE_ACTIONS = {
    "acknowledge": {ClueStatus.SENT},
    "accept": {ClueStatus.ACKNOWLEDGED},
    "return": {ClueStatus.ACKNOWLEDGED},
    "outcome": {ClueStatus.ACCEPTED},
}

CLUE_ACTION_LABELS = {
    "acknowledge": _("Acknowledge receipt"),
    "accept": _("Accept the clue"),
    "return": _("Send it back"),
    "outcome": _("Record the outcome"),
}


def clue_actions(user, transfer: ClueTransfer) -> set[str]:
    """Only the receiving department acts on a transfer; the sender follows it."""
    if getattr(user, "department_id", None) != transfer.to_department_id or not user.has_perm(
        DECIDE
    ):
        return set()
    return {action for action, states in CLUE_ACTIONS.items() if transfer.status in states}


def consultation_member(user, consultation: Consultation) -> bool:
    """The convener and the departments taking part (staff holding the permission)."""
    department_id = getattr(user, "department_id", None)
    if not department_id or not user.has_perm(CONSULT):
        return False
    return (
        consultation.convener_id == department_id
        or consultation.participants.filter(pk=department_id).exists()
    )


def consultation_actions(user, consultation: Consultation) -> set[str]:
    if not consultation_member(user, consultation):
        return set()
    allowed = set()
    convener = consultation.convener_id == user.department_id
    if consultation.status == Consultation.Status.OPEN:
        if not consultation.opinions.filter(department_id=user.department_id).exists():
            allowed.add("opinion")
        if convener:
            allowed.add("conclude")
    if convener:
        allowed.add("add_action")
    return allowed


def interview_actions(user, interview: Interview) -> set[str]:
    if getattr(user, "department_id", None) != interview.department_id or not user.has_perm(
        INTERVIEW
    ):
        return set()
    return {
        Interview.Status.SCHEDULED: {"minutes"},
        Interview.Status.HELD: {"check"},
    }.get(interview.status, set())
