"""The periodic sweep of inspections and transfers (Celery beat, hourly).

Set-wise and idempotent (STYLE.md rule 8): one ``UPDATE … RETURNING`` each for
the reminders and the overdue marks of the document-request and clue clocks
(``portal.services``), one select-and-update for the follow-up actions of
consultations; a clock is reminded once (``reminder_sent_at``) and flagged once
(``overdue_since``), whatever the number of runs; the emails are recorded in the
outbox in the same transaction and sent once each after commit.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from portal.models import AuditEvent
from portal.services import deadlines_claim_reminders, deadlines_mark_overdue_rows
from portal.workdays import WorkingCalendar

from ..models import ClueTransfer, DocumentRequest, FollowUpAction

REMIND_WORKING_DAYS = 2


@dataclass(frozen=True)
class SweepResult:
    reminded: int
    overdue: int
    follow_ups_overdue: int


@transaction.atomic
def inspections_sweep(*, today: date) -> SweepResult:
    """Remind 2 working days ahead, mark what is overdue and tell both sides once."""
    from ..notifications import overdue_notify, reminders_notify

    content_types = [
        ContentType.objects.get_for_model(DocumentRequest),
        ContentType.objects.get_for_model(ClueTransfer),
    ]
    soon = WorkingCalendar().add_working_days(today, REMIND_WORKING_DAYS)
    due_soon = deadlines_claim_reminders(today=today, until=soon, content_types=content_types)
    overdue = deadlines_mark_overdue_rows(today=today, content_types=content_types)

    late_actions = list(
        FollowUpAction.objects.select_for_update()
        .filter(done_at__isnull=True, due_on__lt=today, overdue_since__isnull=True)
        .values_list("pk", "consultation_id", "due_on")
    )
    action_ids = [pk for pk, _c, _d in late_actions]
    if action_ids:
        FollowUpAction.objects.filter(pk__in=action_ids, overdue_since__isnull=True).update(
            overdue_since=today
        )
        consultation_type = ContentType.objects.get_for_model(
            FollowUpAction._meta.get_field("consultation").related_model
        )
        AuditEvent.objects.bulk_create(
            AuditEvent(
                action="consultation.action_overdue",
                content_type=consultation_type,
                object_id=str(consultation_id),
                data={"action": pk, "due_on": due.isoformat()},
            )
            for pk, consultation_id, due in late_actions
        )

    # The emails are recorded in this transaction and go out from a worker after
    # commit, once each: the sweep's marks and the messages cannot part ways.
    if due_soon:
        reminders_notify(due_soon, today=today)
    if overdue or action_ids:
        overdue_notify(overdue, action_ids, today=today)
    return SweepResult(
        reminded=len(due_soon), overdue=len(overdue), follow_ups_overdue=len(action_ids)
    )
