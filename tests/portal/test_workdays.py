"""The working-day calendar: official years, provisional years and recomputation."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from portal.audit import events_for
from portal.calendar_notice import parse_notice
from portal.models import CalendarYear, Deadline
from portal.services import (
    calendar_load_year,
    deadline_pause,
    deadline_resume,
    deadline_start,
    deadlines_mark_overdue,
)
from portal.workdays import (
    add_working_days,
    due_date,
    is_working_day,
    official_through,
    working_days_between,
)
from tests.factories import ComplaintFactory, UserFactory

# A made-up 2027 notice for the tests (the real one is not published yet):
# New Year's Day off from Friday to Monday, with Saturday 9 January worked.
NOTICE_2027 = "一、元旦：1月1日（周五）至4日（周一）放假调休，共4天。1月9日（周六）上班。"

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2024, 2, 4), True),  # Sunday worked before the 2024 Spring Festival
        (date(2024, 2, 12), False),  # Spring Festival 2024, a Monday
        (date(2024, 2, 18), True),  # Sunday worked after it
        (date(2024, 9, 29), True),  # Sunday worked before the 2024 Golden Week
        (date(2024, 10, 7), False),  # last day of the 2024 Golden Week
        (date(2024, 10, 12), True),  # Saturday worked after it
        (date(2025, 1, 26), True),  # Sunday worked before the 2025 Spring Festival
        (date(2025, 2, 4), False),  # last day of the 2025 Spring Festival
        (date(2025, 10, 8), False),  # National Day and Mid-Autumn 2025, a Wednesday
        (date(2025, 10, 11), True),  # Saturday worked after it
        (date(2026, 2, 14), True),  # Saturday worked before the 2026 Spring Festival
        (date(2026, 2, 23), False),  # last day of the 2026 Spring Festival, a Monday
        (date(2026, 2, 28), True),  # Saturday worked after it
        (date(2026, 9, 20), True),  # Sunday worked before the 2026 Golden Week
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 10), True),  # Saturday worked after it
        (date(2026, 10, 12), True),  # a plain Monday
        (date(2026, 10, 11), False),  # a plain Sunday
    ],
)
def test_known_days_of_2024_to_2026(day, working):
    assert is_working_day(day) is working


def test_the_start_day_does_not_count():
    assert add_working_days(date(2026, 10, 12), 1) == date(2026, 10, 13)


def test_clock_runs_across_a_make_up_working_weekend():
    # Friday 27 Sept 2024 + 1 is Sunday 29 Sept (worked), + 3 is after Golden Week.
    assert add_working_days(date(2024, 9, 27), 1) == date(2024, 9, 29)
    assert add_working_days(date(2024, 9, 27), 3) == date(2024, 10, 8)


def test_clock_skips_the_spring_festival():
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)


def test_working_days_between_counts_the_end_not_the_start():
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert working_days_between(date(2026, 10, 10), date(2026, 9, 30)) == -3
    assert working_days_between(date(2026, 10, 12), date(2026, 10, 12)) == 0


def test_official_through_is_the_last_loaded_year():
    assert official_through() == 2026


def test_a_clock_into_an_unloaded_year_is_provisional_and_counts_statutory_holidays():
    # Friday 25 Dec 2026 + 7: four days of 2026, then 1 Jan 2027 (statutory) skipped.
    due = due_date(date(2026, 12, 25), 7)

    assert due.on == date(2027, 1, 6)
    assert due.provisional is True
    assert due_date(date(2026, 12, 1), 7).provisional is False


def test_loading_the_year_recomputes_provisional_due_dates_and_records_it():
    case = _case()
    clock = deadline_start(
        subject=case, clock="complaint-accept", started_on=date(2026, 12, 25), actor=None
    )
    assert (clock.due_on, clock.provisional) == (date(2027, 1, 6), True)

    result = calendar_load_year(
        year=2027, days=parse_notice(NOTICE_2027, 2027), source="test notice", actor=None
    )

    clock.refresh_from_db()
    assert result.recomputed == 1
    assert (clock.due_on, clock.provisional) == (date(2027, 1, 7), False)
    recorded = events_for(case).filter(action="deadline.recomputed").get()
    assert recorded.data["old_due_on"] == "2027-01-06"
    assert recorded.data["due_on"] == "2027-01-07"
    assert official_through() == 2027


def test_load_calendar_command_reads_a_notice_file(tmp_path):
    notice = tmp_path / "2027.txt"
    notice.write_text("国务院办公厅关于2027年部分节假日安排的通知\n" + NOTICE_2027, "utf-8")

    call_command("load_calendar", "2027", "--file", str(notice))

    assert CalendarYear.objects.filter(year=2027).exists()
    assert not is_working_day(date(2027, 1, 4))
    assert is_working_day(date(2027, 1, 9))


def test_paused_clock_is_extended_by_the_working_days_it_stood_still():
    case = _case()
    clock = deadline_start(
        subject=case, clock="complaint-accept", started_on=date(2026, 11, 2), actor=None
    )
    assert clock.due_on == date(2026, 11, 11)

    deadline_pause(deadline=clock, on=date(2026, 11, 4), actor=None, reason="补充材料")
    clock = deadline_resume(deadline=clock, on=date(2026, 11, 9), actor=None)

    # 5, 6 and 9 November were working days spent waiting.
    assert clock.paused_working_days == 3
    assert clock.due_on == date(2026, 11, 16)


def test_overdue_sweep_marks_once():
    case = _case()
    clock = deadline_start(
        subject=case, clock="complaint-accept", started_on=date(2026, 11, 2), actor=None
    )

    assert deadlines_mark_overdue(today=date(2026, 11, 12)) == 1
    assert deadlines_mark_overdue(today=date(2026, 11, 13)) == 0
    clock.refresh_from_db()
    assert clock.overdue_since == date(2026, 11, 12)
    assert Deadline.objects.overdue(date(2026, 11, 13)).count() == 1
    # Its case's audit trail says so, once (written in the marking statement on
    # PostgreSQL, by a bulk insert elsewhere).
    marks = [e for e in events_for(case) if e.action == "deadline.overdue"]
    assert len(marks) == 1
    assert marks[0].data == {"clock": "complaint-accept", "due_on": "2026-11-11"}
    assert marks[0].actor is None


@pytest.mark.parametrize(
    ("today", "warned"),
    [(date(2026, 11, 15), True), (date(2026, 10, 15), False)],
)
def test_site_admin_is_warned_from_november_while_next_year_is_missing(client, today, warned):
    client.force_login(UserFactory(role=Role.SITE_ADMIN, is_staff=True))

    with time_machine.travel(today, tick=False):
        page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")

    assert ("The official holiday schedule for 2027 is not loaded" in page.text) is warned


def test_warning_goes_once_the_year_is_loaded(client):
    calendar_load_year(
        year=2027, days=parse_notice(NOTICE_2027, 2027), source="test notice", actor=None
    )
    client.force_login(UserFactory(role=Role.SITE_ADMIN, is_staff=True))

    with time_machine.travel(date(2026, 11, 15), tick=False):
        page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")

    assert "is not loaded" not in page.text


def _case():
    from accounts.models import Department, DepartmentType, Region

    region = Region.objects.create(code="100000", name="全国", level=0)
    department = Department.objects.create(
        name="总局", type=DepartmentType.MARKET_SUPERVISION, region=region
    )
    return ComplaintFactory(department=department)
