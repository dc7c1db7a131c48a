"""Joint consultations: opinions, conclusion, follow-up actions tracked to their date."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from complaints.services.intake import Intake, complaint_submit
from inspections.models import Consultation, FollowUpAction
from inspections.selectors import consultations_visible_to
from inspections.services.common import InspectionError
from inspections.services.meetings import (
    consultation_conclude,
    consultation_convene,
    consultation_opinion_record,
    follow_up_add,
    follow_up_complete,
)
from inspections.services.sweep import inspections_sweep
from portal.errors import Conflict, NotAllowed
from portal.models import AuditEvent
from registry.models import ViolationCategory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def consultation(world):
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        return consultation_convene(
            actor=world.handler,
            subject="某直播间虚假宣传会商",
            background="多部门收到投诉举报。",
            held_on=date(2026, 3, 5),
            participants=[world.departments["zj_cyber"], world.judicial],
        )


def test_convene_with_a_linked_complaint(world):
    complaint = complaint_submit(
        intake=Intake(
            kind="report",
            category=ViolationCategory.objects.get(code="false-information"),
            description="主播宣称普通食品可治病。",
            consumer_region=world.regions["yuhang"],
            platform=world.platform,
            live_room_account="xh-1",
            contact_phone="13800000002",
        )
    )
    # The report went to Yuhang market supervision, below Hangzhou: Hangzhou sees it.
    consultation = consultation_convene(
        actor=world.handler,
        subject="会商",
        background="背景",
        held_on=date(2026, 3, 5),
        participants=[world.departments["zj_cyber"]],
        links=[complaint],
    )

    assert consultation.links.get().target == complaint
    assert set(consultation.participants.all()) == {world.departments["zj_cyber"]}


def test_a_consultation_needs_another_department(world):
    with pytest.raises(InspectionError):
        consultation_convene(
            actor=world.handler,
            subject="会商",
            background="背景",
            held_on=date(2026, 3, 5),
            participants=[world.hz_market],
        )


def test_each_participant_gives_one_opinion(world, consultation):
    consultation_opinion_record(
        actor=world.cyber, consultation=consultation, opinion="建议责令平台下架"
    )
    consultation_opinion_record(actor=world.handler, consultation=consultation, opinion="同意")

    with pytest.raises(Conflict):
        consultation_opinion_record(
            actor=world.cyber, consultation=consultation, opinion="再说一次"
        )
    with pytest.raises(NotAllowed):
        consultation_opinion_record(actor=world.gd, consultation=consultation, opinion="无关")
    assert consultation.opinions.count() == 2


def test_only_the_convener_concludes(world, consultation):
    with pytest.raises(NotAllowed):
        consultation_conclude(actor=world.cyber, consultation=consultation, conclusion="x")

    consultation_conclude(
        actor=world.handler,
        consultation=consultation,
        conclusion="移送公安机关并约谈平台",
        actions=[(world.judicial, "立案审查", date(2099, 4, 1))],
    )
    consultation.refresh_from_db()

    assert consultation.status == Consultation.Status.CONCLUDED
    assert consultation.actions.get().owner == world.judicial
    with pytest.raises(Conflict):
        consultation_opinion_record(
            actor=world.cyber, consultation=consultation, opinion="迟到的意见"
        )


def test_follow_up_owner_must_take_part(world, consultation):
    with pytest.raises(InspectionError):
        follow_up_add(
            actor=world.handler,
            consultation=consultation,
            owner=world.departments["gd_market"],
            text="x",
            due_on=date(2099, 1, 1),
        )


def test_follow_up_is_tracked_to_its_date_and_flagged_once(
    client, world, consultation, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        action = follow_up_add(
            actor=world.handler,
            consultation=consultation,
            owner=world.departments["zj_cyber"],
            text="约谈平台负责人",
            due_on=date(2026, 3, 20),
        )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        before = inspections_sweep(today=date(2026, 3, 20))
        first = inspections_sweep(today=date(2026, 3, 23))
        second = inspections_sweep(today=date(2026, 3, 24))

    action.refresh_from_db()
    assert (before.follow_ups_overdue, first.follow_ups_overdue, second.follow_ups_overdue) == (
        0,
        1,
        0,
    )
    assert action.overdue_since == date(2026, 3, 23)
    assert {m.to[0] for m in mail.outbox} == {
        "cyber@example.com",
        "hz@example.com",
        "hz-sup@example.com",
    }
    assert AuditEvent.objects.filter(action="consultation.action_overdue").count() == 1

    with time_machine.travel(datetime(2026, 3, 25, 10, tzinfo=SHANGHAI), tick=False):
        with pytest.raises(NotAllowed):
            follow_up_complete(actor=world.handler, action=action, result="x")
        follow_up_complete(actor=world.cyber, action=action, result="已约谈")
        client.force_login(world.handler)
        page = client.get(reverse("inspections:consultation", args=[consultation.pk]))
    action.refresh_from_db()
    assert action.done_late and action.result == "已约谈"
    assert 'class="overdue"' in page.text
    with pytest.raises(Conflict):
        follow_up_complete(actor=world.cyber, action=action, result="again")


def test_done_action_is_never_flagged(world, consultation):
    action = follow_up_add(
        actor=world.handler,
        consultation=consultation,
        owner=world.hz_market,
        text="核查",
        due_on=date(2099, 1, 1),
    )
    follow_up_complete(actor=world.handler, action=action, result="已核查")

    result = inspections_sweep(today=date(2099, 2, 1))

    assert result.follow_ups_overdue == 0
    assert FollowUpAction.objects.get(pk=action.pk).overdue_since is None


@pytest.mark.parametrize(
    ("who", "sees"),
    [("handler", True), ("cyber", True), ("police", True), ("zj_market", True), ("gd", False)],
)
def test_consultation_scope(client, world, consultation, who, sees):
    user = getattr(world, who)
    client.force_login(user)

    assert consultations_visible_to(user).exists() is sees
    status = client.get(reverse("inspections:consultation", args=[consultation.pk])).status_code
    assert status == (200 if sees else 404)


def test_pages_give_an_opinion_and_report_an_action(client, world, consultation):
    action = follow_up_add(
        actor=world.handler,
        consultation=consultation,
        owner=world.departments["zj_cyber"],
        text="约谈平台",
        due_on=date(2099, 1, 1),
    )
    client.force_login(world.cyber)

    opinion = client.post(
        reverse("inspections:consultation-action", args=[consultation.pk, "opinion"]),
        {"opinion-opinion": "建议约谈"},
    )
    done = client.post(
        reverse("inspections:follow-up-done", args=[consultation.pk, action.pk]),
        {f"action-{action.pk}-result": "已约谈"},
    )
    conclude = client.post(
        reverse("inspections:consultation-action", args=[consultation.pk, "conclude"]),
        {"conclude-conclusion": "x"},
    )

    assert (opinion.status_code, done.status_code, conclude.status_code) == (302, 302, 403)
    assert consultation.opinions.get().opinion == "建议约谈"
