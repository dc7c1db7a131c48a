"""Migration 0006: the recipient rows of filings filed before routes existed become
references to shared routes, and no filing loses a department it reached."""

import pytest
from django.utils import timezone

from tests.migrator import head
from tests.migrator import migrate as _migrate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("complaints", "0005_open_case_department_index")]
AFTER = [("complaints", "0006_filing_routes")]


def test_recipient_rows_become_shared_routes():
    try:
        _check_recipient_rows_become_shared_routes()
    finally:
        _migrate(head())  # the later migrations again, for the tests that follow


def _check_recipient_rows_become_shared_routes():
    apps = _migrate(BEFORE)
    try:
        Region = apps.get_model("accounts", "Region")
        Department = apps.get_model("accounts", "Department")
        Platform = apps.get_model("accounts", "Platform")
        Category = apps.get_model("registry", "ViolationCategory")
        Filing = apps.get_model("complaints", "DisposalFiling")
        Recipient = apps.get_model("complaints", "FilingRecipient")
        region = Region.objects.create(code="339901", name="测试区", level=3, path="/339901/")
        market, cyber, province = (
            Department.objects.create(name=name, type=kind, region=region)
            for name, kind in (("甲", "market"), ("乙", "cyberspace"), ("丙", "market"))
        )
        platform = Platform.objects.create(
            name="测试平台", uscc="91339901MA0000000X", domicile=region
        )
        category = Category.objects.order_by("pk").first()
        now = timezone.now()
        filings = [
            Filing.objects.create(
                platform=platform,
                external_id=f"m-{n}",
                party_kind="marketer",
                party_name="张三",
                category=category,
                conduct_at=now,
                acted_at=now,
                facts="事实",
                channel="api",
            )
            for n in range(5)
        ]
        for n, filing in enumerate(filings):
            Recipient.objects.create(filing=filing, department=market, reason="domicile")
            Recipient.objects.create(filing=filing, department=cyber, reason="domicile")
            if n % 2:
                Recipient.objects.create(filing=filing, department=province, reason="provincial")
    finally:
        apps = _migrate(AFTER)

    Filing = apps.get_model("complaints", "DisposalFiling")
    Route = apps.get_model("complaints", "FilingRoute")
    reached = {
        f.external_id: sorted(
            (r.department.name, r.reason) for r in f.route.recipients.select_related("department")
        )
        for f in Filing.objects.filter(external_id__startswith="m-").select_related("route")
    }
    light = [("乙", "domicile"), ("甲", "domicile")]
    grave = [("丙", "provincial"), ("乙", "domicile"), ("甲", "domicile")]
    assert reached == {"m-0": light, "m-1": grave, "m-2": light, "m-3": grave, "m-4": light}
    assert Route.objects.count() == 2
