"""Duplicate flagging and merging; the periodic sweep's reminders and overdue marks."""

from datetime import date

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail

from complaints.models import Complaint
from complaints.services.sweep import complaints_sweep
from complaints.services.workflow import complaint_assign, complaint_merge
from complaints.tasks import complaints_sweep_task
from portal.errors import NotAllowed
from portal.models import Deadline

pytestmark = pytest.mark.django_db


def test_same_contact_and_live_room_within_30_days_is_flagged(file_case):
    with time_machine.travel(date(2026, 11, 2), tick=False):
        first = file_case()
    with time_machine.travel(date(2026, 11, 20), tick=False):
        second = file_case(description="同一问题再次投诉")
    with time_machine.travel(date(2026, 12, 30), tick=False):
        later = file_case(description="一个多月后")

    assert second.possible_duplicate_of == first
    assert later.possible_duplicate_of is None


def test_other_contact_is_not_a_duplicate(file_case):
    file_case()

    other = file_case(contact_phone="13900000009", contact_email="other@example.com")

    assert other.possible_duplicate_of is None


def test_supervisor_merges_a_duplicate(world, file_case):
    first = file_case()
    second = file_case(description="重复")

    with pytest.raises(NotAllowed):
        complaint_merge(duplicate=second, actor=world.handler)
    complaint_merge(duplicate=second, actor=world.supervisor)

    second.refresh_from_db()
    assert second.status == Complaint.Status.MERGED
    assert second.merged_into == first
    assert not Deadline.objects.for_object(second).open().exists()
    assert first.events.filter(action="merged_in").exists()


def _cases(file_case, world, n):
    cases = []
    for i in range(n):
        case = file_case(contact_phone=f"1390000{i:04d}", contact_email="")
        complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
        cases.append(case)
    return cases


def test_sweep_reminds_two_working_days_before_and_only_once(
    world, file_case, django_capture_on_commit_callbacks
):
    with time_machine.travel(date(2026, 11, 2), tick=False):
        _cases(file_case, world, 2)  # due 11 November
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        early = complaints_sweep(today=date(2026, 11, 6))
        due_soon = complaints_sweep(today=date(2026, 11, 9))
        again = complaints_sweep(today=date(2026, 11, 9))

    assert (early.reminded, due_soon.reminded, again.reminded) == (0, 2, 0)
    assert [m.to for m in mail.outbox] == [["handler@example.com"]]
    # each clock by its name in the portal's language, not its code
    assert mail.outbox[0].body.count("投诉受理决定") == 2


def test_sweep_marks_overdue_and_tells_the_supervisor_once(
    world, file_case, django_capture_on_commit_callbacks
):
    with time_machine.travel(date(2026, 11, 2), tick=False):
        cases = _cases(file_case, world, 3)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = complaints_sweep(today=date(2026, 11, 12))
        second = complaints_sweep(today=date(2026, 11, 13))

    assert (first.overdue, second.overdue) == (3, 0)
    to_supervisor = [m for m in mail.outbox if m.to == ["supervisor@example.com"]]
    assert len(to_supervisor) == 1
    assert all(c.tracking_code in to_supervisor[0].body for c in cases)


def test_sweep_costs_the_same_queries_for_few_or_many_cases(
    world, file_case, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with time_machine.travel(date(2026, 11, 2), tick=False):
        _cases(file_case, world, 1)
    # 16: the sweep, recording its digests (portal.models.Notification) and claiming,
    # sending and marking each of them once. Each run starts with the content types
    # uncached, so that which tests ran before does not change the count.
    ContentType.objects.clear_cache()
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(16) as few:
        complaints_sweep(today=date(2026, 11, 12))

    with time_machine.travel(date(2026, 11, 3), tick=False):
        _cases(file_case, world, 15)
    ContentType.objects.clear_cache()
    with (
        django_capture_on_commit_callbacks(execute=True),
        django_assert_max_num_queries(16) as many,
    ):
        complaints_sweep(today=date(2026, 11, 13))

    assert len(many.captured_queries) == len(few.captured_queries)


def test_sweep_task_runs_the_service(world, file_case):
    with time_machine.travel(date(2026, 11, 2), tick=False):
        _cases(file_case, world, 1)

    with time_machine.travel(date(2026, 11, 12), tick=False):
        result = complaints_sweep_task()

    assert result == {"reminded": 0, "overdue": 1}


def test_one_sweep_reminding_and_marking_sends_each_its_own_cases(
    world, file_case, django_capture_on_commit_callbacks
):
    with time_machine.travel(date(2026, 11, 2), tick=False):
        (late,) = _cases(file_case, world, 1)  # due 11 November
    with time_machine.travel(date(2026, 11, 10), tick=False):
        (soon,) = _cases(file_case, world, 1)  # due 19 November
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result = complaints_sweep(today=date(2026, 11, 17))

    assert (result.reminded, result.overdue) == (1, 1)
    (reminder,) = [m for m in mail.outbox if m.to == ["handler@example.com"]]
    (notice,) = [m for m in mail.outbox if m.to == ["supervisor@example.com"]]
    assert soon.tracking_code in reminder.body and late.tracking_code not in reminder.body
    assert late.tracking_code in notice.body and soon.tracking_code not in notice.body
