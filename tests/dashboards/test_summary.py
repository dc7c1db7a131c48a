"""The cases' summary (oversight.summary): the figures summed from it are the
figures counted from the cases, for a province and a district; a refresh run twice
makes the same rows; the pages say how old the figures are."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from complaints.models import Complaint, Outcome
from complaints.selectors import complaints_visible_to
from complaints.services.forwards import complaint_forward, forward_answer
from complaints.services.workflow import complaint_accept, complaint_assign
from oversight.dashboards import decision_clocks_kept, last_months, staff_trends
from oversight.models import CaseMonthBreakdown, CaseMonthFigures, ForwardMonthFigures
from oversight.reports import staff_statistics
from oversight.summary import DECISION_CLOCKS, SUMMARY_FIELDS, summary_refresh
from portal.models import Deadline
from tests.complaints.conftest import category
from tests.factories import UserFactory

from .html import by_id

TODAY = date(2026, 11, 2)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def mixed(world, file_case, django_capture_on_commit_callbacks):
    """Cases of four departments over five months, both kinds, three categories,
    undecided and decided, their decision clocks met on time or late."""
    d = world.departments
    plan = [
        # department, received, kind, category, decided after (days), clock on time
        ("xihu_market", date(2026, 7, 3), "complaint", "consumer-dispute", 2, True),
        ("xihu_market", date(2026, 7, 20), "report", "false-information", 9, False),
        ("xihu_market", date(2026, 9, 1), "complaint", "consumer-dispute", None, None),
        ("xihu_market", date(2026, 10, 31), "complaint", "false-information", 1, True),
        ("xihu_market", date(2026, 11, 1), "report", "consumer-dispute", None, None),
        ("yuhang_market", date(2026, 7, 5), "complaint", "consumer-dispute", 4, True),
        ("yuhang_market", date(2026, 8, 9), "report", "false-information", 6, False),
        ("yuhang_market", date(2026, 10, 2), "complaint", "consumer-dispute", 3, True),
        ("zj_market", date(2026, 8, 30), "complaint", "false-information", 5, True),
        ("zj_market", date(2026, 9, 30), "report", "consumer-dispute", None, None),
        ("zj_cyber", date(2026, 9, 10), "complaint", "consumer-dispute", 7, False),
        ("gd_market", date(2026, 10, 10), "report", "false-information", 8, True),
        ("gd_market", date(2025, 6, 1), "complaint", "consumer-dispute", 2, True),
    ]
    # complaints forwarded the day after receipt, answered so many days later
    # (late in the evening: whole days count, not hours), or never
    answered_after = {
        ("xihu_market", date(2026, 7, 3)): 2,
        ("yuhang_market", date(2026, 7, 5)): 40,  # after the day set
        ("zj_market", date(2026, 8, 30)): "never",
        ("xihu_market", date(2026, 10, 31)): 1,
    }
    content_type = ContentType.objects.get_for_model(Complaint)
    for department, received, kind, category_code, after, on_time in plan:
        with time_machine.travel(_at(received, 23), tick=False):  # late evening, Shanghai
            case = file_case(kind=kind, category=category_code)
        answered = answered_after.get((department, received))
        if answered is not None:
            with django_capture_on_commit_callbacks(execute=False):
                with time_machine.travel(_at(received + timedelta(days=1)), tick=False):
                    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
                    complaint_accept(complaint=case, actor=world.handler)
                    complaint_forward(complaint=case, actor=world.handler, message="请处理")
                if answered != "never":
                    answer_day = received + timedelta(days=1 + answered)
                    with time_machine.travel(_at(answer_day, 23), tick=False):
                        forward_answer(
                            forward=case.forwards.get(), actor=world.officer, answer="已处理"
                        )
        fields = {"department": d[department]}
        if after is not None:
            decided = _at(received + timedelta(days=after), 9)  # the morning, whole days
            fields.update(
                status=Complaint.Status.CLOSED, outcome=Outcome.MEDIATED, decided_at=decided
            )
            due = decided.date() + timedelta(days=1 if on_time else -1)
            Deadline.objects.filter(
                content_type=content_type, object_id=case.pk, clock__in=DECISION_CLOCKS
            ).update(state=Deadline.State.MET, closed_at=decided, due_on=due)
        Complaint.objects.filter(pk=case.pk).update(**fields)
    # a merged duplicate is never counted
    with time_machine.travel(_at(date(2026, 10, 5)), tick=False):
        merged = file_case()
    Complaint.objects.filter(pk=merged.pk).update(
        department=d["xihu_market"], status=Complaint.Status.MERGED
    )
    return plan


def _points(chart) -> list[tuple]:
    return [(p.label, p.value) for p in chart.points]


def _figures(figures: dict) -> dict:
    out = {
        "clocks": figures["clocks_kept"],
        "median": figures["median_decision_days"],
    }
    for key in ("received_chart", "category_chart"):
        if key in figures:
            out[key] = _points(figures[key])
    for chart in figures.get("charts", []):
        out[chart.chart_id] = _points(chart)
    if "total" in figures:
        out["total"] = figures["total"]
    out["answers"] = figures["answers"]
    return out


@pytest.fixture
def provincial(world):
    return UserFactory(department=world.departments["zj_market"], role=Role.SUPERVISOR)


@time_machine.travel(_at(TODAY), tick=False)
@pytest.mark.parametrize("who", ["provincial", "district"])
def test_the_summary_gives_the_figures_counted_from_the_cases(world, mixed, provincial, who):
    user = provincial if who == "provincial" else world.handler
    live = staff_trends(user, today=TODAY)
    live_stats = staff_statistics(user, {}, today=TODAY)
    filters = [
        {"kind": "complaint"},
        {"category": str(category("false-information").pk)},
        {"platform": str(world.platform.pk), "kind": "complaint"},
    ]
    live_filtered = [staff_statistics(user, f, today=TODAY) for f in filters]
    assert live["figures_live"] and live_stats["figures_live"]
    summary_refresh()
    summed = staff_trends(user, today=TODAY)
    with CaptureQueriesContext(connection) as read:
        summed_stats = staff_statistics(user, {}, today=TODAY)
    summed_filtered = [staff_statistics(user, f, today=TODAY) for f in filters]
    # unfiltered, the page reads the narrow summary, never the cases nor the wide one
    tables = " ".join(q["sql"] for q in read.captured_queries)
    assert "oversight_casemonthbreakdown" in tables
    assert "oversight_casemonthfigures" not in tables
    assert '"complaints_complaint"' not in tables
    assert not summed["figures_live"] and not summed_stats["figures_live"]
    assert _figures(summed) == _figures(live)
    assert _figures(summed_stats) == _figures(live_stats)
    for summed_one, live_one in zip(summed_filtered, live_filtered, strict=True):
        assert not summed_one["figures_live"]
        assert _figures(summed_one) == _figures(live_one)
    assert summed_filtered[1]["total"] == {"provincial": 4, "district": 2}[who]

    # the platforms' answers: forwarded, answered, by the day set, whole days
    answers = {
        "provincial": (4, 3, 2, round((2 + 40 + 1) / 3, 1), 2.0),
        "district": (2, 2, 2, 1.5, 1.5),
    }[who]
    for figures in (summed, summed_stats):
        (row,) = figures["answers"]["platforms"]
        shown = (row["forwarded"], row["answered"], row["on_time"], row["average_days"])
        assert (*shown, figures["answers"]["median_days"]) == answers

    # and both are the cases themselves, counted one by one
    cases = list(
        complaints_visible_to(user)
        .exclude(status=Complaint.Status.MERGED)
        .filter(received_at__gte=_at(last_months(TODAY)[0], 0))
    )
    expected = {
        "provincial": {"n": 10, "decided_days": [1, 2, 3, 4, 5, 6, 9], "met": 7, "on_time": 5},
        "district": {"n": 5, "decided_days": [1, 2, 9], "met": 3, "on_time": 2},
    }[who]
    assert len(cases) == expected["n"] == summed_stats["total"]
    assert sum(p.value for p in summed["received_chart"].points) == expected["n"]
    days = sorted(
        (timezone.localdate(c.decided_at) - timezone.localdate(c.received_at)).days
        for c in cases
        if c.decided_at
    )
    assert days == expected["decided_days"]
    middle = days[(len(days) - 1) // 2 : len(days) // 2 + 1]
    assert summed["median_decision_days"] == sum(middle) / len(middle)
    clocks = decision_clocks_kept(complaints_visible_to(user).filter(pk__in=[c.pk for c in cases]))
    assert summed["clocks_kept"] == clocks
    assert (clocks["met"], clocks["on_time"]) == (expected["met"], expected["on_time"])


@time_machine.travel(_at(TODAY), tick=False)
def test_a_refresh_run_twice_makes_the_same_rows(world, mixed):
    def rows():
        return sorted(tuple(r.values()) for r in CaseMonthFigures.objects.values(*SUMMARY_FIELDS))

    first = summary_refresh()
    made = rows()
    second = summary_refresh()
    assert rows() == made
    assert first["rows"] == second["rows"] == len(made)
    # 14 cases, the merged one left out, each its own group here
    assert sum(r[8] for r in made) == 13
    # each breakdown of the narrow summary counts them all once; 4 were forwarded
    for breakdown in CaseMonthBreakdown.Breakdown.values:
        counted = CaseMonthBreakdown.objects.filter(breakdown=breakdown)
        assert counted.aggregate(n=Sum("cases"))["n"] == 13, breakdown
    assert ForwardMonthFigures.objects.aggregate(n=Sum("forwards"))["n"] == 4


def test_the_pages_say_how_old_the_figures_are(client, world, mixed):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(world.supervisor)
    with time_machine.travel(_at(TODAY, 9), tick=False):
        home = client.get("/").content.decode()
        assert "counted from the cases at 2026-11-02 09:00" in by_id(home, "figures-as-of")
        assert "summary has not been made yet" in by_id(home, "figures-as-of")
        summary_refresh()  # 09:00 Shanghai
    with time_machine.travel(_at(TODAY, 9) + timedelta(minutes=4), tick=False):
        home = client.get("/").content.decode()
        stats = client.get("/statistics/staff/").content.decode()
        partial = client.get("/statistics/staff/?date_from=2026-10-05").content.decode()
    for page in (home, stats):
        shown = by_id(page, "figures-as-of")
        assert "Case figures as of 2026-11-02 09:00" in shown
        assert "every 5 minutes" in shown
    assert "starts or ends within a month" in by_id(partial, "figures-as-of")
    # Chinese: the same age, in the words of the department's statistics
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    with time_machine.travel(_at(TODAY, 9) + timedelta(minutes=4), tick=False):
        home = client.get("/").content.decode()
    assert "统计截至2026-11-02 09:00" in by_id(home, "figures-as-of")
