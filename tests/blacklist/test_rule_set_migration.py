"""Migrations 0006-0007: served listings are pinned to the listing set in force on the
day of their notice; pending credit repair applications count as accepted on the
day they were made, pinned to the repair set in force then, and keep their clock."""

from datetime import date

import pytest

from tests.migrator import head, old_world
from tests.migrator import migrate as _migrate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("blacklist", "0004_entry_name_form")]


def test_listings_and_pending_repairs_are_pinned():
    apps = _migrate(BEFORE)
    try:
        Category = apps.get_model("registry", "ViolationCategory")
        Entry = apps.get_model("blacklist", "Entry")
        EntryState = apps.get_model("blacklist", "EntryState")
        Repair = apps.get_model("blacklist", "RepairApplication")
        world = old_world(apps, "339902", region="测试区", department="测试局")
        department = world.department
        category = Category.objects.order_by("pk").first()
        entries = {}
        for name, notified_on, applied_on in (
            ("甲", "2024-05-06", "2025-06-03"),
            ("乙", "2024-05-06", "2026-01-05"),
            ("丙", "", ""),
        ):
            entry = Entry.objects.create(
                list="departments",
                reference=f"M-{name}",
                party_kind="organisation",
                name=name,
                name_masked=name,
                uscc="91330106MA2B3C4D5E",
                department=department,
                category=category,
                facts="事实",
                legal_basis="依据",
                term_months=36,
            )
            for status, data in (
                ("proposed", {}),
                ("notified", {"notified_on": notified_on} if notified_on else None),
                ("listed", {}),
                ("repair_pending", {} if applied_on else None),
            ):
                if data is None:
                    continue
                state = EntryState.objects.create(entry=entry, status=status, data=data)
                entry.current = state
                entry.save(update_fields=["current"])
            if applied_on:
                Repair.objects.create(
                    entry=entry, applied_on=date.fromisoformat(applied_on), grounds="已履行"
                )
            entries[name] = entry.pk
    finally:
        apps = _migrate(head())

    Entry = apps.get_model("blacklist", "Entry")
    Repair = apps.get_model("blacklist", "RepairApplication")
    pinned = {
        e.name: (e.rule_set.code if e.rule_set else None, e.current.status)
        for e in Entry.objects.filter(pk__in=entries.values()).select_related("rule_set", "current")
    }
    assert pinned == {
        "甲": ("list-rules-2021", "repair_accepted"),
        "乙": ("list-rules-2021", "repair_accepted"),
        "丙": (None, "listed"),  # no notice on record: no day to pin it by
    }
    repairs = {
        r.entry.name: (r.accepted_on, r.rule_set.code)
        for r in Repair.objects.filter(entry_id__in=entries.values()).select_related(
            "entry", "rule_set"
        )
    }
    assert repairs == {
        "甲": (date(2025, 6, 3), "credit-repair-2021"),
        "乙": (date(2026, 1, 5), "order-107"),
    }
