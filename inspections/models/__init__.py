"""Special inspections of platforms, clue transfers, joint consultations and
interviews: the work between departments (Trial Art. 4, 26; Order 117 Art. 21,
46, 52, 67).

Status fields are ``TextChoices``; the allowed moves are one table per model in
``inspections.services`` and every move goes through a service there.

One module per part of the work (Django loads the models from this package):
``inspections``, ``clues``, ``attachments`` and ``meetings``.
"""

from .attachments import (
    Attachment,
)
from .clues import (
    ClueLink,
    ClueStatus,
    ClueTransfer,
)
from .inspections import (
    Campaign,
    ChecklistTemplateItem,
    DocumentRequest,
    InspectionItem,
    InspectionStatus,
    ItemResult,
    ObligationArea,
    PlatformInspection,
    RectificationOrder,
    RectificationReport,
    Verification,
)
from .meetings import (
    INTERVIEW_GROUNDS_SET,
    INTERVIEW_TARGET_FIELDS,
    Consultation,
    ConsultationOpinion,
    FollowUpAction,
    Interview,
    InterviewGround,
    InterviewTarget,
)

__all__ = [
    "INTERVIEW_GROUNDS_SET",
    "INTERVIEW_TARGET_FIELDS",
    "Attachment",
    "Campaign",
    "ChecklistTemplateItem",
    "ClueLink",
    "ClueStatus",
    "ClueTransfer",
    "Consultation",
    "ConsultationOpinion",
    "DocumentRequest",
    "FollowUpAction",
    "InspectionItem",
    "InspectionStatus",
    "Interview",
    "InterviewGround",
    "InterviewTarget",
    "ItemResult",
    "ObligationArea",
    "PlatformInspection",
    "RectificationOrder",
    "RectificationReport",
    "Verification",
]
