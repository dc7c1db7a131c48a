"""The upgrade that makes notices, forwarded cases and document requests platform
requests (``portal.requests``): a notice replied to by API key and one by an
officer keep their answers, authors and dates under the new names, and the way
each answer came is filled in."""

from datetime import date

import pytest
from django.utils import timezone

from filings.models import PlatformNotice
from portal.models import Deadline
from tests.migrator import head as _head
from tests.migrator import migrate as _migrate
from tests.migrator import old_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("filings", "0001_filings_app")]


def test_replies_become_answers_with_their_authors_and_channels():
    apps = _migrate(BEFORE)
    try:
        User = apps.get_model("accounts", "User")
        Notice = apps.get_model("filings", "PlatformNotice")
        ContentType = apps.get_model("contenttypes", "ContentType")
        OldDeadline = apps.get_model("portal", "Deadline")
        world = old_world(apps, "339905", region="升级区", department="升级局", platform="升级平台")
        department = world.department
        platform = world.platform
        staff = User.objects.create(username="sender", department=department)
        officer = User.objects.create(username="officer", platform=platform)
        replied = timezone.now()
        common = {"department": department, "platform": platform, "kind": "violation"}
        by_key = Notice.objects.create(
            **common,
            party="甲直播间",
            message="请核查。",
            sent_by=staff,
            replied_at=replied,
            reply="已限制其直播功能。",
            replied_by_label="升级平台 · 风控系统",
        )
        by_hand = Notice.objects.create(
            **common,
            party="乙直播间",
            message="请核查。",
            sent_by=staff,
            replied_at=replied,
            reply="已处置。",
            replied_by=officer,
            replied_by_label="officer",
        )
        waiting = Notice.objects.create(
            **common, party="丙直播间", message="请核查。", sent_by=staff
        )
        notice_type, _ = ContentType.objects.get_or_create(
            app_label="filings", model="platformnotice"
        )
        OldDeadline.objects.create(
            content_type=notice_type,
            object_id=waiting.pk,
            clock="notice-reply",
            source="《直播电商监督管理办法》第十二条第二款",
            started_on=date(2026, 11, 2),
            working_days=5,
            due_on=date(2026, 11, 9),
            state="running",
        )
    finally:
        _migrate(_head())

    key, hand, open_one = (PlatformNotice.objects.get(pk=n.pk) for n in (by_key, by_hand, waiting))
    assert (key.answer, key.answered_by, key.answered_by_label, key.answered_via) == (
        "已限制其直播功能。",
        None,
        "升级平台 · 风控系统",
        "api",
    )
    assert (hand.answer, hand.answered_by.username, hand.answered_via) == (
        "已处置。",
        "officer",
        "web",
    )
    assert key.answered_at == hand.answered_at == replied
    assert (open_one.answered_at, open_one.answered_via) == (None, "")
    assert Deadline.objects.for_object(open_one).get().due_on == date(2026, 11, 9)
    assert open_one.due_on == date(2026, 11, 9)
