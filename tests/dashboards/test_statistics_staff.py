"""The staff statistics page: the user's jurisdiction, filtered, counted in the database."""

from datetime import date

import pytest
import time_machine

from accounts.models import Role
from complaints.services.forwards import complaint_forward
from complaints.services.workflow import complaint_accept, complaint_assign
from tests.factories import UserFactory

from .html import figure, svg_of, svg_title, svg_values, table_rows

TODAY = date(2026, 11, 2)


@pytest.fixture
def cases(world, file_case):
    with time_machine.travel(date(2026, 9, 15), tick=False):
        file_case()
        file_case(kind="report", category="false-information")
    with time_machine.travel(TODAY, tick=False):
        today = [file_case() for _ in range(3)]
        # outside the Xihu scope: routed to Guangdong
        file_case(
            platform=None,
            platform_other="某平台",
            live_room_account="",
            consumer_region=world.regions["tianhe"],
        )
        complaint_assign(complaint=today[0], actor=world.handler, assignee=world.handler)
        complaint_accept(complaint=today[0], actor=world.handler)


@time_machine.travel(TODAY, tick=False)
def test_staff_statistics_show_the_scope_as_charts_and_tables(client, world, cases):
    client.force_login(world.supervisor)
    response = client.get("/statistics/staff/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "5 cases in the period." in page
    months = figure(page, "chart-month")
    assert svg_title(svg_of(months)) == "Cases received per month"
    rows = table_rows(months)
    assert len(rows) == 12
    assert rows[-1] == ("2026-11", "3")
    assert ("2026-09", "2") in rows
    assert svg_values(svg_of(months)) == [v for _m, v in rows]
    assert sorted(int(n) for _c, n in table_rows(figure(page, "chart-category"))) == [1, 4]
    assert [n for _p, n in table_rows(figure(page, "chart-platform"))] == ["5"]
    outcome = dict(table_rows(figure(page, "chart-outcome")))
    assert outcome["Still open"] == "5"
    timeliness = dict(table_rows(figure(page, "chart-timeliness")))
    assert timeliness == {"Decided in time": "1", "Decided late": "0"}
    assert "100% (1 of 1 decisions)" in page
    assert "SAMR complaint rules (2019) Art. 14" in page
    assert "Administrative penalty procedure rules Art. 18" in page


@time_machine.travel(TODAY, tick=False)
def test_staff_statistics_filters(client, world, cases):
    client.force_login(world.handler)
    page = client.get("/statistics/staff/", {"kind": "report"}).content.decode()
    assert "1 case in the period." in page
    page = client.get(
        "/statistics/staff/", {"date_from": "2026-10-01", "date_to": "2026-11-30"}
    ).content.decode()
    assert "3 cases in the period." in page
    assert [m for m, _n in table_rows(figure(page, "chart-month"))] == ["2026-10", "2026-11"]
    page = client.get("/statistics/staff/", {"platform": world.platform.pk}).content.decode()
    assert "5 cases in the period." in page
    # a region within the jurisdiction, and one outside it (not a choice)
    client.force_login(UserFactory(department=world.departments["zj_market"], role=Role.SUPERVISOR))
    page = client.get("/statistics/staff/", {"region": world.regions["yuhang"].pk})
    assert "0 cases in the period." in page.content.decode()
    page = client.get("/statistics/staff/", {"region": world.regions["xihu"].pk})
    assert "5 cases in the period." in page.content.decode()
    page = client.get("/statistics/staff/", {"region": world.regions["tianhe"].pk})
    assert "Select a valid choice" in page.content.decode()


def test_staff_statistics_need_the_permission(client, world):
    assert client.get("/statistics/staff/").status_code == 302
    client.force_login(world.officer)
    assert client.get("/statistics/staff/").status_code == 403


def test_staff_navigation_links_the_statistics(client, world):
    client.force_login(world.handler)
    page = client.get("/").content.decode()
    assert 'href="/statistics/staff/"' in page
    assert 'href="/statistics/reports/"' in page


def _queries(client, django_assert_max_num_queries) -> int:
    client.get("/statistics/staff/")  # warm the caches
    with django_assert_max_num_queries(60) as captured:
        assert client.get("/statistics/staff/").status_code == 200
    return len(captured)


@time_machine.travel(TODAY, tick=False)
def test_staff_statistics_cost_the_same_queries_for_1_and_15_cases(
    client, world, file_case, django_assert_max_num_queries
):
    client.force_login(world.supervisor)
    first = file_case()
    complaint_assign(complaint=first, actor=world.handler, assignee=world.handler)
    complaint_accept(complaint=first, actor=world.handler)
    complaint_forward(complaint=first, actor=world.handler, message="请处理")
    one = _queries(client, django_assert_max_num_queries)
    for i in range(14):
        case = file_case(category="false-information" if i % 2 else "consumer-dispute")
        if i % 3 == 0:
            complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
            complaint_accept(complaint=case, actor=world.handler)
            complaint_forward(complaint=case, actor=world.handler, message="请处理")
    fifteen = _queries(client, django_assert_max_num_queries)
    assert one == fifteen
