"""The upgrade that moves filings, routes and notices from complaints to the
filings app: a database holding a notice with its clock and audit trail
migrates to the new head; every row is kept, the tables keep their names, and
the deadline and the audit event still find the notice through its content
type, which the pages use."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType

from filings.models import DisposalFiling, FilingRoute, PlatformNotice, RouteRecipient
from portal.models import AuditEvent, Deadline
from tests.migrator import head as _head
from tests.migrator import migrate as _migrate
from tests.migrator import old_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("complaints", "0012_forward_answer_files"), ("filings", None)]


def test_notices_their_clocks_and_audit_trail_survive_the_move():
    apps = _migrate(BEFORE)
    try:
        User = apps.get_model("accounts", "User")
        Notice = apps.get_model("complaints", "PlatformNotice")
        OldDeadline = apps.get_model("portal", "Deadline")
        Audit = apps.get_model("portal", "AuditEvent")
        OldContentType = apps.get_model("contenttypes", "ContentType")
        world = old_world(apps, "339904", region="迁移区", department="迁移局", platform="迁移平台")
        department = world.department
        platform = world.platform
        staff = User.objects.create(username="mover", department=department)
        notice = Notice.objects.create(
            department=department,
            platform=platform,
            kind="violation",
            party="某直播间",
            message="请核查并处置。",
            sent_by=staff,
        )
        notice_type, _ = OldContentType.objects.get_or_create(
            app_label="complaints", model="platformnotice"
        )
        type_id = notice_type.pk
        OldDeadline.objects.create(
            content_type=notice_type,
            object_id=notice.pk,
            clock="notice-reply",
            source="《直播电商监督管理办法》第十二条第二款",
            started_on=date(2026, 11, 2),
            working_days=5,
            due_on=date(2026, 11, 9),
            state="running",
        )
        Audit.objects.create(
            action="notice.sent",
            content_type=notice_type,
            object_id=str(notice.pk),
            object_repr="迁移平台",
        )
    finally:
        _migrate(_head())

    ContentType.objects.clear_cache()
    moved = PlatformNotice.objects.get(pk=notice.pk)
    assert (moved.platform.name, moved.question, moved.asked_by.username) == (
        "迁移平台",
        "请核查并处置。",
        "mover",
    )
    assert [
        m._meta.db_table for m in (DisposalFiling, FilingRoute, RouteRecipient, PlatformNotice)
    ] == [
        "complaints_disposalfiling",
        "complaints_filingroute",
        "complaints_routerecipient",
        "complaints_platformnotice",
    ]
    notice_type = ContentType.objects.get(pk=type_id)
    assert (notice_type.app_label, notice_type.model) == ("filings", "platformnotice")
    assert ContentType.objects.get_for_model(PlatformNotice).pk == type_id
    assert Deadline.objects.get(content_type=notice_type, object_id=moved.pk).due_on == date(
        2026, 11, 9
    )
    assert AuditEvent.objects.get(action="notice.sent").subject == moved
