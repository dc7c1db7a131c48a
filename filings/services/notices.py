"""Notices from departments to platforms, and the platforms' replies.

- a violation for the platform to act on (Order 117 Art. 12 ¶2, Art. 50): the
  platform replies by the date the sending department sets (clock
  ``notice-reply``, default 10 working days);
- an operator the department cannot reach (Order 117 Art. 22): the platform
  reminds the operator and replies within 5 working days (clock
  ``platform-reminder``; the sender does not set it).

A reply after the due date is taken, and shows as late on both sides.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Platform
from portal.audit import audit_record
from portal.errors import DomainError, NotAllowed
from portal.requests import request_answer, request_answer_check
from portal.services import deadline_start

from ..models import NOTICE_CLOCKS, NoticeKind, PlatformNotice


@transaction.atomic
def notice_send(
    *,
    actor,
    platform: Platform,
    kind: str,
    party: str,
    message: str,
    working_days: int | None = None,
) -> PlatformNotice:
    """A department tells ``platform`` about a party and starts the reply clock.

    ``working_days`` is the sender's own time for a violation notice; an Art. 22
    reminder always runs on its clock rule (5 working days by default).
    """
    if not (actor.has_perm("accounts.handle_cases") and getattr(actor, "department_id", None)):
        raise NotAllowed(_("Only department staff who handle cases send notices."))
    if kind not in NoticeKind.values:
        raise DomainError(_("Unknown kind of notice."))
    if kind == NoticeKind.UNREACHABLE_OPERATOR:
        working_days = None
    elif working_days is not None and not 1 <= working_days <= 60:
        raise DomainError(_("Give between 1 and 60 working days."), code="working_days")
    notice = PlatformNotice(
        department=actor.department,
        platform=platform,
        kind=kind,
        party=party.strip(),
        question=message.strip(),
        asked_by=actor,
    )
    notice.full_clean()
    notice.save()
    clock = deadline_start(
        subject=notice,
        clock=NOTICE_CLOCKS[kind],
        started_on=timezone.localdate(notice.asked_at),
        actor=actor,
        department=actor.department,
        working_days=working_days,
    )
    audit_record(
        actor=actor,
        action="notice.sent",
        subject=notice,
        data={"platform": platform.pk, "kind": kind},
    )
    from ..notifications import notice_sent_notify

    notice_sent_notify(notice, due=clock.due_on)
    return notice


@transaction.atomic
def notice_reply(*, notice: PlatformNotice, actor, reply: str) -> PlatformNotice:
    """The platform answers a notice (in the portal or by API); a late answer is
    accepted and recorded as late."""
    notice = PlatformNotice.objects.select_for_update().get(pk=notice.pk)
    request_answer_check(notice, actor=actor, platform_id=notice.platform_id)
    if not reply.strip():
        raise DomainError(_("Write the reply."), code="reply")
    late = request_answer(notice, actor=actor, answer=reply, platform_id=notice.platform_id)
    audit_record(actor=actor, action="notice.replied", subject=notice, data={"late": late})
    from ..notifications import notice_replied_notify

    notice_replied_notify(notice)
    return notice
