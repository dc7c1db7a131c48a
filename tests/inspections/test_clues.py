"""Clue transfers: every move, the clocks, links, judicial organs, the letter."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from complaints.services.intake import Intake, complaint_submit
from inspections.models import ClueLink, ClueStatus
from inspections.selectors import clue_flags, clues_visible_to, link_url
from inspections.services.clues import (
    clue_accept,
    clue_acknowledge,
    clue_record_outcome,
    clue_return,
    clue_transfer,
)
from inspections.services.common import InspectionError
from inspections.services.sweep import inspections_sweep
from portal.errors import Conflict, NotAllowed
from portal.models import AuditEvent, Deadline
from registry.models import ViolationCategory
from tests.pdftools import pdf_text

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _send(world, **overrides):
    fields = {
        "actor": world.handler,
        "to_department": world.departments["zj_cyber"],
        "facts": "直播间发布违法广告内容，涉及多名用户。",
        "reason": "涉及网络信息内容，属网信部门职责。",
    }
    return clue_transfer(**(fields | overrides))


@pytest.fixture
def complaint(world):
    """A complaint about the platform's live room, with Xihu market supervision."""
    return complaint_submit(
        intake=Intake(
            kind="complaint",
            category=ViolationCategory.objects.get(code="consumer-dispute"),
            description="主播承诺七天无理由退货，收货后拒绝。",
            consumer_region=world.regions["xihu"],
            platform=world.platform,
            live_room_account="xh-1",
            contact_name="陈女士",
            contact_phone="13800000001",
        )
    )


def test_acknowledge_clock_is_five_working_days_across_the_national_day(world):
    with time_machine.travel(datetime(2026, 9, 30, 10, tzinfo=SHANGHAI), tick=False):
        transfer = _send(world)

    deadline = Deadline.objects.for_object(transfer).get()
    assert (deadline.clock, deadline.working_days) == ("clue-acknowledge", 5)
    # 1–7 October off, 10 October (Saturday) worked: 8, 9, 10, 12, 13.
    assert deadline.due_on == date(2026, 10, 13)
    assert "第四条" in deadline.source


def test_the_sender_sets_both_clocks(world):
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        transfer = _send(world, acknowledge_days=2, outcome_days=15)
        clue_acknowledge(actor=world.cyber, transfer=transfer)
        clue_accept(actor=world.cyber, transfer=transfer)

    clocks = {d.clock: d for d in Deadline.objects.for_object(transfer)}
    assert clocks["clue-acknowledge"].due_on == date(2026, 3, 4)
    assert clocks["clue-acknowledge"].state == Deadline.State.MET
    assert clocks["clue-outcome"].working_days == 15
    assert clocks["clue-outcome"].due_on == date(2026, 3, 23)
    assert clocks["clue-outcome"].state == Deadline.State.RUNNING


def test_default_outcome_clock_is_the_seeded_rule(world):
    transfer = _send(world)

    assert (transfer.acknowledge_days, transfer.outcome_days) == (5, 30)


