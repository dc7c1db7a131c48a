"""Notices to platforms: the reply clocks (Order 117 Art. 12 ¶2, 22, 50), replies in
the portal and by API, overdue on both sides, and scoping."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from filings.models import NoticeKind
from filings.selectors import notices_visible_to
from filings.services.notices import notice_reply, notice_send
from portal.errors import Conflict, NotAllowed
from portal.models import Deadline

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def send(platforms, kind=NoticeKind.VIOLATION, days=None, platform=None):
    return notice_send(
        actor=platforms.yuhang_handler,
        platform=platform or platforms.a,
        kind=kind,
        party="直播间 xh-1（杭州西子有限公司）",
        message="请核查并处置，反馈处置结果。",
        working_days=days,
    )


def due(notice) -> date:
    return Deadline.objects.for_object(notice).get().due_on


@time_machine.travel(MONDAY, tick=False)
def test_art_22_reminders_are_due_in_5_working_days_whatever_the_sender_says(platforms):
    notice = send(platforms, NoticeKind.UNREACHABLE_OPERATOR, days=20)
    assert due(notice) == date(2026, 3, 9)
    assert "第二十二条" in Deadline.objects.for_object(notice).get().source


@time_machine.travel(MONDAY, tick=False)
def test_a_violation_notice_runs_on_the_senders_days_else_10(platforms):
    assert due(send(platforms, days=3)) == date(2026, 3, 5)
    default = send(platforms)
    assert due(default) == date(2026, 3, 16)
    assert Deadline.objects.for_object(default).get().working_days == 10


def test_late_replies_show_as_overdue_on_both_sides(platforms):
    with time_machine.travel(MONDAY, tick=False):
        notice = send(platforms, NoticeKind.UNREACHABLE_OPERATOR)
    with time_machine.travel(datetime(2026, 3, 10, 9, tzinfo=SHANGHAI), tick=False):
        for user in (platforms.officer_a, platforms.yuhang_handler, platforms.hz_handler):
            assert notices_visible_to(user).get(pk=notice.pk).answer_state == "overdue"
        notice_reply(notice=notice, actor=platforms.officer_a, reply="已提醒。")
        for user in (platforms.officer_a, platforms.yuhang_handler):
            assert notices_visible_to(user).get(pk=notice.pk).answer_state == "answered_late"


def test_a_reply_in_time_is_replied_and_closes_the_clock(platforms):
    with time_machine.travel(MONDAY, tick=False):
        notice = send(platforms)
        notice_reply(notice=notice, actor=platforms.officer_a, reply="已处置。")
        assert notices_visible_to(platforms.yuhang_handler).get(pk=notice.pk).answer_state == (
            "answered"
        )
    assert Deadline.objects.for_object(notice).get().state == Deadline.State.MET
    with pytest.raises(Conflict):
        notice_reply(notice=notice, actor=platforms.officer_a, reply="again")


def test_only_the_platform_replies_and_only_staff_send(platforms):
    notice = send(platforms)
    with pytest.raises(NotAllowed):
        notice_reply(notice=notice, actor=platforms.officer_b, reply="x")
    with pytest.raises(NotAllowed):
        notice_send(
            actor=platforms.officer_a,
            platform=platforms.b,
            kind=NoticeKind.VIOLATION,
            party="x",
            message="y",
        )


@pytest.mark.parametrize(
    ("user", "sees"),
    [
        ("officer_a", True),
        ("officer_b", False),
        ("yuhang_handler", True),  # the sender
        ("hz_handler", True),  # above it, same type
        ("xihu_handler", False),
        ("zj_cyber_handler", False),  # another type
        ("gd_handler", False),
    ],
)
def test_who_sees_a_notice(platforms, user, sees):
    notice = send(platforms)
    assert notices_visible_to(getattr(platforms, user)).filter(pk=notice.pk).exists() is sees


def test_reply_by_api_with_the_platforms_key_and_404_for_another_platform(platforms):
    notice = send(platforms)
    theirs = send(platforms, platform=platforms.b)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {platforms.raw_a}")
    listed = client.get("/api/v1/notices/").json()["results"]
    assert [n["id"] for n in listed] == [notice.pk]
    assert listed[0]["reply_state"] == "awaiting"
    assert client.get(f"/api/v1/notices/{theirs.pk}/").status_code == 404
    assert (
        client.post(f"/api/v1/notices/{theirs.pk}/reply/", {"reply": "x"}, format="json")
    ).status_code == 404
    answer = client.post(
        f"/api/v1/notices/{notice.pk}/reply/", {"reply": "已处置并限制直播功能。"}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["reply_state"] == "replied"
    notice.refresh_from_db()
    assert notice.answered_by is None and "A systems" in notice.answered_by_label
    assert notice.answered_via == "api"


def test_pages_send_and_answer(client, platforms):
    client.force_login(platforms.yuhang_handler)
    response = client.post(
        "/notices/new/",
        {
            "platform": platforms.a.pk,
            "kind": "violation",
            "party": "xh-1",
            "message": "请处置。",
            "working_days": "7",
        },
    )
    assert response.status_code == 302
    notice = notices_visible_to(platforms.officer_a).get()
    assert Deadline.objects.for_object(notice).get().working_days == 7
    client.force_login(platforms.officer_a)
    home = client.get("/")
    assert home.context["notices_waiting"] == [notice]
    assert client.post(f"/notices/{notice.pk}/", {"reply": "已处置。"}).status_code == 302
    notice.refresh_from_db()
    assert notice.answer == "已处置。"
    assert notice.answered_via == "web"
    client.force_login(platforms.officer_b)
    assert client.get(f"/notices/{notice.pk}/").status_code == 404
