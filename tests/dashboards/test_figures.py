"""The figures beside the charts: the median days to decide, the platforms' answer
times, the blacklist entries added and removed, the inspections and their findings
(on the staff statistics page, the staff home page and in the reports)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from blacklist.models import EntryState, Status
from complaints.models import Complaint
from complaints.services.forwards import complaint_forward, forward_answer
from complaints.services.workflow import complaint_accept, complaint_assign
from inspections.models import ItemResult
from inspections.services.inspections import (
    campaign_open,
    document_request_send,
    item_record_finding,
)
from oversight.summary import live_case_groups, median_of_counts
from tests.blacklist.factories import ListedEntryFactory

from .html import by_id

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 20)


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=SHANGHAI)


@pytest.fixture
def figures(world, file_case, django_capture_on_commit_callbacks):
    """In November, in the Xihu scope: three cases decided 1, 3 and 8 days after
    receipt, one forwarded and answered 2 days later; two entries listed and one of
    them revoked; one inspection with one non-compliant finding. Outside the scope:
    a Guangdong entry listed and removed."""
    handler = world.handler
    cases = []
    for day in (2, 3, 4):
        with time_machine.travel(_at(day), tick=False):
            cases.append(file_case())
    with django_capture_on_commit_callbacks(execute=False):
        for case, wait in zip(cases, (1, 3, 8), strict=True):
            with time_machine.travel(_at(case.received_at.astimezone(SHANGHAI).day + wait)):
                complaint_assign(complaint=case, actor=handler, assignee=handler)
                complaint_accept(complaint=case, actor=handler)
        with time_machine.travel(_at(12), tick=False):
            complaint_forward(complaint=cases[0], actor=handler, message="请处理")
        with time_machine.travel(_at(14), tick=False):
            forward_answer(
                forward=cases[0].forwards.get(), actor=world.officer, answer="已下架并退款"
            )
        with time_machine.travel(_at(10), tick=False):
            listed = [
                ListedEntryFactory(department=world.departments["xihu_market"]) for _ in range(2)
            ]
            EntryState.objects.create(entry=listed[0], status=Status.REVOKED, actor_label="t")
            outside = ListedEntryFactory(department=world.departments["gd_market"])
            EntryState.objects.create(entry=outside, status=Status.EXPIRED, actor_label="t")
            campaign = campaign_open(
                actor=handler,
                theme="2026年直播电商平台专项检查",
                legal_basis="《网络直播营销管理办法（试行）》第二十六条",
                period_start=date(2026, 11, 1),
                period_end=date(2026, 12, 31),
                platforms=[world.platform],
            )
            inspection = campaign.inspections.get()
            document_request_send(actor=handler, inspection=inspection, requested="提供处置记录")
            items = list(inspection.items.order_by("pk"))
            item_record_finding(
                actor=handler, item=items[0], result=ItemResult.NON_COMPLIANT, note="未公示规则"
            )
            item_record_finding(actor=handler, item=items[1], result=ItemResult.COMPLIANT)
    return cases


def _numbers(page: str) -> dict:
    return {
        key: by_id(page, key).strip()
        for key in (
            "blacklist-added",
            "blacklist-removed",
            "inspections-opened",
            "inspections-non-compliant",
        )
    }


@time_machine.travel(TODAY, tick=False)
def test_the_statistics_page_shows_decision_and_answer_times_blacklist_and_inspections(
    client, world, figures
):
    client.force_login(world.handler)
    page = client.get("/statistics/staff/?date_from=2026-11-01&date_to=2026-11-30").content
    page = page.decode()
    # decided after 1, 3 and 8 days: the median is 3
    assert "Median time from receipt to decision: 3.0 calendar days." in page
    # forwarded on the 12th at 10:00, answered on the 14th at 10:00
    assert "Median time to answer: 2.0 calendar days." in page
    answers = by_id(page, "platform-answers")
    assert world.platform.name in answers
    assert _numbers(page) == {
        "blacklist-added": "2",  # the Guangdong entry is outside the scope
        "blacklist-removed": "1",
        "inspections-opened": "1",
        "inspections-non-compliant": "1",
    }


@time_machine.travel(TODAY, tick=False)
def test_another_period_counts_none_of_them(client, world, figures):
    client.force_login(world.handler)
    page = client.get("/statistics/staff/?date_from=2026-10-01&date_to=2026-10-31").content
    page = page.decode()
    assert "Median time from receipt to decision: no decision yet." in page
    assert set(_numbers(page).values()) == {"0"}


@time_machine.travel(TODAY, tick=False)
def test_the_staff_home_page_shows_the_last_12_months_figures(client, world, figures):
    client.force_login(world.handler)
    page = client.get("/").content.decode()
    assert "Median time from receipt to decision: 3.0 calendar days." in page
    assert _numbers(page)["blacklist-added"] == "2"
    assert _numbers(page)["inspections-non-compliant"] == "1"


def test_the_median_of_an_even_number_of_cases_is_the_mean_of_the_middle_two(world, file_case):
    for day, wait in ((2, 1), (3, 2), (4, 4), (5, 10)):
        with time_machine.travel(_at(day), tick=False):
            case = file_case()
        Complaint.objects.filter(pk=case.pk).update(decided_at=_at(day + wait))
    # 1, 2, 4 and 10 days: the mean of 2 and 4
    assert live_case_groups(Complaint.objects.all()).median_days() == 3.0
    assert live_case_groups(Complaint.objects.none()).median_days() is None
    assert median_of_counts([(1, 1), (2, 1), (4, 1), (10, 1)]) == 3.0
    assert median_of_counts([(1, 2), (9, 1)]) == 1.0


@time_machine.travel(TODAY, tick=False)
def test_cached_figures_say_when_they_were_counted_and_stay_until_they_expire(
    client, world, figures, settings
):
    settings.STATISTICS_CACHE_SECONDS = 600
    cache.clear()
    client.force_login(world.handler)
    first = client.get("/").content.decode()
    assert "counted at 08:00" in by_id(first, "counted-at")  # midnight UTC, in Shanghai
    ListedEntryFactory(department=world.departments["xihu_market"])
    # within the 10 minutes the figures are those counted; the page says when
    assert _numbers(client.get("/").content.decode())["blacklist-added"] == "2"
    cache.clear()
    assert _numbers(client.get("/").content.decode())["blacklist-added"] == "3"
