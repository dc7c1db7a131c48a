"""Which workflow actions a user may take on a case: one place for pages, API and services.

An action is allowed when the case's state allows it (the transition tables
in ``services``) and the user's role does: only staff of the department that
has the case act on it (departments above it see it); handlers act on the
cases assigned to them (and take unassigned ones), supervisors on every case
of their department. Platform officers answer what was forwarded to them
(``services.forward_answer``).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import RuleSet
from portal.rules import clock_of, rule_set_for
from portal.services import APPROVER_PERMISSION

from .models import Complaint

S = Complaint.Status
K = Complaint.Kind

# action → (kinds it applies to, statuses it may start from)
ACTION_STATES: dict[str, tuple[set[str], set[str]]] = {
    "take": ({K.COMPLAINT, K.REPORT}, {S.RECEIVED, S.AWAITING_MATERIAL, S.ACCEPTED, S.FORWARDED}),
    "assign": ({K.COMPLAINT, K.REPORT}, {S.RECEIVED, S.AWAITING_MATERIAL, S.ACCEPTED, S.FORWARDED}),
    "accept": ({K.COMPLAINT}, {S.RECEIVED}),
    "decline": ({K.COMPLAINT}, {S.RECEIVED, S.AWAITING_MATERIAL}),
    "request_material": ({K.COMPLAINT}, {S.RECEIVED}),
    "transfer": ({K.COMPLAINT, K.REPORT}, {S.RECEIVED}),
    "forward": ({K.COMPLAINT}, {S.ACCEPTED}),
    "close": ({K.COMPLAINT}, {S.ACCEPTED, S.FORWARDED}),
    "request_extension": ({K.REPORT}, {S.RECEIVED}),
    "approve_extension": ({K.REPORT}, {S.RECEIVED}),
    "decide_report": ({K.REPORT}, {S.RECEIVED}),
    "merge": ({K.COMPLAINT, K.REPORT}, {S.RECEIVED, S.AWAITING_MATERIAL}),
    # A period that does not count on the mediation or verification clock.
    "exclude_period": ({K.COMPLAINT, K.REPORT}, {S.ACCEPTED, S.FORWARDED, S.RECEIVED}),
    "note": ({K.COMPLAINT, K.REPORT}, set(S.values) - {S.MERGED}),
}

ACTION_LABELS = {
    "take": _("Take the case"),
    "assign": _("Assign"),
    "accept": _("Accept"),
    "decline": _("Decline"),
    "request_material": _("Ask for more material"),
    "transfer": _("Transfer to another department"),
    "forward": _("Forward to the platform"),
    "close": _("Close with an outcome"),
    "request_extension": _("Ask for an extension"),
    "approve_extension": _("Decide on the extension"),
    "decide_report": _("Decide whether to open a case"),
    "merge": _("Merge into the original case"),
    "exclude_period": _("Record a period that does not count"),
    "note": _("Add a note or public update"),
}

SUPERVISOR_ONLY = {"assign", "approve_extension", "merge"}


def allowed_actions(user, complaint: Complaint) -> set[str]:
    """The actions ``user`` may take now; the caller has already scoped ``complaint``."""
    # Only the department that has the case acts on it; departments above it see it.
    if not user.has_perm("accounts.handle_cases") or user.department_id != complaint.department_id:
        return set()
    is_supervisor = user.has_perm("accounts.approve_decisions")
    own = complaint.assignee_id == user.pk
    allowed = set()
    for action, (kinds, states) in ACTION_STATES.items():
        if complaint.kind not in kinds or complaint.status not in states:
            continue
        if action in SUPERVISOR_ONLY and not is_supervisor:
            continue
        if action == "take" and (own or (complaint.assignee_id and not is_supervisor)):
            continue
        if action not in SUPERVISOR_ONLY | {"take", "note"} and not (own or is_supervisor):
            continue
        allowed.add(action)
    if "approve_extension" in allowed and (
        complaint.extension_state != "requested" or not _may_approve_extension(user, complaint)
    ):
        allowed.discard("approve_extension")
    if (
        "exclude_period" in allowed
        and complaint.kind == K.COMPLAINT
        and complaint.status == S.RECEIVED
    ):
        allowed.discard("exclude_period")
    if "request_extension" in allowed and complaint.extension_state:
        allowed.discard("request_extension")
    if "merge" in allowed and not complaint.possible_duplicate_of_id:
        allowed.discard("merge")
    return allowed


def _may_approve_extension(user, complaint: Complaint) -> bool:
    """Whether ``user`` holds the role the case's rule set names to extend its
    verification clock (penalty procedure rules Art. 18: the department head)."""
    rule_set = complaint.rule_set or rule_set_for(
        RuleSet.Matter.COMPLAINT, timezone.localdate(complaint.received_at)
    )
    rule = clock_of(rule_set, "report-verify")
    permission = APPROVER_PERMISSION.get(rule.extension_approver)
    return bool(permission) and user.has_perm(permission)
