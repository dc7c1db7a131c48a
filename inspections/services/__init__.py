"""Every action that changes inspections, clue transfers, consultations and
interviews.

Plain functions, keyword-only arguments, the acting user as ``actor``, one
transaction each, ``full_clean()`` before save and an audit event in the same
transaction. Each record moves along one explicit table (``INSPECTION_MOVES``,
``CLUE_MOVES``, ``CONSULTATION_MOVES``, ``INTERVIEW_MOVES``): asking for the
state it is in already does nothing, any other move raises ``Conflict``; a role
or department that may not act gets ``NotAllowed``.

The modules of this package: ``inspections`` (campaigns, checklist, document
requests, findings, rectification), ``clues`` (transfers), ``meetings``
(consultations and interviews) and ``sweep`` (the periodic sweep).
"""

from ._common import InspectionError, store_attachment
from .clues import (
    ACKNOWLEDGE_CLOCK,
    CLUE_MOVES,
    OUTCOME_CLOCK,
    clue_accept,
    clue_acknowledge,
    clue_record_outcome,
    clue_return,
    clue_transfer,
    links_add,
)
from .inspections import (
    CAMPAIGN_MOVES,
    DOCUMENT_CLOCK,
    INSPECTION_MOVES,
    campaign_add_participants,
    campaign_close,
    campaign_open,
    checklist_template,
    current_order,
    document_request_answer,
    document_request_send,
    inspection_close,
    inspection_findings_complete,
    inspection_open,
    inspection_verify,
    item_record_finding,
    rectification_order_issue,
    rectification_report_submit,
)
from .meetings import (
    CONSULTATION_MOVES,
    INTERVIEW_MOVES,
    consultation_conclude,
    consultation_convene,
    consultation_opinion_record,
    follow_up_add,
    follow_up_complete,
    interview_grounds,
    interview_record_check,
    interview_record_minutes,
    interview_rule_set,
    interview_schedule,
)
from .sweep import SweepResult, inspections_sweep

__all__ = [
    "ACKNOWLEDGE_CLOCK",
    "CAMPAIGN_MOVES",
    "CLUE_MOVES",
    "CONSULTATION_MOVES",
    "DOCUMENT_CLOCK",
    "INSPECTION_MOVES",
    "INTERVIEW_MOVES",
    "OUTCOME_CLOCK",
    "InspectionError",
    "SweepResult",
    "campaign_add_participants",
    "campaign_close",
    "campaign_open",
    "checklist_template",
    "clue_accept",
    "clue_acknowledge",
    "clue_record_outcome",
    "clue_return",
    "clue_transfer",
    "consultation_conclude",
    "consultation_convene",
    "consultation_opinion_record",
    "current_order",
    "document_request_answer",
    "document_request_send",
    "follow_up_add",
    "follow_up_complete",
    "inspection_close",
    "inspection_findings_complete",
    "inspection_open",
    "inspection_verify",
    "inspections_sweep",
    "interview_grounds",
    "interview_record_check",
    "interview_record_minutes",
    "interview_rule_set",
    "interview_schedule",
    "item_record_finding",
    "links_add",
    "rectification_order_issue",
    "rectification_report_submit",
    "store_attachment",
]
