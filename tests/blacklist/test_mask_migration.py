"""Migration 0009: names published before masks had one width are masked again,
so that no stored entry tells the length of a person's name; organisations'
names stay whole."""

import pytest

from blacklist.models import Entry
from tests.migrator import head
from tests.migrator import migrate as _migrate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_stored_masked_names_are_masked_at_one_width():
    apps = _migrate([("blacklist", "0008_sealed_free_text")])
    try:
        Region = apps.get_model("accounts", "Region")
        Department = apps.get_model("accounts", "Department")
        Category = apps.get_model("registry", "ViolationCategory")
        OldEntry = apps.get_model("blacklist", "Entry")
        region = Region.objects.create(code="339905", name="掩码区", level=3, path="/339905/")
        department = Department.objects.create(name="掩码局", type="market", region=region)
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
