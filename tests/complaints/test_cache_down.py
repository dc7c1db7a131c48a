"""Nothing fails, and nothing is lost, while the cache (Redis) is unreachable.

The cache is pointed at a port where nothing listens (every connection is
refused at once): a real Redis client on a real socket, nothing mocked. Every
use of the cache fails open (portal/cache.py): the reference data version token,
the dashboard figures, the API throttles and the form's rate limit.
"""

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

import portal.cache
from complaints.models import Complaint, Evidence

from .test_public_pages import PNG, form_data

PASSWORD = "pw-for-tests-2026"  # tests.factories.UserFactory's

pytestmark = pytest.mark.django_db

UNREACHABLE = {
    "default": {
        "BACKEND": "portal.cache.FailOpenRedisCache",
        "LOCATION": "redis://127.0.0.1:6399/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


@pytest.fixture
def cache_down(monkeypatch, caplog):
    """The cache unreachable; every call tries Redis again (no pause between
    tries), so that each use of the cache meets the fault; warnings captured."""
    monkeypatch.setattr(portal.cache, "RETRY_SECONDS", 0.0)
    portal.cache.faults.reset()
    with (
        override_settings(CACHES=UNREACHABLE, STATISTICS_CACHE_SECONDS=300),
        caplog.at_level("WARNING", logger="portal.cache"),
    ):
        yield caplog
    portal.cache.faults.reset()


def cache_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "portal.cache"]


def stored_files(folder="") -> list[str]:
    directories, files = default_storage.listdir(folder)
    found = [f"{folder}{name}" for name in files]
    for directory in directories:
        found += stored_files(f"{folder}{directory}/")
    return found


def api_body(world, n=0) -> dict:
    return {
        "kind": "complaint",
        "category": "consumer-dispute",
        "platform": world.platform.uscc,
        "live_room_account": world.room.account_id,
        "description": f"承诺七天无理由退货，收货后拒绝退货（{n}）。",
        "consumer_region": "330106",
        "contact_name": "陈女士",
        "contact_phone": "13800000001",
    }


def test_the_cache_really_is_unreachable(cache_down):
    """The fixture's premise: a plain cache call meets a refused connection,
    answers as a miss, and says so once."""
    cache.set("probe", 1)
    assert cache.get("probe", "miss") == "miss"
    assert cache.add("probe", 1) is False
    assert cache.get_many(["probe"]) == {}
    [warning] = cache_warnings(cache_down)
    assert "unreachable (ConnectionError during set)" in warning
    assert "127.0.0.1:6399" in warning


def test_intake_and_tracking_by_api_answer_as_usual(cache_down, world):
    api = APIClient()
    responses = [
        api.post("/api/v1/complaints/", api_body(world, n), format="json") for n in range(3)
    ]
    assert [r.status_code for r in responses] == [201, 201, 201]
    codes = {r.json()["tracking_code"] for r in responses}
    assert set(Complaint.objects.values_list("tracking_code", flat=True)) == codes

    tracked = api.get(
        "/api/v1/complaints/track/",
        {"code": responses[0].json()["tracking_code"], "contact": "13800000001"},
    )
    assert tracked.status_code == 200
    assert tracked.json()["events"][0]["action"] == "received"
    # Many failed cache calls (reference token, throttle history), one warning.
    assert len(cache_warnings(cache_down)) == 1


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0)
def test_the_public_form_with_evidence_files_the_case_and_keeps_no_stray_file(
    client, world, cache_down
):
    data = form_data(client, world, evidence=[SimpleUploadedFile("聊天记录.png", PNG)])
    before = stored_files()

    page = client.post(reverse("complaints:new"), data)

    assert page.status_code == 302
    case = Complaint.objects.get()
    assert page["Location"].endswith(f"/{case.tracking_code}/")
    evidence = case.evidence.get()
    assert evidence.content_type == "image/png"
    # The one new file is the case's evidence; no evidence row waits unclaimed.
    assert sorted(set(stored_files()) - set(before)) == [evidence.file.name]
    assert not Evidence.objects.filter(complaint__isnull=True).exists()

    found = client.post(
        reverse("complaints:track"),
        {"code": case.tracking_code, "contact": "13800000001"},
        follow=True,
    )
    assert found.status_code == 200
    assert case.tracking_code in found.text
    assert len(cache_warnings(cache_down)) == 1


def test_staff_sign_in_home_page_and_case_page(client, world, file_case, cache_down):
    case = file_case()

    signed_in = client.post("/login/", {"username": world.handler.username, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(world.handler.pk)

    home = client.get("/")
    assert home.status_code == 200
    assert world.departments["xihu_market"].name in home.text

    page = client.get(reverse("complaints:detail", args=[case.pk]))
    assert page.status_code == 200
    assert case.tracking_code in page.text

    platform_officer = client.__class__()
    platform_officer.force_login(world.officer)
    assert platform_officer.get("/").status_code == 200
    assert len(cache_warnings(cache_down)) == 1


def test_warnings_come_at_most_once_a_minute_per_kind(cache_down, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(portal.cache.time, "monotonic", lambda: clock[0])
    for _ in range(5):
        cache.get("x")
    clock[0] += 61
    cache.get("x")

    warnings = cache_warnings(cache_down)
    assert len(warnings) == 2
    assert "4 more like it in the last minute were not logged" in warnings[1]


def test_after_a_failure_the_cache_is_left_alone_for_a_few_seconds(cache_down, monkeypatch):
    """A Redis that drops packets costs one socket timeout, not one per call."""
    monkeypatch.setattr(portal.cache, "RETRY_SECONDS", 5.0)
    clock = [1000.0]
    monkeypatch.setattr(portal.cache.time, "monotonic", lambda: clock[0])
    tried = []
    get_client = portal.cache.FailOpenRedisCacheClient.get_client

    def counting_get_client(self, key=None, *, write=False):
        tried.append(key)
        return get_client(self, key, write=write)

    monkeypatch.setattr(portal.cache.FailOpenRedisCacheClient, "get_client", counting_get_client)
    cache.get("a")
    cache.get("b")
    clock[0] += 6
    cache.get("c")

    assert len(tried) == 2  # "b" was answered without trying Redis
