"""Reads of inspections, transfers, consultations and interviews, scoped by
:func:`accounts.scoping.jurisdiction_of`. Pages, API, exports and PDFs all use
these; out of scope answers 404.

- **Campaigns and inspections**: the lead department and the departments taking
  part, and the departments of the same type above any of them; the inspected
  platform sees its own inspection once documents have been requested of it
  (never before: an inspection is not announced by the portal).
- **Clue transfers**: the sending and the receiving department, and the
  departments of the same type above each.
- **Consultations**: the convener and the departments taking part, and the
  departments of the same type above any of them.
- **Interviews**: the interviewing department (and those of its type above it)
  and the platform interviewed.
- Site administrators see everything; anybody else nothing.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.scoping import Jurisdiction, jurisdiction_of
from portal.models import Deadline
from portal.requests import with_answer_due

from .models import (
    Attachment,
    Campaign,
    ClueLink,
    ClueTransfer,
    Consultation,
    DocumentRequest,
    FollowUpAction,
    InspectionStatus,
    Interview,
    PlatformInspection,
    RectificationOrder,
    RectificationReport,
)


def _chain(prefix: str, jurisdiction: Jurisdiction) -> Q:
    """Rows whose ``prefix`` department is the viewer's department's type, in its
    region or below: the viewer's department and those of its type under it."""
    return Q(
        **{
            f"{prefix}__region__path__startswith": jurisdiction.region_path,
            f"{prefix}__type": jurisdiction.department_type,
        }
    )


def _participant_in_chain(through, owner: str, jurisdiction: Jurisdiction):
    return Exists(
        through.objects.filter(
            **{f"{owner}_id": OuterRef("pk")},
            department__region__path__startswith=jurisdiction.region_path,
            department__type=jurisdiction.department_type,
        )
    )


# --- campaigns and inspections ---------------------------------------------------


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    queryset = Campaign.objects.select_related("lead_department", "lead_department__region")
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.everything:
        return queryset
    if jurisdiction.region_path:
        return queryset.filter(
            _chain("lead_department", jurisdiction)
            | _participant_in_chain(Campaign.participants.through, "campaign", jurisdiction)
        )
    return queryset.none()


def inspections_visible_to(user) -> QuerySet[PlatformInspection]:
    queryset = PlatformInspection.objects.select_related(
        "campaign", "campaign__lead_department", "platform"
    )
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.everything:
        return queryset
    if jurisdiction.platform_id:
        return queryset.filter(platform_id=jurisdiction.platform_id).exclude(
            status=InspectionStatus.OPEN
        )
    if jurisdiction.region_path:
        return queryset.filter(campaign__in=campaigns_visible_to(user).values("pk"))
    return queryset.none()


def document_requests_visible_to(user) -> QuerySet[DocumentRequest]:
    return with_answer_due(
        DocumentRequest.objects.filter(
            inspection__in=inspections_visible_to(user).values("pk")
        ).select_related("inspection", "inspection__platform", "inspection__campaign"),
        provisional=True,
    ).order_by("answered_at", "answer_due", "pk")


def rectification_orders_visible_to(user) -> QuerySet[RectificationOrder]:
    return (
        RectificationOrder.objects.filter(inspection__in=inspections_visible_to(user).values("pk"))
        .select_related(
            "inspection",
            "inspection__platform",
            "inspection__campaign",
            "inspection__campaign__lead_department",
        )
        .annotate(reported=Exists(RectificationReport.objects.filter(order=OuterRef("pk"))))
        .order_by("-issued_at", "-pk")
    )


# --- clue transfers ------------------------------------------------------------------


def clues_visible_to(user) -> QuerySet[ClueTransfer]:
    """Transfers in scope, annotated with the due dates of their two clocks."""
    acknowledge = Deadline.objects.latest_of_row(ClueTransfer, "clue-acknowledge")
    outcome = Deadline.objects.latest_of_row(ClueTransfer, "clue-outcome")
    queryset = ClueTransfer.objects.select_related(
        "from_department", "from_department__region", "to_department", "to_department__region"
    ).annotate(
        acknowledge_due=Subquery(acknowledge.values("due_on")[:1]),
        outcome_due=Subquery(outcome.values("due_on")[:1]),
    )
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.everything:
        return queryset
    if jurisdiction.region_path:
        return queryset.filter(
            _chain("from_department", jurisdiction) | _chain("to_department", jurisdiction)
        )
    return queryset.none()


def clue_inbox(user) -> QuerySet[ClueTransfer]:
    return clues_visible_to(user).filter(to_department_id=user.department_id)


def clue_outbox(user) -> QuerySet[ClueTransfer]:
    return clues_visible_to(user).filter(from_department_id=user.department_id)


def clue_flags(transfer: ClueTransfer, today=None) -> list[str]:
    """What is overdue on a transfer (annotated by :func:`clues_visible_to`): both
    sides see the same flags."""
    today = today or timezone.localdate()
    flags = []
    if transfer.status == "sent" and transfer.acknowledge_due and transfer.acknowledge_due < today:
        flags.append("acknowledgement")
    if transfer.status == "accepted" and transfer.outcome_due and transfer.outcome_due < today:
        flags.append("outcome")
    return flags


# --- consultations and interviews --------------------------------------------------------


def consultations_visible_to(user) -> QuerySet[Consultation]:
    queryset = Consultation.objects.select_related("convener", "convener__region")
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.everything:
        return queryset
    if jurisdiction.region_path:
        return queryset.filter(
            _chain("convener", jurisdiction)
            | _participant_in_chain(Consultation.participants.through, "consultation", jurisdiction)
        )
    return queryset.none()


def follow_ups_visible_to(user) -> QuerySet[FollowUpAction]:
    return FollowUpAction.objects.filter(
        consultation__in=consultations_visible_to(user).values("pk")
    ).select_related("owner", "consultation", "done_by")


def interviews_visible_to(user) -> QuerySet[Interview]:
    queryset = Interview.objects.select_related(
        "department", "department__region", "platform", "agency", "operator", "marketer"
    )
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.everything:
        return queryset
    if jurisdiction.platform_id:
        return queryset.filter(platform_id=jurisdiction.platform_id)
    if jurisdiction.region_path:
        return queryset.filter(_chain("department", jurisdiction))
    return queryset.none()


# --- files and links -----------------------------------------------------------------


def attachment_visible_to(user, attachment: Attachment) -> bool:
    """A file is seen by whoever sees what it belongs to."""
    if attachment.transfer_id:
        return clues_visible_to(user).filter(pk=attachment.transfer_id).exists()
    if attachment.item_id:
        # Findings' evidence is the departments' own: the platform sees the
        # requests and orders made of it, not the working papers.
        if jurisdiction_of(user).platform_id:
            return False
        inspection_id = attachment.item.inspection_id
    elif attachment.document_request_id:
        inspection_id = attachment.document_request.inspection_id
    else:
        inspection_id = attachment.report.order.inspection_id
    return inspections_visible_to(user).filter(pk=inspection_id).exists()


def link_url(user, link: ClueLink) -> str | None:
    """The address of the linked record when ``user`` may open it, else None (the
    label and summary copied at linking are shown instead)."""
    from .links import may_link

    target = link.target
    if target is None or not may_link(user, target):
        return None
    if hasattr(target, "get_absolute_url"):
        return target.get_absolute_url()
    inspection = getattr(target, "inspection", None)
    return inspection.get_absolute_url() + f"#item-{target.pk}" if inspection else None
