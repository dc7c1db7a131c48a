"""The periodic sweep: reminders a few working days before a clock runs out, and
overdue marks, with the e-mails sent after commit."""

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from portal.services import (
    deadlines_claim_reminders,
    deadlines_mark_overdue_rows,
)
from portal.workdays import WorkingCalendar

from ..models import (
    Complaint,
    PlatformForward,
)


@dataclass(frozen=True)
class SweepResult:
    reminded: int
    overdue: int


REMIND_WORKING_DAYS = 2


@transaction.atomic
def complaints_sweep(*, today: date) -> SweepResult:
    """Remind assignees 2 working days before a due date, mark what is overdue and
    tell the supervisors. Set-wise and idempotent: each reminder once
    (``reminder_sent_at``), each overdue notice once (``overdue_since``)."""
    from ..notifications import digests_notify

    soon = WorkingCalendar().add_working_days(today, REMIND_WORKING_DAYS)
    complaint_type = ContentType.objects.get_for_model(Complaint)
    forward_type = ContentType.objects.get_for_model(PlatformForward)

    def as_rows(claimed) -> list[tuple]:
        return [(ct == complaint_type.pk, oid, clock, due) for _pk, ct, oid, clock, due in claimed]

    due_soon = deadlines_claim_reminders(
        today=today, until=soon, content_types=[complaint_type, forward_type]
    )
    newly_overdue = deadlines_mark_overdue_rows(
        today=today, content_types=[complaint_type, forward_type]
    )
    # The emails are recorded in this transaction and go out from a worker after
    # commit, once each: the sweep's marks and the messages cannot part ways.
    digests_notify(as_rows(due_soon), overdue=False, today=today)
    digests_notify(as_rows(newly_overdue), overdue=True, today=today)
    return SweepResult(reminded=len(due_soon), overdue=len(newly_overdue))
