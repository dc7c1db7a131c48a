"""Dispatch of a staff workflow action to its one service; pages and API share it."""

from django.http import Http404

from . import services
from .models import Complaint


def perform_action(action: str, complaint: Complaint, user, data: dict):
    match action:
        case "take":
            return services.complaint_assign(complaint=complaint, actor=user, assignee=user)
        case "assign":
            return services.complaint_assign(
                complaint=complaint, actor=user, assignee=data["assignee"]
            )
        case "accept":
            return services.complaint_accept(
                complaint=complaint, actor=user, message=data.get("message", "")
            )
        case "decline":
            return services.complaint_decline(
                complaint=complaint, actor=user, reason=data["reason"], message=data["message"]
            )
        case "request_material":
            return services.complaint_request_material(
                complaint=complaint, actor=user, message=data["message"]
            )
        case "transfer":
            return services.complaint_transfer(
                complaint=complaint,
                actor=user,
                to_department=data["to_department"],
                reason=data["reason"],
            )
        case "forward":
            return services.complaint_forward(
                complaint=complaint,
                actor=user,
                message=data["message"],
                working_days=data.get("working_days"),
            )
        case "close":
            return services.complaint_close(
                complaint=complaint,
                actor=user,
                outcome=data["outcome"],
                outcome_text=data["outcome_text"],
            )
        case "note":
            return services.complaint_note(
                complaint=complaint, actor=user, message=data["message"], public=data["public"]
            )
        case "request_extension":
            return services.report_request_extension(
                complaint=complaint, actor=user, reason=data["reason"]
            )
        case "approve_extension":
            return services.report_decide_extension(
                complaint=complaint,
                actor=user,
                approve=data["approve"],
                message=data.get("message", ""),
            )
        case "decide_report":
            return services.report_decide(
                complaint=complaint,
                actor=user,
                open_case=data["open_case"],
                message=data["message"],
            )
        case "merge":
            return services.complaint_merge(duplicate=complaint, actor=user)
        case "exclude_period":
            return services.complaint_exclude_period(
                complaint=complaint,
                actor=user,
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
            )
    raise Http404
