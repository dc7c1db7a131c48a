"""Migration 0009: names published before masks had one width are masked again,
so that no stored entry tells the length of a person's name; organisations'
names stay whole."""

import pytest

from blacklist.models import Entry
from tests.migrator import head, old_world
from tests.migrator import migrate as _migrate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_stored_masked_names_are_masked_at_one_width():
    apps = _migrate([("blacklist", "0008_sealed_free_text")])
    try:
        Category = apps.get_model("registry", "ViolationCategory")
        OldEntry = apps.get_model("blacklist", "Entry")
        world = old_world(apps, "339905", region="掩码区", department="掩码局")
        department = world.department
        category = Category.objects.order_by("pk").first()
        for kind, name, masked in (
            ("person", "张伟", "张*"),
            ("sole_trader", "欧阳娜娜", "欧***"),
            ("organisation", "杭州某某优品电子商务有限公司", "杭州某某优品电子商务有限公司"),
        ):
            OldEntry.objects.create(
                list="departments",
                reference=f"M-{masked}",
                party_kind=kind,
                name=name,
                name_masked=masked,
                uscc="91330106MA2B3C4D5E",
                department=department,
                category=category,
                facts="事实",
                legal_basis="依据",
                term_months=36,
            )
    finally:
        _migrate(head())

    assert dict(Entry.objects.values_list("name", "name_masked")) == {
        "张伟": "张**",
        "欧阳娜娜": "欧**",
        "杭州某某优品电子商务有限公司": "杭州某某优品电子商务有限公司",
    }
