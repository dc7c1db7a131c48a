"""Dispatch of a staff workflow action to its one service; pages and API share it."""

from django.http import Http404

from .models import Complaint
from .services.forwards import complaint_forward
from .services.reports import report_decide, report_decide_extension, report_request_extension
from .services.workflow import (
    complaint_accept,
    complaint_assign,
    complaint_close,
    complaint_decline,
    complaint_exclude_period,
    complaint_merge,
    complaint_note,
    complaint_request_material,
    complaint_transfer,
)


def perform_action(action: str, complaint: Complaint, user, data: dict):
    match action:
        case "take":
            return complaint_assign(complaint=complaint, actor=user, assignee=user)
        case "assign":
            return complaint_assign(complaint=complaint, actor=user, assignee=data["assignee"])
        case "accept":
            return complaint_accept(
                complaint=complaint, actor=user, message=data.get("message", "")
            )
        case "decline":
            return complaint_decline(
                complaint=complaint, actor=user, reason=data["reason"], message=data["message"]
            )
        case "request_material":
            return complaint_request_material(
                complaint=complaint, actor=user, message=data["message"]
            )
        case "transfer":
            return complaint_transfer(
                complaint=complaint,
                actor=user,
                to_department=data["to_department"],
                reason=data["reason"],
            )
        case "forward":
            return complaint_forward(
                complaint=complaint,
                actor=user,
                message=data["message"],
                working_days=data.get("working_days"),
            )
        case "close":
            return complaint_close(
                complaint=complaint,
                actor=user,
                outcome=data["outcome"],
                outcome_text=data["outcome_text"],
            )
        case "note":
            return complaint_note(
                complaint=complaint, actor=user, message=data["message"], public=data["public"]
            )
        case "request_extension":
            return report_request_extension(complaint=complaint, actor=user, reason=data["reason"])
        case "approve_extension":
            return report_decide_extension(
                complaint=complaint,
                actor=user,
                approve=data["approve"],
                message=data.get("message", ""),
            )
        case "decide_report":
            return report_decide(
                complaint=complaint,
                actor=user,
                open_case=data["open_case"],
                message=data["message"],
            )
        case "merge":
            return complaint_merge(duplicate=complaint, actor=user)
        case "exclude_period":
            return complaint_exclude_period(
                complaint=complaint,
                actor=user,
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
            )
    raise Http404
