"""The schedule makes every department's monthly and quarterly reports by itself, once."""

from datetime import date

import pytest
import time_machine
from django.conf import settings

from accounts.models import Department
from config.celery import app
from oversight.models import StatisticalReport
from oversight.tasks import reports_schedule_task
from portal.models import AuditEvent
from tests.pdftools import pdf_text


def _run(day: str, capture, *, execute: bool = False) -> tuple[int, int]:
    """Run the scheduled task as beat would, on ``day``: (reports made, tasks queued)."""
    with capture(execute=execute) as callbacks:
        made = reports_schedule_task.apply(kwargs={"today": day}).get()
    return made, len(callbacks)


def _periods() -> set[tuple[str, date]]:
    return set(
        StatisticalReport.objects.filter(scheduled=True).values_list("period_kind", "period_start")
    )


def test_beat_runs_the_task_every_day():
    entry = settings.CELERY_BEAT_SCHEDULE["statistical-reports"]
    assert entry["task"] == reports_schedule_task.name
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {2} and entry["schedule"].day_of_month == set(range(1, 32))


def test_on_a_quarters_first_day_it_makes_the_month_and_the_quarter_before_once(
    world, django_capture_on_commit_callbacks
):
    departments = Department.objects.filter(is_active=True).count()
    made, queued = _run("2026-10-01", django_capture_on_commit_callbacks)
    assert made == queued == 2 * departments
    assert _periods() == {("monthly", date(2026, 9, 1)), ("quarterly", date(2026, 7, 1))}
    assert set(StatisticalReport.objects.values_list("department", flat=True).distinct()) == set(
        Department.objects.filter(is_active=True).values_list("pk", flat=True)
    )
    assert AuditEvent.objects.filter(action="report.scheduled").count() == made

    # run again the same day (a retry, a second beat): nothing new, nothing queued
    assert _run("2026-10-01", django_capture_on_commit_callbacks) == (0, 0)
    # the days after: nothing either
    assert _run("2026-10-15", django_capture_on_commit_callbacks) == (0, 0)
    assert StatisticalReport.objects.count() == 2 * departments

    # on the 1st of November: October's reports; the quarter's exist already
    made, queued = _run("2026-11-01", django_capture_on_commit_callbacks)
    assert made == queued == departments
    assert ("monthly", date(2026, 10, 1)) in _periods()


def test_a_missed_first_of_the_month_is_caught_up_the_next_day(
    world, django_capture_on_commit_callbacks
):
    departments = Department.objects.filter(is_active=True).count()
    made, _queued = _run("2026-12-02", django_capture_on_commit_callbacks)
    assert made == 2 * departments  # November's and the third quarter's
    assert _periods() == {("monthly", date(2026, 11, 1)), ("quarterly", date(2026, 7, 1))}


def test_a_person_may_request_a_scheduled_period_again(world, django_capture_on_commit_callbacks):
    from oversight.reports import report_request

    _run("2026-10-01", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        again = report_request(
            actor=world.handler,
            department=world.departments["xihu_market"],
            period="monthly",
            start=date(2026, 9, 3),
            language="zh-hans",
        )
    assert not again.scheduled and again.requested_by == world.handler
    assert _run("2026-10-01", django_capture_on_commit_callbacks) == (0, 0)


def test_the_scheduled_report_is_generated_with_the_cases_of_its_month(
    client, world, file_case, django_capture_on_commit_callbacks
):
    xihu = world.departments["xihu_market"]
    Department.objects.exclude(pk=xihu.pk).update(is_active=False)
    with time_machine.travel(date(2026, 9, 8), tick=False):
        file_case()
        file_case(kind="report", category="false-information")
    with time_machine.travel(date(2026, 10, 1), tick=False):
        made, _queued = _run("2026-10-01", django_capture_on_commit_callbacks, execute=True)
    assert made == 2
    monthly = StatisticalReport.objects.get(period_kind="monthly")
    assert monthly.status == StatisticalReport.Status.DONE and monthly.progress == 100
    with monthly.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "2026-09-01 – 2026-09-30" in text
    # the list page says who made it, and the department's staff can download it
    client.force_login(world.handler)
    page = client.get("/statistics/reports/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "by the schedule" in page
    download = client.get(f"/statistics/reports/{monthly.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("day", "month", "quarter"),
    [
        ("2026-01-01", date(2025, 12, 1), date(2025, 10, 1)),
        ("2026-04-01", date(2026, 3, 1), date(2026, 1, 1)),
        ("2026-05-01", date(2026, 4, 1), date(2026, 1, 1)),
    ],
)
def test_the_periods_ended_before_a_day(day, month, quarter):
    from oversight.reports import last_finished_periods

    assert last_finished_periods(date.fromisoformat(day)) == [
        ("monthly", month),
        ("quarterly", quarter),
    ]
