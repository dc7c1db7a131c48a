"""Pages of the inspections app, one module per family."""

from ._common import attachment_download
from .clues import clue_action, clue_detail, clue_letter_pdf, clue_list, clue_new
from .inspections import (
    campaign_detail,
    campaign_list,
    campaign_new,
    inspection_action,
    inspection_detail,
    inspection_report_pdf,
    item_finding,
    platform_home,
    rectification_order_pdf,
    rectification_report,
    request_answer,
)
from .meetings import (
    consultation_action,
    consultation_detail,
    consultation_list,
    consultation_new,
    follow_up_done,
    interview_action,
    interview_detail,
    interview_list,
    interview_minutes_pdf,
    interview_new,
)
from .risk import risk_export, risk_view

__all__ = [
    "attachment_download",
    "campaign_detail",
    "campaign_list",
    "campaign_new",
    "clue_action",
    "clue_detail",
    "clue_letter_pdf",
    "clue_list",
    "clue_new",
    "consultation_action",
    "consultation_detail",
    "consultation_list",
    "consultation_new",
    "follow_up_done",
    "inspection_action",
    "inspection_detail",
    "inspection_report_pdf",
    "interview_action",
    "interview_detail",
    "interview_list",
    "interview_minutes_pdf",
    "interview_new",
    "item_finding",
    "platform_home",
    "rectification_order_pdf",
    "rectification_report",
    "request_answer",
    "risk_export",
    "risk_view",
]
