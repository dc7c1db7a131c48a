"""The periodic sweep: reminders and overdue marks once each, set-wise."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from inspections.services.clues import clue_transfer
from inspections.services.sweep import inspections_sweep
from inspections.tasks import inspections_sweep_task
from portal.models import AuditEvent, Deadline

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)


def _transfers(world, n):
    with time_machine.travel(MONDAY, tick=False):  # acknowledgement due 9 March
        return [
            clue_transfer(
                actor=world.handler,
                to_department=world.departments["zj_cyber"],
                facts=f"线索{i}",
                reason="属网信职责",
            )
            for i in range(n)
        ]


def test_reminder_two_working_days_before_to_the_receiver_once(
    world, django_capture_on_commit_callbacks
):
    transfers = _transfers(world, 2)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        early = inspections_sweep(today=date(2026, 3, 3))
        soon = inspections_sweep(today=date(2026, 3, 5))
        again = inspections_sweep(today=date(2026, 3, 6))

    assert (early.reminded, soon.reminded, again.reminded) == (0, 2, 0)
    assert [m.to for m in mail.outbox] == [["cyber@example.com"]]
    assert all(t.number in mail.outbox[0].body for t in transfers)


def test_sweep_is_idempotent(world, django_capture_on_commit_callbacks):
    _transfers(world, 3)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = inspections_sweep(today=date(2026, 3, 10))
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        second = inspections_sweep(today=date(2026, 3, 10))
        third = inspections_sweep(today=date(2026, 3, 12))

    assert first.overdue == 3 and (second.overdue, third.overdue) == (0, 0)
    assert sent > 0 and len(mail.outbox) == sent
    assert AuditEvent.objects.filter(action="deadline.overdue").count() == 3
    assert set(Deadline.objects.values_list("overdue_since", flat=True)) == {date(2026, 3, 10)}


def test_sweep_costs_the_same_queries_for_few_or_many(
    world, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _transfers(world, 1)
    with (
        CaptureQueriesContext(connection) as few,
        django_capture_on_commit_callbacks(execute=True),
    ):
        inspections_sweep(today=date(2026, 3, 10))
    _transfers(world, 15)
    with (
        django_assert_max_num_queries(len(few)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        inspections_sweep(today=date(2026, 3, 10))


def test_task_runs_the_service(world):
    _transfers(world, 1)

    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=SHANGHAI), tick=False):
        result = inspections_sweep_task.delay().get()

    assert result == {"reminded": 0, "overdue": 1, "follow_ups_overdue": 0}


def test_beat_schedule_runs_the_sweep():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["inspections-sweep"]
    assert entry["task"] == "inspections.tasks.inspections_sweep_task"


def test_the_reminder_is_on_the_receivers_notifications_page_in_their_language(
    client, world, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from portal.models import Notification

    (transfer,) = _transfers(world, 1)
    with django_capture_on_commit_callbacks(execute=True):
        inspections_sweep(today=date(2026, 3, 5))

    (reminder,) = Notification.objects.filter(recipient_user=world.cyber)
    assert reminder.sent_at is not None and "2026-03-09" in reminder.body
    client.force_login(world.cyber)
    page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Due within 2 working days" in page
    assert f"Clue {transfer.number} from" in page and "acknowledgement due on 2026-03-09" in page
    line = reverse("notification-open", args=[reminder.pk]) + "?item=0"
    assert client.get(line)["Location"] == reverse("inspections:clue", args=[transfer.pk])
