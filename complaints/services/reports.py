"""Reports (举报): the decision whether to open a case, and its extension with
an approver's consent; the clock and who may extend it come from the rule set."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.errors import NotAllowed
from portal.models import Deadline, RuleClock
from portal.services import (
    APPROVER_PERMISSION,
    deadline_close,
    deadline_extend,
)

from ..models import (
    Complaint,
)
from .common import DECISION_CLOCK, S, _check, _clock_rule, _event, _lock, _move, _notify, _running


@transaction.atomic
def report_request_extension(*, complaint: Complaint, actor, reason: str) -> Complaint:
    complaint = _lock(complaint)
    _check(actor, complaint, "request_extension")
    complaint.extension_state = "requested"
    complaint.save(update_fields=["extension_state"])
    _event(complaint, actor=actor, action="extension_requested", public=False, message=reason)
    return complaint


@transaction.atomic
def report_decide_extension(
    *, complaint: Complaint, actor, approve: bool, message: str = ""
) -> Complaint:
    """Approve or refuse the extension of the report's verification clock; only the
    role its rule set names decides (penalty procedure rules Art. 18: the head)."""
    complaint = _lock(complaint)
    clock = _running(complaint, DECISION_CLOCK[complaint.kind])
    rule = _clock_rule(complaint, clock) if clock is not None else None
    permission = APPROVER_PERMISSION.get(rule.extension_approver) if rule else None
    if permission and not actor.has_perm(permission):
        raise NotAllowed(
            _("Under %(source)s, the extension is decided by %(role)s.")
            % {
                "source": rule.source_label,
                "role": RuleClock.Approver(rule.extension_approver).label,
            },
            code="approver",
        )
    _check(actor, complaint, "approve_extension")
    old_due = clock.due_on if clock is not None else None
    if approve and clock is not None:
        deadline_extend(deadline=clock, actor=actor, reason=message)
        clock.refresh_from_db()
    complaint.extension_state = "approved" if approve else ""
    complaint.save(update_fields=["extension_state"])
    _event(
        complaint,
        actor=actor,
        action="extension_approved" if approve else "extension_refused",
        public=approve,
        message=message
        or (
            gettext_lazy(
                "The time limit for the decision was extended from %(old)s to %(new)s (%(source)s)."
            )
            if approve
            else gettext_lazy("Extension refused.")
        ),
        params={
            "old": old_due.isoformat() if old_due else "—",
            "new": clock.due_on.isoformat() if clock is not None else "—",
            "source": (
                {"zh-hans": rule.source, "en": rule.source_en or rule.source}
                if rule is not None
                else (clock.source if clock is not None else "")
            ),
        },
    )
    return complaint


@transaction.atomic
def report_decide(*, complaint: Complaint, actor, open_case: bool, message: str) -> Complaint:
    """Decide on a report; a named reporter is told the decision."""
    complaint = _lock(complaint)
    _check(actor, complaint, "decide_report")
    target = S.CASE_OPENED if open_case else S.NOT_OPENED
    _move(complaint, target)
    complaint.outcome = "case_opened" if open_case else "not_opened"
    complaint.outcome_text = message
    complaint.decided_at = complaint.closed_at = timezone.now()
    complaint.save()
    for clock in Deadline.objects.for_object(complaint).open():
        deadline_close(deadline=clock, actor=actor)
    event = _event(
        complaint,
        actor=actor,
        action="report_decided",
        public=True,
        message=message,
        data={"open_case": open_case},
    )
    if not complaint.anonymous:
        _notify(complaint, "report_decided", event)
    return complaint
