"""Forwarding a complaint to the platform, and the platform's answer by its due
date (web page or API key)."""

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.requests import request_answer
from portal.rules import (
    clock_due,
    clock_of,
)
from portal.services import (
    deadline_start,
)

from ..models import (
    Complaint,
    Evidence,
    PlatformForward,
)
from .common import (
    PLATFORM_CLOCK,
    ComplaintError,
    S,
    _check,
    _event,
    _lock,
    _move,
    _today,
    case_rule_set,
)


@transaction.atomic
def complaint_forward(
    *, complaint: Complaint, actor, message: str, working_days: int | None = None
) -> PlatformForward:
    """Forward to the platform for its handling, with the date its answer is due."""
    complaint = _lock(complaint)
    _check(actor, complaint, "forward")
    if complaint.platform is None:
        raise ComplaintError(
            _("The case names no platform on record to forward it to."), code="no_platform"
        )
    _move(complaint, S.FORWARDED)
    complaint.save(update_fields=["status"])
    rule = clock_of(case_rule_set(complaint), PLATFORM_CLOCK, department=complaint.department)
    days = working_days or rule.days
    due = clock_due(_today(), days, rule.unit)
    forward = PlatformForward.objects.create(
        complaint=complaint,
        platform=complaint.platform,
        asked_by=actor,
        question=message,
    )
    deadline_start(
        subject=forward,
        clock=PLATFORM_CLOCK,
        started_on=_today(),
        actor=actor,
        department=complaint.department,
        working_days=days,
        rule_set=case_rule_set(complaint),
    )
    _event(
        complaint,
        actor=actor,
        action="forwarded",
        public=True,
        message=gettext_lazy("Forwarded to %(platform)s for its handling; answer due %(due)s."),
        params={"platform": complaint.platform, "due": due.on.isoformat()},
        data={"days": days},
    )
    from ..notifications import forward_notify

    forward_notify(forward, due=due.on)
    return forward


@transaction.atomic
def forward_answer(
    *, forward: PlatformForward, actor, answer: str, files: Sequence[Evidence] = ()
) -> PlatformForward:
    """The platform's answer, with files kept by :func:`store_evidence`; the case
    returns to its handler. An answer sent with an API key records the key's name."""
    forward = PlatformForward.objects.select_for_update().get(pk=forward.pk)
    request_answer(forward, actor=actor, answer=answer, platform_id=forward.platform_id)
    Evidence.objects.filter(pk__in=[f.pk for f in files], complaint=None).update(
        complaint=forward.complaint_id, forward=forward
    )
    complaint = _lock(forward.complaint)
    if complaint.status == S.FORWARDED:
        _move(complaint, S.ACCEPTED)
        complaint.save(update_fields=["status"])
    event = _event(
        complaint,
        actor=actor,
        action="platform_answered",
        public=True,
        message=answer,
        data={
            "platform": forward.platform_id,
            "late": forward.due_on < _today(),
            "files": len(files),
        },
    )
    from ..notifications import answer_notify

    answer_notify(forward, complaint, cause=event)
    return forward