def test_accept_then_outcome_the_sender_sees(client, world):
    transfer = _send(world)
    clue_acknowledge(actor=world.cyber, transfer=transfer)
    clue_acknowledge(actor=world.cyber, transfer=transfer)  # a no-op
    clue_accept(actor=world.cyber, transfer=transfer, note="已立案调查")
    clue_record_outcome(actor=world.cyber, transfer=transfer, outcome="已责令删除并罚款")
    transfer.refresh_from_db()

    assert transfer.status == ClueStatus.HANDLED
    assert not Deadline.objects.for_object(transfer).open().exists()
    assert list(
        AuditEvent.objects.filter(object_id=str(transfer.pk), action__startswith="clue.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["clue.sent", "clue.acknowledged", "clue.accepted", "clue.handled"]
    client.force_login(world.handler)
    page = client.get(reverse("inspections:clue", args=[transfer.pk]))
    assert "已责令删除并罚款" in page.text


def test_send_back_with_a_reason(client, world):
    transfer = _send(world)
    clue_acknowledge(actor=world.cyber, transfer=transfer)
    with pytest.raises(InspectionError):
        clue_return(actor=world.cyber, transfer=transfer, reason=" ")
    clue_return(actor=world.cyber, transfer=transfer, reason="不属于本部门职责")
    transfer.refresh_from_db()

    assert transfer.status == ClueStatus.RETURNED
    with pytest.raises(Conflict):
        clue_accept(actor=world.cyber, transfer=transfer)
    client.force_login(world.handler)
    assert "不属于本部门职责" in client.get(reverse("inspections:clue", args=[transfer.pk])).text


def test_accept_before_acknowledging_is_a_conflict(world):
    transfer = _send(world)

    with pytest.raises(Conflict):
        clue_accept(actor=world.cyber, transfer=transfer)
    with pytest.raises(Conflict):
        clue_record_outcome(actor=world.cyber, transfer=transfer, outcome="x")


@pytest.mark.parametrize("who", ["handler", "supervisor", "zj_market", "gd", "officer"])
def test_only_the_receiver_acts(world, who):
    transfer = _send(world)

    with pytest.raises(NotAllowed):
        clue_acknowledge(actor=getattr(world, who), transfer=transfer)


def test_suspected_crime_goes_to_a_judicial_organ(client, world):
    transfer = _send(world, to_department=world.judicial, suspected_crime=True)

    assert transfer.to_department.type == "judicial"
    assert clues_visible_to(world.police).filter(pk=transfer.pk).exists()
    clue_acknowledge(actor=world.police, transfer=transfer)
    client.force_login(world.handler)
    letter = "".join(
        pdf_text(client.get(reverse("inspections:clue-letter", args=[transfer.pk])).content).split()
    )
    with translation.override("zh-hans"):
        title = translation.gettext("Letter of transfer of a suspected crime")
    assert "".join(title.split()) in letter
    assert "直播间发布违法广告内容" in letter


def test_suspected_crime_to_a_regulator_is_refused(world):
    with pytest.raises(ValidationError):
        _send(world, suspected_crime=True)


def test_a_judicial_organ_takes_suspected_crimes_only(world):
    with pytest.raises(ValidationError):
        _send(world, to_department=world.judicial, suspected_crime=False)


def test_a_clue_links_a_complaint_the_sender_sees(world, complaint):
    transfer = _send(world, links=[complaint])
    link = ClueLink.objects.get(transfer=transfer)

    assert link.target == complaint
    assert link.label.endswith(complaint.tracking_code)
    assert "七天无理由退货" in link.summary
    # The receiver (cyberspace) reads the copy; only the sender opens the case itself.
    assert link_url(world.handler, link) == complaint.get_absolute_url()
    assert link_url(world.cyber, link) is None


def test_a_complaint_out_of_scope_cannot_be_linked(world, complaint):
    with pytest.raises(NotAllowed):
        _send(world, actor=world.gd, links=[complaint])


def test_a_finding_can_be_linked(world, findings):
    item = findings.items.get(code="blacklist-system")

    transfer = _send(world, links=[item])

    assert ClueLink.objects.get(transfer=transfer).target == item


def test_form_sends_with_links_and_files(client, world, complaint):
    from .conftest import pdf_upload

    client.force_login(world.handler)
    response = client.post(
        reverse("inspections:clue-new"),
        {
            "to_department": world.departments["zj_cyber"].pk,
            "facts": "直播间虚假宣传",
            "reason": "属网信职责",
            "link_complaints": f"{complaint.tracking_code}, LMNOTHERE000",
            "acknowledge_days": 5,
            "outcome_days": 30,
        },
    )
    assert response.status_code == 400
    assert "LMNOTHERE000" in response.text

    response = client.post(
        reverse("inspections:clue-new"),
        {
            "to_department": world.departments["zj_cyber"].pk,
            "facts": "直播间虚假宣传",
            "reason": "属网信职责",
            "link_complaints": complaint.tracking_code,
            "files": [pdf_upload("截图.pdf")],
            "acknowledge_days": 5,
            "outcome_days": 30,
        },
    )
    transfer = clues_visible_to(world.handler).get()
    assert response.status_code == 302
    assert transfer.links.count() == 1 and transfer.files.count() == 1


def test_receiver_acts_on_the_page(client, world):
    transfer = _send(world)
    client.force_login(world.cyber)

    inbox = client.get(reverse("inspections:clues") + "?box=inbox")
    acknowledged = client.post(
        reverse("inspections:clue-action", args=[transfer.pk, "acknowledge"]),
        {"acknowledge-confirm": "on"},
    )
    client.force_login(world.handler)
    refused = client.post(
        reverse("inspections:clue-action", args=[transfer.pk, "accept"]), {"accept-note": ""}
    )

    assert transfer.number in inbox.text
    assert acknowledged.status_code == 302
    assert refused.status_code == 403
    transfer.refresh_from_db()
    assert transfer.status == ClueStatus.ACKNOWLEDGED


def test_overdue_acknowledgement_is_flagged_to_both_sides(
    client, world, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        transfer = _send(world)  # due 9 March
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        inspections_sweep(today=date(2026, 3, 10))
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=SHANGHAI), tick=False):
        flagged = clue_flags(clues_visible_to(world.handler).get(pk=transfer.pk))
        client.force_login(world.handler)
        sender_page = client.get(reverse("inspections:clue", args=[transfer.pk]))
        client.force_login(world.cyber)
        receiver_page = client.get(reverse("inspections:clues") + "?box=inbox")

    assert flagged == ["acknowledgement"]
    assert 'class="warning"' in sender_page.text
    assert 'class="overdue"' in receiver_page.text
    recipients = {m.to[0] for m in mail.outbox}
    assert {"hz@example.com", "hz-sup@example.com", "cyber@example.com"} <= recipients
    assert all(transfer.number in m.body for m in mail.outbox)


def test_overdue_outcome_is_flagged(world, django_capture_on_commit_callbacks):
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        transfer = _send(world, outcome_days=1)
        clue_acknowledge(actor=world.cyber, transfer=transfer)
        clue_accept(actor=world.cyber, transfer=transfer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result = inspections_sweep(today=date(2026, 3, 5))

    with time_machine.travel(datetime(2026, 3, 5, 10, tzinfo=SHANGHAI), tick=False):
        assert clue_flags(clues_visible_to(world.cyber).get(pk=transfer.pk)) == ["outcome"]
    assert result.overdue == 1
    assert {"hz@example.com", "cyber@example.com"} <= {m.to[0] for m in mail.outbox}
