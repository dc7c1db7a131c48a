"""The public intake refuses an address that files too often (abuse control without
a third-party captcha), on the local-memory cache and on Redis alike."""

import os

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from complaints.api.throttling import PublicRateThrottle
from complaints.models import Complaint

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL", "")


def body(world, n: int) -> dict:
    return {
        "kind": "report",
        "category": "consumer-dispute",
        "platform": world.platform.uscc,
        "description": f"直播间虚假宣传（{n}）",
        "consumer_region": "330106",
        "anonymous": True,
    }


def file_three_then_one_elsewhere(world):
    cache.clear()
    api = APIClient()
    codes = [
        api.post(
            "/api/v1/complaints/", body(world, n), format="json", REMOTE_ADDR="203.0.113.7"
        ).status_code
        for n in range(3)
    ]
    elsewhere = api.post(
        "/api/v1/complaints/", body(world, 3), format="json", REMOTE_ADDR="203.0.113.8"
    ).status_code
    return codes, elsewhere


@pytest.fixture
def two_a_minute(monkeypatch):
    monkeypatch.setattr(
        PublicRateThrottle,
        "THROTTLE_RATES",
        {**PublicRateThrottle.THROTTLE_RATES, "complaint-intake": "2/min"},
    )


def test_third_submission_in_a_minute_from_one_address_is_refused(world, two_a_minute):
    codes, elsewhere = file_three_then_one_elsewhere(world)

    assert codes == [201, 201, 429]
    assert elsewhere == 201
    assert Complaint.objects.count() == 3


@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: no Redis to test against")
def test_the_same_on_redis(world, two_a_minute):
    redis_cache = {
        "default": {
            "BACKEND": "portal.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    with override_settings(CACHES=redis_cache):
        codes, elsewhere = file_three_then_one_elsewhere(world)
        cache.clear()

    assert codes == [201, 201, 429]
    assert elsewhere == 201


# Nothing listens on port 6399: every connection is refused at once.
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "portal.cache.FailOpenRedisCache",
        "LOCATION": "redis://127.0.0.1:6399/0",
    }
}


def test_intake_is_kept_when_the_throttle_cache_is_unreachable(world, two_a_minute, caplog):
    import portal.cache

    portal.cache.faults.reset()
    api = APIClient()
    with override_settings(CACHES=UNREACHABLE_REDIS), caplog.at_level("WARNING"):
        responses = [
            api.post(
                "/api/v1/complaints/", body(world, n), format="json", REMOTE_ADDR="203.0.113.9"
            )
            for n in range(3)
        ]

    # Fails open: more than the rate, since nothing could be counted; no 500.
    assert [r.status_code for r in responses] == [201, 201, 201]
    assert Complaint.objects.count() == 3
    codes = {r.json()["tracking_code"] for r in responses}
    assert set(Complaint.objects.values_list("tracking_code", flat=True)) == codes
    # Logged once, not once per call (at most once a minute, portal/cache.py).
    warnings = [r for r in caplog.records if r.name == "portal.cache"]
    assert len(warnings) == 1
    assert "unreachable (ConnectionError during" in warnings[0].getMessage()


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0)
def test_public_form_is_kept_when_the_rate_limit_cache_is_unreachable(client, world):
    from django.urls import reverse

    from .test_public_pages import form_data

    data = form_data(client, world)
    with override_settings(CACHES=UNREACHABLE_REDIS):
        page = client.post(reverse("complaints:new"), data)

    assert page.status_code == 302
    assert page["Location"].endswith(f"/{Complaint.objects.get().tracking_code}/")
