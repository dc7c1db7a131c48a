"""Cases are handled under the rule set in force on their day of receipt
(Asia/Shanghai): the 2019 complaint rules up to 2026-04-14, Order 121 from
2026-04-15; their clocks, grounds and the articles their documents cite."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from complaints import pdf
from complaints.models import Complaint
from complaints.services.common import ComplaintError, decline_grounds
from complaints.services.reports import report_request_extension
from complaints.services.workflow import (
    complaint_accept,
    complaint_assign,
    complaint_decline,
    complaint_exclude_period,
)
from portal.errors import DomainError
from portal.models import Deadline, RuleClock, RuleSet
from portal.rules import clock_due, rule_set_for
from tests.factories import UserFactory
from tests.pdftools import pdf_text

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def clocks(case):
    return {d.clock: d for d in Deadline.objects.for_object(case)}


def _received_at(moment: datetime, file_case):
    with time_machine.travel(moment, tick=False):
        return file_case()


def _accepted(case, world, on: date):
    with time_machine.travel(on, tick=False):
        complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
        return complaint_accept(complaint=case, actor=world.handler)


def _declined(case, world):
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    return complaint_decline(
        complaint=case, actor=world.handler, reason="already_handled", message="法院已受理"
    )


def test_last_minute_of_14_april_2026_is_handled_under_the_2019_rules(world, file_case):
    case = _received_at(datetime(2026, 4, 14, 23, 59, tzinfo=SHANGHAI), file_case)
    other = _received_at(datetime(2026, 4, 14, 23, 59, tzinfo=SHANGHAI), file_case)

    assert case.rule_set.code == "complaints-2019"
    assert len(decline_grounds(case)) == 6
    case = _accepted(case, world, date(2026, 4, 20))
    mediation = clocks(case)["complaint-mediation"]
    assert (mediation.working_days, mediation.unit) == (45, "working")
    assert mediation.rule_set.code == "complaints-2019"

    notice = pdf_text(pdf.decision_notice(case))
    assert "45个工作日" in notice
    assert "《市场监督管理投诉举报处理暂行办法》" in notice
    assert "第二十一条" in notice
    declined = pdf_text(pdf.decision_notice(_declined(other, world)))
    assert "暂行办法" in declined and "第十五条" in declined
    assert "第十六条" not in declined


def test_first_minute_of_15_april_2026_is_handled_under_order_121(world, file_case):
    case = _received_at(datetime(2026, 4, 15, 0, 0, tzinfo=SHANGHAI), file_case)
    other = _received_at(datetime(2026, 4, 15, 0, 0, tzinfo=SHANGHAI), file_case)

    assert case.rule_set.code == "order-121"
    grounds = decline_grounds(case)
    assert len(grounds) == 7
    assert "identity_fraud" in [g.code for g in grounds]
    case = _accepted(case, world, date(2026, 4, 20))
    mediation = clocks(case)["complaint-mediation"]
    assert (mediation.working_days, mediation.unit) == (60, "calendar")
    # 60 days from Monday 20 April 2026: Friday 19 June, the Dragon Boat Festival,
    # is a public holiday; the period ends on Monday 22 June.
    assert mediation.due_on == date(2026, 6, 22)

    notice = pdf_text(pdf.decision_notice(case))
    assert "60日" in notice
    assert "《市场监督管理投诉举报处理办法》" in notice
    assert "暂行" not in notice
    declined = pdf_text(pdf.decision_notice(_declined(other, world)))
    assert "第十六条" in declined and "暂行" not in declined


def test_a_ground_of_another_rule_set_is_refused(world, file_case):
    case = _received_at(datetime(2026, 4, 14, 12, 0, tzinfo=SHANGHAI), file_case)
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)

    with pytest.raises(ComplaintError):
        complaint_decline(
            complaint=case, actor=world.handler, reason="identity_fraud", message="冒名"
        )

    case.refresh_from_db()
    assert case.status == Complaint.Status.RECEIVED


def test_a_period_ending_on_national_day_ends_on_the_next_working_day():
    # 60 days from 2 August 2026 end on 1 October, the first day of the National Day
    # holiday (1–7 October 2026): the period ends on Thursday 8 October.
    assert clock_due(date(2026, 8, 2), 60, RuleClock.Unit.CALENDAR).on == date(2026, 10, 8)


def test_a_new_set_never_changes_an_open_case(world, file_case):
    with time_machine.travel(date(2026, 11, 2), tick=False):
        case = file_case()
    before = clocks(case)["complaint-accept"].due_on
    newer = RuleSet.objects.create(
        code="order-999",
        matter="complaint",
        title="《某新投诉办法》",
        in_force_from=date(2026, 10, 1),
    )
    RuleClock.objects.create(
        rule_set=newer,
        code="complaint-accept",
        name="投诉受理决定",
        days=3,
        unit="working",
        starts_on="receipt",
        source="《某新投诉办法》第一条",
    )
    RuleClock.objects.create(
        rule_set=newer,
        code="complaint-mediation",
        name="投诉调解终结",
        days=10,
        unit="working",
        starts_on="acceptance",
        source="《某新投诉办法》第二条",
    )

    case = _accepted(Complaint.objects.get(pk=case.pk), world, date(2026, 11, 4))

    assert case.rule_set.code == "order-121"
    assert clocks(case)["complaint-accept"].due_on == before
    assert clocks(case)["complaint-mediation"].working_days == 60
    # A case received from now on is handled under the new set.
    with time_machine.travel(date(2026, 11, 5), tick=False):
        assert file_case().rule_set == newer


def test_an_excluded_testing_period_moves_the_due_date_by_its_length(world, file_case):
    with time_machine.travel(date(2026, 11, 2), tick=False):
        case = file_case()
    case = _accepted(case, world, date(2026, 11, 2))
    mediation = clocks(case)["complaint-mediation"]
    # 60 days from 2 November 2026: Friday 1 January 2027, New Year's Day, so Monday 4.
    assert mediation.due_on == date(2027, 1, 4)

    with time_machine.travel(date(2026, 11, 20), tick=False):
        complaint_exclude_period(
            complaint=case,
            actor=world.handler,
            kind="testing",
            starts_on=date(2026, 11, 10),
            ends_on=date(2026, 11, 19),
            reason="送检商品质量",
        )

    mediation = clocks(case)["complaint-mediation"]
    assert mediation.excluded_days == 10
    # 70 days from 2 November: Monday 11 January 2027.
    assert mediation.due_on == date(2027, 1, 11)
    line = case.events.get(action="period_excluded")
    assert line.public
    assert "2027-01-04" in line.message and "2027-01-11" in line.message


def test_a_period_the_rules_count_cannot_be_excluded(world, file_case):
    case = file_case(kind="report", category="false-information")
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)

    with pytest.raises(DomainError):
        complaint_exclude_period(
            complaint=case,
            actor=world.handler,
            kind="holiday",
            starts_on=date(2026, 11, 10),
            ends_on=date(2026, 11, 12),
            reason="x",
        )


def test_the_extension_answers_403_to_a_supervisor_who_is_not_the_head(world, file_case):
    head = UserFactory(department=world.departments["xihu_market"], role="department_head")
    with time_machine.travel(date(2026, 11, 2), tick=False):
        case = file_case(kind="report", category="false-information")
        complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
        report_request_extension(complaint=case, actor=world.handler, reason="需现场核查")
        api = APIClient()
        url = f"/api/v1/complaints/cases/{case.pk}/approve-extension/"

        api.force_authenticate(world.supervisor)
        refused = api.post(url, {"approve": True}, format="json")
        api.force_authenticate(head)
        approved = api.post(url, {"approve": True}, format="json")

    assert refused.status_code == 403
    assert approved.status_code == 200
    assert approved.json()["rule_set"]["code"] == "order-121"
    verify = [d for d in approved.json()["deadlines"] if d["clock"] == "report-verify"]
    assert verify[0]["due_on"] == "2026-12-14"


def test_case_page_tracking_api_and_tracking_page_name_the_rules(client, world, file_case):
    with time_machine.travel(datetime(2026, 4, 14, 10, 0, tzinfo=SHANGHAI), tick=False):
        case = file_case()

    client.force_login(world.handler)
    page = client.get(f"/complaints/cases/{case.pk}/").content.decode()
    assert "市场监督管理投诉举报处理暂行办法" in page
    assert "国家市场监督管理总局令第20号" in page
    tracked = APIClient().get(
        "/api/v1/complaints/track/", {"code": case.tracking_code, "contact": "13800000001"}
    )
    assert tracked.json()["rule_set"]["code"] == "complaints-2019"
    assert "暂行办法" in tracked.json()["rule_set"]["title"]


def test_rule_sets_api_lists_the_sets_in_force_on_a_day():
    api = APIClient()

    on_boundary = api.get("/api/v1/rule-sets/", {"on": "2026-04-14"}).json()
    after = api.get("/api/v1/rule-sets/", {"on": "2026-04-15"}).json()
    bad = api.get("/api/v1/rule-sets/", {"on": "14/04/2026"})

    assert "complaints-2019" in {s["code"] for s in on_boundary}
    assert "order-121" not in {s["code"] for s in on_boundary}
    codes = {s["code"]: s for s in after}
    assert "complaints-2019" not in codes
    mediation = {c["code"]: c for c in codes["order-121"]["clocks"]}["complaint-mediation"]
    assert (mediation["days"], mediation["unit"], mediation["starts_on"]) == (
        60,
        "calendar",
        "acceptance",
    )
    assert mediation["certainty"] == "secondary"
    assert len([g for g in codes["order-121"]["grounds"] if g["list"] == "decline"]) == 7
    assert bad.status_code == 400 and "on" in bad.json()


def test_repair_rules_change_on_25_december_2025():
    assert rule_set_for("repair", date(2025, 12, 24)).code == "credit-repair-2021"
    assert rule_set_for("repair", date(2025, 12, 25)).code == "order-107"
