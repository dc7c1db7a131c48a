"""The upgrade that gives forwards the question fields of every platform request:
a forward keeps its message, author and date under the new names, and its due
date, stored on the forward before, is its clock's: a forward with a clock keeps
that clock's, one stored without a clock gets one with the date it had."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from complaints.models import PlatformForward
from portal.models import Deadline
from tests.migrator import head as _head
from tests.migrator import migrate as _migrate
from tests.migrator import old_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SHANGHAI = ZoneInfo("Asia/Shanghai")

BEFORE = [("complaints", "0014_forward_answered_via")]


def test_forwards_keep_their_question_and_their_due_date():
    apps = _migrate(BEFORE)
    try:
        User = apps.get_model("accounts", "User")
        Category = apps.get_model("registry", "ViolationCategory")
        Complaint = apps.get_model("complaints", "Complaint")
        Forward = apps.get_model("complaints", "PlatformForward")
        OldDeadline = apps.get_model("portal", "Deadline")
        ContentType = apps.get_model("contenttypes", "ContentType")
        world = old_world(apps, "339906", region="升级区", department="升级局", platform="升级平台")
        region, department = world.region, world.department
        platform = world.platform
        handler = User.objects.create(username="forwarder", department=department)
        forwards = []
        for code in ("UPGRADEFWD01", "UPGRADEFWD02"):
            case = Complaint.objects.create(
                tracking_code=code,
                kind="complaint",
                category=Category.objects.order_by("pk").first(),
                description="描述",
                consumer_region=region,
                department=department,
                region=region,
                platform=platform,
                status="forwarded",
                language="zh-hans",
            )
            forward = Forward.objects.create(
                complaint=case,
                platform=platform,
                forwarded_by=handler,
                message="请核实并于期限内答复。",
                due_on=date(2026, 11, 20),
            )
            Forward.objects.filter(pk=forward.pk).update(
                forwarded_at=datetime(2026, 11, 6, 0, 30, tzinfo=SHANGHAI)
            )
            forwards.append(forward.pk)
        clocked, bare = forwards
        forward_type, _ = ContentType.objects.get_or_create(
            app_label="complaints", model="platformforward"
        )
        OldDeadline.objects.create(
            content_type=forward_type,
            object_id=clocked,
            clock="platform-answer",
            source="《直播电商监督管理办法》第二十条",
            started_on=date(2026, 11, 6),
            working_days=10,
            due_on=date(2026, 11, 24),  # moved by an excluded period since
            state="running",
        )
    finally:
        _migrate(_head())

    with_clock, without = (PlatformForward.objects.get(pk=pk) for pk in (clocked, bare))
    assert (without.question, without.asked_by.username) == ("请核实并于期限内答复。", "forwarder")
    assert without.asked_at == datetime(2026, 11, 6, 0, 30, tzinfo=SHANGHAI)
    assert with_clock.due_on == date(2026, 11, 24)
    assert without.due_on == date(2026, 11, 20)
    made = Deadline.objects.for_object(without).get()
    assert (made.clock, made.started_on, made.state) == (
        "platform-answer",
        date(2026, 11, 6),
        "running",
    )
    assert Deadline.objects.for_object(with_clock).count() == 1
