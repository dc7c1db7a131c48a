"""The upgrade that finds cases by the keyed hash of the consumer's phone: cases
filed before it get their hash, so the search box and the duplicate check still
find them; a case with no phone gets none."""

import pytest

from complaints.models import Complaint
from portal.identity import phone_hash
from tests.migrator import head as _head
from tests.migrator import migrate as _migrate
from tests.migrator import old_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("complaints", "0019_extension_requests_indexed")]


def test_cases_on_file_get_the_hash_of_their_phone():
    apps = _migrate(BEFORE)
    try:
        Category = apps.get_model("registry", "ViolationCategory")
        OldComplaint = apps.get_model("complaints", "Complaint")
        world = old_world(apps, "339907", region="散列区", department="散列局", platform="散列平台")
        for code, phone in (("UPGRADEPHN01", "13912345678"), ("UPGRADEPHN02", "")):
            OldComplaint.objects.create(
                tracking_code=code,
                kind="complaint",
                category=Category.objects.order_by("pk").first(),
                description="描述",
                consumer_region=world.region,
                department=world.department,
                region=world.region,
                contact_phone=phone,
                contact_email="" if phone else "upgrade@example.com",
                language="zh-hans",
            )
    finally:
        _migrate(_head())

    hashes = dict(
        Complaint.objects.filter(tracking_code__startswith="UPGRADEPHN").values_list(
            "tracking_code", "contact_phone_hash"
        )
    )
    assert hashes == {"UPGRADEPHN01": phone_hash("13912345678"), "UPGRADEPHN02": ""}
    assert len(hashes["UPGRADEPHN01"]) == 64
