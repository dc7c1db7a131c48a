"""Interviews of responsible persons (Order 117 Art. 52) and their minutes."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from inspections.models import Interview, InterviewGround
from inspections.services.common import InspectionError
from inspections.services.meetings import (
    interview_grounds,
    interview_record_check,
    interview_record_minutes,
    interview_schedule,
)
from portal.errors import Conflict, NotAllowed
from tests.pdftools import pdf_text

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def interview(world):
    return interview_schedule(
        actor=world.handler,
        target_kind="platform",
        platform=world.platform,
        ground=InterviewGround.CONSUMERS,
        ground_detail="近三个月投诉集中于退货难。",
        scheduled_for=datetime(2026, 4, 8, 9, 30, tzinfo=SHANGHAI),
        place="杭州市市场监督管理局第三会议室",
        responsible_persons="张明 合规总监\n李华 客服负责人",
    )


def _hold(world, interview):
    return interview_record_minutes(
        actor=world.handler,
        interview=interview,
        attendees="王敏、刘建国",
        issues_raised="退货规则不公示，客服响应超时。",
        commitments="十五日内公示退货规则，客服二十四小时内响应。",
        follow_up_on=date(2026, 4, 30),
    )


def test_scheduled_held_checked(world, interview):
    _hold(world, interview)
    _hold(world, interview)  # a no-op
    interview_record_check(actor=world.handler, interview=interview, result="已整改")
    interview.refresh_from_db()

    assert interview.status == Interview.Status.CHECKED
    assert interview.follow_up_result == "已整改"


def test_check_before_the_minutes_is_a_conflict(world, interview):
    with pytest.raises(Conflict):
        interview_record_check(actor=world.handler, interview=interview, result="x")


def test_follow_up_falls_after_the_interview(world, interview):
    with pytest.raises(InspectionError):
        interview_record_minutes(
            actor=world.handler,
            interview=interview,
            attendees="王敏",
            issues_raised="问题",
            commitments="承诺",
            follow_up_on=date(2026, 4, 1),
        )


def test_only_the_interviewing_department_records(world, interview):
    with pytest.raises(NotAllowed):
        interview_record_minutes(
            actor=world.cyber,
            interview=interview,
            attendees="x",
            issues_raised="x",
            commitments="x",
            follow_up_on=date(2026, 5, 1),
        )


def test_one_party_is_named(world):
    with pytest.raises(ValidationError):
        interview_schedule(
            actor=world.handler,
            target_kind="agency",
            ground=InterviewGround.DUTIES,
            ground_detail="x",
            scheduled_for=datetime(2026, 4, 8, 9, tzinfo=SHANGHAI),
            place="x",
            responsible_persons="x",
        )


def test_minutes_pdf_reads_as_minutes(client, world, interview):
    client.force_login(world.handler)
    url = reverse("inspections:interview-minutes", args=[interview.pk])
    assert client.get(url).status_code == 404  # no minutes before it is held

    _hold(world, interview)
    response = client.get(url)
    text = "".join(pdf_text(response.content).split())

    assert response["Content-Type"] == "application/pdf"
    with translation.override("zh-hans"):
        title = translation.gettext("Minutes of an interview")
    assert "".join(title.split()) in text
    # the ground as Order 117 Art. 52 (4) words it, and its article
    assert "未保障消费者等有关各方主体合法权益的" in text
    assert "《直播电商监督管理办法》第五十二条第（四）项" in text
    for expected in (
        world.platform.name,
        "张明合规总监",
        "退货规则不公示",
        "十五日内公示退货规则",
        "2026-04-30",
        "杭州市市场监督管理局",
    ):
        assert expected in text


@pytest.mark.parametrize(
    ("who", "status"),
    [("handler", 200), ("zj_market", 200), ("officer", 200), ("other_officer", 404), ("gd", 404)],
)
def test_interview_scope(client, world, interview, who, status):
    client.force_login(getattr(world, who))

    assert client.get(reverse("inspections:interview", args=[interview.pk])).status_code == status


def test_pages_schedule_and_record(client, world):
    client.force_login(world.handler)
    response = client.post(
        reverse("inspections:interview-new"),
        {
            "target_kind": "platform",
            "platform": world.platform.pk,
            "ground": "duties",
            "ground_detail": "逾期未整改",
            "scheduled_for": "2026-04-08T09:30",
            "place": "会议室",
            "responsible_persons": "张明 合规总监",
        },
    )
    interview = Interview.objects.get()
    minutes = client.post(
        reverse("inspections:interview-action", args=[interview.pk, "minutes"]),
        {
            "minutes-attendees": "王敏",
            "minutes-issues_raised": "未整改",
            "minutes-commitments": "立即整改",
            "minutes-follow_up_on": "2026-05-08",
        },
    )

    assert (response.status_code, minutes.status_code) == (302, 302)
    interview.refresh_from_db()
    assert interview.status == Interview.Status.HELD


def test_grounds_are_exactly_art_52_of_the_order_117_set(world):
    with translation.override("zh-hans"):
        grounds = interview_grounds(date(2026, 4, 8))
    assert [g.code for g in grounds] == [
        "duties",
        "public_opinion",
        "supervision",
        "consumers",
        "other",
    ]
    assert [g.source for g in grounds] == [
        f"《直播电商监督管理办法》第五十二条第（{n}）项" for n in "一二三四五"
    ]
    assert {g.rule_set.code for g in grounds} == {"order-117"}


def test_an_interview_keeps_its_set_and_a_ground_not_on_it_is_refused(world, interview):
    assert interview.rule_set.code == "order-117"
    assert interview.ground_source == "《直播电商监督管理办法》第五十二条第（四）项"
    with pytest.raises(InspectionError):
        interview_schedule(
            actor=world.handler,
            target_kind="platform",
            platform=world.platform,
            ground="complaints",  # one of the portal's former grounds, not of Art. 52
            ground_detail="x",
            scheduled_for=datetime(2026, 4, 8, 9, tzinfo=SHANGHAI),
            place="x",
            responsible_persons="x",
        )


def test_before_order_117_the_order_117_list_applies(world):
    import time_machine

    with time_machine.travel(datetime(2025, 11, 3, 10, tzinfo=SHANGHAI)):
        interview = interview_schedule(
            actor=world.handler,
            target_kind="platform",
            platform=world.platform,
            ground=InterviewGround.PUBLIC_OPINION,
            ground_detail="重大负面舆情。",
            scheduled_for=datetime(2025, 11, 10, 9, tzinfo=SHANGHAI),
            place="会议室",
            responsible_persons="张明 合规总监",
        )
    assert interview.rule_set.code == "order-117"
    assert interview.ground_source.endswith("第五十二条第（二）项")


def test_a_marketer_is_interviewed_on_the_page(client, world):
    from tests.factories import MarketerFactory

    marketer = MarketerFactory(name="赵丽")
    world.room.marketers.add(marketer)
    client.force_login(world.handler)
    response = client.post(
        reverse("inspections:interview-new"),
        {
            "target_kind": "party",
            "party": f"marketer:{marketer.pk}",
            "ground": "duties",
            "ground_detail": "直播中多次夸大宣传。",
            "scheduled_for": "2026-04-09T10:00",
            "place": "第三会议室",
            "responsible_persons": "赵丽 主播",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    interview = Interview.objects.get(marketer=marketer)
    assert interview.target == marketer and interview.ground == "duties"
    page = client.get(interview.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Order 117 Art. 52(1)" in page


def interview_post(party: str) -> dict:
    return {
        "target_kind": "party",
        "party": party,
        "ground": "duties",
        "ground_detail": "直播中多次夸大宣传。",
        "scheduled_for": "2026-04-09T10:00",
        "place": "第三会议室",
        "responsible_persons": "负责人",
    }


def test_the_party_interviewed_is_found_by_the_register_search(client, world):
    client.force_login(world.handler)

    page = client.get(reverse("inspections:interview-new"), {"party_q": "杭州西子"}).text

    operator = world.room.operator
    assert f'name="party" value="operator:{operator.pk}"' in page
    assert operator.uscc in page  # the operator told apart by its credit code
    response = client.post(
        reverse("inspections:interview-new"), interview_post(f"operator:{operator.pk}")
    )
    assert response.status_code == 302
    assert Interview.objects.get().target == operator


def test_a_party_out_of_scope_is_refused_beside_the_field(client, world):
    from tests.factories import LiveRoomFactory, MarketerFactory, OperatorFactory

    far = LiveRoomFactory(
        platform=world.other,
        operator=OperatorFactory(business_region=world.regions["tianhe"]),
    )
    far.marketers.add(outsider := MarketerFactory(name="陈某"))
    client.force_login(world.handler)

    for value in (f"marketer:{outsider.pk}", "supplier:1", "platform:1"):
        response = client.post(
            reverse("inspections:interview-new"), interview_post(value), HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 400
        assert 'id="id_party_error">No such party in the register you can see.<' in response.text
    assert not Interview.objects.exists()
