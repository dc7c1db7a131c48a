"""The upgrade that moves StatisticalReport from the kernel to oversight: a
database holding reports and audit events about them migrates to the new head;
every row is kept, the table keeps its name, and the audit trail still finds
the report through its content type."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from oversight.models import StatisticalReport
from portal.models import AuditEvent
from tests.migrator import head as _head
from tests.migrator import migrate as _migrate
from tests.migrator import old_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("portal", "0010_sealed_free_text"), ("oversight", None)]


def test_reports_and_their_audit_trail_survive_the_move():
    apps = _migrate(BEFORE)
    try:
        Report = apps.get_model("portal", "StatisticalReport")
        Audit = apps.get_model("portal", "AuditEvent")
        OldContentType = apps.get_model("contenttypes", "ContentType")
        world = old_world(apps, "339903", region="迁移区", department="迁移局")
        department = world.department
        report = Report.objects.create(
            department=department,
            period_kind="monthly",
            period_start="2026-10-01",
            status="done",
            progress=100,
        )
        report_type, _ = OldContentType.objects.get_or_create(
            app_label="portal", model="statisticalreport"
        )
        type_id = report_type.pk
        Audit.objects.create(
            action="report.generated",
            content_type=report_type,
            object_id=str(report.pk),
            object_repr="迁移局 2026-10",
        )
    finally:
        _migrate(_head())

    ContentType.objects.clear_cache()
    moved = StatisticalReport.objects.get(pk=report.pk)
    assert (moved.department.name, moved.period_kind, moved.status) == ("迁移局", "monthly", "done")
    assert StatisticalReport._meta.db_table == "portal_statisticalreport"
    report_type = ContentType.objects.get(pk=type_id)
    assert (report_type.app_label, report_type.model) == ("oversight", "statisticalreport")
    assert not ContentType.objects.filter(app_label="portal", model="statisticalreport").exists()
    event = AuditEvent.objects.get(action="report.generated")
    assert event.subject == moved
    assert Permission.objects.filter(
        content_type=report_type, codename="view_statisticalreport"
    ).exists()
