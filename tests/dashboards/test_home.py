"""The dashboards the staff and platform home pages start with."""

import re
from datetime import date

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from complaints.models import Complaint
from complaints.services.forwards import complaint_forward
from complaints.services.workflow import complaint_accept, complaint_assign
from portal.models import Deadline, RuleCitation, RuleSet
from portal.rules import rule_set_for

from .html import action_count, action_href, figure, svg_of, svg_title, svg_values, table_rows

TODAY = date(2026, 11, 2)  # a Monday


def _set_due(case: Complaint, due_on: date) -> None:
    Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint),
        object_id=case.pk,
        state=Deadline.State.RUNNING,
    ).update(due_on=due_on)


@pytest.fixture
def cases(world, file_case):
    """Seven cases in the Xihu department's scope and one outside it."""
    with time_machine.travel(date(2026, 9, 15), tick=False):
        september = [file_case(), file_case(kind="report", category="false-information")]
    with time_machine.travel(TODAY, tick=False):
        today = [file_case() for _ in range(5)]
        # outside: a case routed to Guangdong (no platform, consumer in Tianhe)
        file_case(
            platform=None,
            platform_other="某平台",
            live_room_account="",
            consumer_region=world.regions["tianhe"],
        )
        overdue = september  # their decision clocks ran out in September
        due_soon = today[0]
        _set_due(due_soon, date(2026, 11, 3))
        # one accepted late and forwarded to the platform, one accepted in time
        late, kept = today[1], today[2]
        _set_due(late, date(2026, 10, 30))
        for case in (late, kept):
            complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
            complaint_accept(complaint=case, actor=world.handler)
        complaint_forward(complaint=late, actor=world.handler, message="请处理")
    return {"overdue": overdue, "due_soon": due_soon, "late": late, "kept": kept, "today": today}


@time_machine.travel(TODAY, tick=False)
def test_staff_home_counts_match_the_cases_and_their_queues(client, world, cases):
    client.force_login(world.handler)
    page = client.get("/").content.decode()
    assert action_count(page, "overdue") == 2
    assert action_count(page, "due_soon") == 1
    assert action_count(page, "unassigned") == 5  # 7 in scope, 2 assigned
    assert action_count(page, "platform") == 1
    assert "Trial Art. 15; Order 117 Art. 20" in page
    # the time limits of the rule sets in force that day: Order 121, not the 2019 rules
    assert "SAMR complaint rules (Order 121) Art. 15" in page
    assert "SAMR complaint rules (2019) Art. 14" not in page
    # each count is what its link lists
    for key in ("overdue", "due_soon", "unassigned", "platform"):
        listing = client.get(action_href(page, key))
        assert listing.status_code == 200
        assert listing.context["page"].paginator.count == action_count(page, key), key
    # everything the page showed before is still there
    assert 'id="jurisdiction-title"' in page
    assert 'id="clocks-title"' in page
    # decision clocks: 2 met, 1 of them by its due date
    assert "50% (1 of 2 decisions)" in page


@time_machine.travel(TODAY, tick=False)
def test_staff_charts_have_a_title_and_a_table_of_the_same_numbers(client, world, cases):
    client.force_login(world.supervisor)
    page = client.get("/").content.decode()
    received = figure(page, "chart-received")
    svg = svg_of(received)
    assert svg_title(svg) == "Cases received per month (last 12 months)"
    rows = table_rows(received)
    assert len(rows) == 12
    assert rows[-1] == ("2026-11", "5")
    assert ("2026-09", "2") in rows
    assert svg_values(svg) == [value for _month, value in rows]

    by_category = figure(page, "chart-category")
    svg = svg_of(by_category)
    assert svg_title(svg) == "Cases by category (last 12 months)"
    rows = table_rows(by_category)
    assert sorted(int(n) for _c, n in rows) == [1, 6]
    assert svg_values(svg) == [value for _c, value in rows]


@time_machine.travel(TODAY, tick=False)
def test_platform_home_shows_what_awaits_its_answer(client, world, cases):
    client.force_login(world.officer)
    page = client.get("/").content.decode()
    assert action_count(page, "forwards") == 1
    assert action_count(page, "notices") == 0
    filings = figure(page, "chart-filings")
    assert svg_title(svg_of(filings)) == "Disposal filings sent per month (last 12 months)"
    assert table_rows(filings)[-1] == ("2026-11", "0")
    assert 'id="roster-title"' in page  # what was on the page is still there


def _queries_for_home(client, user, django_assert_max_num_queries) -> int:
    client.force_login(user)
    client.get("/")  # warm the caches (content types, sessions)
    with django_assert_max_num_queries(60) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("who", ["handler", "supervisor", "officer"])
def test_home_costs_the_same_queries_for_1_and_15_cases(
    client, world, file_case, django_assert_max_num_queries, who
):
    user = getattr(world, who)
    first = file_case()
    complaint_assign(complaint=first, actor=world.handler, assignee=world.handler)
    complaint_accept(complaint=first, actor=world.handler)
    complaint_forward(complaint=first, actor=world.handler, message="请处理")
    one = _queries_for_home(client, user, django_assert_max_num_queries)
    for i in range(14):
        case = file_case(category="false-information" if i % 2 else "consumer-dispute")
        if i % 3 == 0:
            complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
            complaint_accept(complaint=case, actor=world.handler)
            complaint_forward(complaint=case, actor=world.handler, message="请处理")
    fifteen = _queries_for_home(client, user, django_assert_max_num_queries)
    assert one == fifteen


@time_machine.travel(TODAY, tick=False)
def test_platform_home_cites_the_roster_article_of_the_rule_set(client, world):
    """The article comes from the rule set, so an admin's correction shows at once."""
    citation = RuleCitation.objects.get(
        rule_set=rule_set_for(RuleSet.Matter.PLATFORM, TODAY), document="roster-deadline"
    )
    citation.source = "《直播电商监督管理办法》第九条第一款"
    citation.source_en = "Order 117 Art. 9 ¶1"
    citation.save()
    client.force_login(world.officer)

    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    roster = re.search(r'<p id="home-roster">.*?</p>', english, re.S).group(0)
    assert "(Order 117 Art. 9 ¶1)" in roster
    assert "<td>Order 117 Art. 9 ¶1</td>" in english
    assert "（《直播电商监督管理办法》第九条第一款）" in chinese
