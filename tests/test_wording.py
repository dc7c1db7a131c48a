"""Words that were wrong in Chinese: each label says what it means where it stands."""

import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from oversight.models import StatisticalReport

pytestmark = pytest.mark.django_db


def test_the_language_menu_names_each_language_in_itself(client):
    page = client.get(reverse("complaints:track"), HTTP_ACCEPT_LANGUAGE="zh-hans").text
    assert ">English</option>" in page and ">简体中文</option>" in page
    assert ">英文<" not in page


def test_the_admin_says_modify_not_vary(client):
    admin = get_user_model().objects.create_superuser("root-wording", "r@example.com", "x" * 12)
    client.force_login(admin)
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").text
    assert "修改" in page and "变化" not in page


def test_labels_with_two_meanings_are_told_apart():
    with translation.override("zh-hans"):
        assert str(StatisticalReport.Status.DONE.label) == "已完成"
        assert translation.pgettext("periodic statistics", "Reports") == "统计报告"
        assert translation.gettext("Reports") == "举报"  # complaint reports, in the charts
        assert translation.pgettext("count", "Forwarded") == "转交数"
        assert translation.pgettext("API key", "Name") == "名称"
        assert translation.gettext("done") == "已落实"  # a consultation's action item
        assert translation.pgettext("job status", "done") == "已完成"
        assert translation.pgettext("clock unit", "calendar days") == "自然日"
        assert translation.pgettext("start of a period", "From") == "起始日期"
        assert translation.pgettext("bulk action", "Action") == "操作"


# --- each wrong rendering, on the page where it stood ---------------------------------


def _zh(client, path: str) -> str:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200, (path, response.status_code)
    return response.text


def _headers(page: str) -> list[str]:
    """The text of every table header cell and term of a page."""
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<(?:th|dt)\b[^>]*>(.*?)</(?:th|dt)>", page, flags=re.S)
    ]


@pytest.fixture
def demo():
    from demo.data import load_demo

    load_demo()
    users = get_user_model().objects
    return SimpleNamespace(
        handler=users.get(username="demo-handler"), officer=users.get(username="demo-platform")
    )


def _order(handler):
    """The demo inspection's platform ordered to rectify (all findings recorded)."""
    from inspections.models import PlatformInspection
    from inspections.services.inspections import (
        inspection_findings_complete,
        rectification_order_issue,
    )
    from tests.inspections.conftest import record_all

    inspection = PlatformInspection.objects.get(campaign__lead_department=handler.department)
    record_all(handler, inspection)
    inspection_findings_complete(actor=handler, inspection=inspection)
    return rectification_order_issue(
        actor=handler,
        inspection=inspection,
        requirements="建立黑名单申诉渠道并公示",
        due_on=date(2099, 1, 31),
    )


def test_the_periodic_reports_page_says_statistical_reports(client, demo):
    department = demo.handler.department
    for status in (StatisticalReport.Status.DONE, StatisticalReport.Status.RUNNING):
        StatisticalReport.objects.create(
            department=department,
            period_kind=StatisticalReport.PeriodKind.MONTHLY,
            period_start=date(2026, 10, 1),
            requested_by=demo.handler,
            status=status,
            progress=100 if status == "done" else 40,
        )
    client.force_login(demo.handler)

    page = _zh(client, reverse("statistics-reports"))
    headers = _headers(page)

    assert '<h2 id="reports-title">统计报告</h2>' in page  # not 举报 (a consumer's report)
    assert "文件" in headers and "报送" not in headers  # the column of the PDF, not "to file"
    assert "已完成" in page and "生成中" in page  # a report is made, not 已落实 or 计时中
    assert "已落实" not in page and "计时中" not in page


def test_the_statistics_count_forwards_and_answers(client, demo):
    from complaints.models import Complaint
    from complaints.selectors import complaints_visible_to
    from complaints.services.forwards import complaint_forward
    from complaints.services.workflow import complaint_accept, complaint_assign

    complaint = (
        complaints_visible_to(demo.handler)
        .filter(kind=Complaint.Kind.COMPLAINT, platform__isnull=False, status="received")
        .first()
    )
    complaint_assign(complaint=complaint, actor=demo.handler, assignee=demo.handler)
    complaint_accept(complaint=complaint, actor=demo.handler)
    complaint_forward(complaint=complaint, actor=demo.handler, message="请核实处理")
    client.force_login(demo.handler)

    headers = _headers(_zh(client, reverse("statistics-staff")))

    assert {"转交数", "答复数"} <= set(headers)  # counts, not the dates 转交日期 / 答复日期
    assert "转交日期" not in headers and "答复日期" not in headers


def test_staff_lists_name_dates_and_departments_as_what_they_are(client, demo):
    client.force_login(demo.handler)

    cases = _headers(_zh(client, reverse("complaints:list") + "?queue=all"))
    notices = _headers(_zh(client, reverse("filings:notices")))
    clues = _headers(_zh(client, reverse("inspections:clues") + "?box=all"))

    assert "接收时间" in cases and "已接收" not in cases  # a date column, not a status
    assert {"发送时间", "发出部门"} <= set(notices)
    assert "转交部门" not in notices and "已发送" not in notices
    assert "移送部门" in clues and "转交部门" not in clues


def test_platform_pages_name_dates_files_and_keys_as_what_they_are(
    client, demo, django_capture_on_commit_callbacks
):
    from blacklist.screening.jobs import screening_job_submit

    with django_capture_on_commit_callbacks(execute=True):  # the job runs once committed
        screening_job_submit(
            actor=demo.officer,
            body=['{"name": "李佳怡", "reference": "r-1"}\n'.encode()],
            content_type="application/x-ndjson",
            channel="api",
        )
    _order(demo.handler)
    client.force_login(demo.officer)

    inspections = _headers(_zh(client, reverse("inspections:platform")))
    jobs = _zh(client, reverse("blacklist:screening-jobs"))
    keys = _zh(client, reverse("api-keys"))
    filing = _zh(client, reverse("filings:new"))

    assert {"调取日期", "发出部门"} <= set(inspections)  # the date asked, the department
    assert "调取资料" not in inspections and "转交部门" not in inspections
    assert "文件" in _headers(jobs) and "报送" not in _headers(jobs)
    assert "已完成" in jobs and "已落实" not in jobs  # a job is done, not carried out
    assert "名称" in keys and "姓名" not in keys  # an API key has a name, not a person's
    # the filing form and its routing rule in Chinese, not in English
    assert "本平台报送编号" in filing and "Your id for this filing" not in filing
    assert "Every filing reaches" not in filing and "县级以上市场监督管理部门和网信部门" in filing


def test_the_admin_says_modify_on_its_lists_and_forms(client, demo):
    from filings.models import DisposalFiling

    admin = get_user_model().objects.create_superuser("root-forms", "f@example.com", "x" * 12)
    client.force_login(admin)

    for path in (
        reverse("admin:filings_disposalfiling_changelist"),
        reverse("admin:filings_disposalfiling_change", args=[DisposalFiling.objects.first().pk]),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[demo.handler.pk]),
    ):
        page = _zh(client, path)
        assert "变化" not in page, path


def test_a_rectification_order_addresses_the_platform_as_a_unit(demo):
    """A platform is an organisation: 你单位, never the form's 你（单位）."""
    from inspections.pdf import rectification_order_pdf
    from tests.pdftools import pdf_text

    order = _order(demo.handler)

    text = "".join(pdf_text(rectification_order_pdf(order, language="zh-hans")).split())

    assert "现责令你单位于" in text and "你（单位）" not in text
