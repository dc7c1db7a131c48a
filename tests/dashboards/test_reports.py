"""Periodic statistical reports: requested, generated in the background, read back."""

import re
from datetime import date
from unittest import mock

import pytest
import time_machine
from django.utils.translation import override

from accounts.models import Role
from complaints.models import Complaint
from oversight.models import StatisticalReport
from oversight.reports import report_request
from portal.models import AuditEvent
from tests.factories import UserFactory
from tests.pdftools import code_names, document_screenshot, english_words, pdf_pages, pdf_text

TODAY = date(2026, 11, 20)


@pytest.fixture
def cases(world, file_case):
    with time_machine.travel(date(2026, 10, 15), tick=False):
        file_case()  # October: outside a November report
    with time_machine.travel(date(2026, 11, 3), tick=False):
        file_case()
        file_case()
        file_case(kind="report", category="false-information")
        # outside the Xihu scope: routed to Guangdong
        file_case(
            platform=None,
            platform_other="某平台",
            live_room_account="",
            consumer_region=world.regions["tianhe"],
        )


def _request(world, django_capture_on_commit_callbacks, language: str, **kwargs):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = report_request(
            actor=world.handler,
            department=world.departments["xihu_market"],
            period=kwargs.get("period", "monthly"),
            start=kwargs.get("start", date(2026, 11, 14)),
            language=language,
        )
    assert len(callbacks) == 1
    report.refresh_from_db()
    return report


def _pdf(report) -> str:
    return pdf_text(_content(report))


def _content(report) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


@time_machine.travel(TODAY, tick=False)
def test_an_english_report_counts_the_department_cases_of_its_month(
    world, cases, django_capture_on_commit_callbacks
):
    report = _request(world, django_capture_on_commit_callbacks, "en")
    assert report.status == StatisticalReport.Status.DONE
    assert report.progress == 100
    assert report.finished_at is not None
    assert report.period_start == date(2026, 11, 1)
    assert AuditEvent.objects.filter(action="report.requested", object_id=str(report.pk)).exists()
    text = _pdf(report)
    with override("en"):
        assert world.departments["xihu_market"].label in text
    assert re.search(r"Cases received\s+3\b", text), text
    assert "Category" in text
    assert "Outcome" in text
    assert "SAMR complaint rules (2019) Art. 14" in " ".join(text.split())


@time_machine.travel(TODAY, tick=False)
def test_a_chinese_report_has_chinese_headings(world, cases, django_capture_on_commit_callbacks):
    report = _request(world, django_capture_on_commit_callbacks, "zh-hans", period="quarterly")
    assert report.period_start == date(2026, 10, 1)
    text = _pdf(report)
    assert world.departments["xihu_market"].name in text
    assert "类别" in text
    assert "处理结果" in text
    assert "Category" not in text
    assert re.search(r"收到的投诉举报件数\s+4\b", text), text  # October and November
    assert code_names(text) == []
    codes = tuple(Complaint.objects.values_list("tracking_code", flat=True))
    assert english_words(text, allowed=codes) == []  # tracking codes of the annex aside
    document_screenshot(_content(report), "statistical-report")


@time_machine.travel(TODAY, tick=False)
def test_a_report_of_a_period_with_no_cases_is_one_page_saying_so(
    world, django_capture_on_commit_callbacks
):
    report = _request(world, django_capture_on_commit_callbacks, "zh-hans")
    content = _content(report)
    assert len(pdf_pages(content)) == 1
    text = "".join(pdf_text(content).split())
    assert "未收到投诉举报" in text and "本期无可统计的图表" in text
    assert "类别" not in text  # no empty charts
    assert english_words(text) == []
    document_screenshot(content, "statistical-report-empty")


@time_machine.travel(TODAY, tick=False)
def test_the_reports_page_requests_lists_and_downloads(
    client, world, cases, django_capture_on_commit_callbacks
):
    client.force_login(world.handler)
    page = client.get("/statistics/reports/")
    assert page.status_code == 200
    assert "No report yet." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/statistics/reports/",
            {"period": "monthly", "start": "2026-11-01", "language": "en"},
        )
    assert response.status_code == 302
    report = StatisticalReport.objects.get()
    assert report.status == StatisticalReport.Status.DONE
    page = client.get("/statistics/reports/")
    assert "Refresh" not in page  # nothing running: no reload
    body = page.content.decode()
    href = f"/statistics/reports/{report.pk}/download/"
    assert f'href="{href}"' in body
    download = client.get(href)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    # another department's staff: not in its scope
    outsider = UserFactory(department=world.departments["gd_market"], role=Role.HANDLER)
    client.force_login(outsider)
    assert client.get(href).status_code == 404
    assert f'href="{href}"' not in client.get("/statistics/reports/").content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_queued_report_makes_the_page_reload(client, world):
    StatisticalReport.objects.create(
        department=world.departments["xihu_market"],
        period_kind="monthly",
        period_start=date(2026, 11, 1),
        requested_by=world.handler,
    )
    client.force_login(world.handler)
    page = client.get("/statistics/reports/")
    assert page["Refresh"] == "5"
    assert "<script" not in page.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_failing_report_is_marked_failed(world, cases, django_capture_on_commit_callbacks):
    with mock.patch("oversight.reports.html_to_pdf", side_effect=ValueError("no fonts")):
        report = _request(world, django_capture_on_commit_callbacks, "en")
    assert report.status == StatisticalReport.Status.FAILED
    assert report.error == "no fonts"
    assert not report.file


def test_a_report_outside_the_actor_scope_is_refused(world):
    from portal.errors import NotAllowed

    with pytest.raises(NotAllowed):
        report_request(
            actor=world.handler,
            department=world.departments["gd_market"],
            period="monthly",
            start=date(2026, 11, 1),
            language="en",
        )
