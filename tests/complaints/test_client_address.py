"""Limits count by the client's address as the trusted proxies saw it
(portal.clients.client_address, TRUSTED_PROXY_HOPS): a client cannot escape a
limit by writing its own X-Forwarded-For, and behind nginx two consumers do not
share one bucket. The API throttles (DRF) and the pages' limits
(django-ratelimit) alike."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from complaints.api.throttling import PublicRateThrottle
from complaints.models import Complaint
from portal.clients import client_address

from .test_public_pages import form_data

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # nginx, as gunicorn sees it


@pytest.fixture
def two_a_minute(monkeypatch):
    cache.clear()
    monkeypatch.setattr(
        PublicRateThrottle,
        "THROTTLE_RATES",
        {
            **PublicRateThrottle.THROTTLE_RATES,
            "complaint-track": "2/min",
            "complaint-intake": "2/min",
        },
    )


def guess(api, n: int, **headers):
    return api.get(
        "/api/v1/complaints/track/", {"code": f"LM{n:010d}", "contact": "13800000001"}, **headers
    )


@pytest.mark.parametrize("hops", [0, 1])
def test_rotating_x_forwarded_for_does_not_defeat_the_tracking_code_limit(
    world, two_a_minute, hops
):
    api = APIClient()
    remote = PROXY if hops else "203.0.113.7"
    with override_settings(TRUSTED_PROXY_HOPS=hops):
        codes = [
            guess(
                api,
                n,
                REMOTE_ADDR=remote,
                # What the client wrote, then what nginx appended (hops=1).
                HTTP_X_FORWARDED_FOR=f"192.0.2.{n}" + (", 203.0.113.7" if hops else ""),
            ).status_code
            for n in range(4)
        ]
    assert codes == [404, 404, 429, 429]


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_behind_one_trusted_proxy_two_consumers_have_their_own_api_buckets(world, two_a_minute):
    api = APIClient()

    def track(n, consumer):
        return guess(api, n, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=consumer).status_code

    first = [track(n, "203.0.113.7") for n in range(3)]
    second = [track(n, "198.51.100.20") for n in range(2)]

    assert first == [404, 404, 429]
    assert second == [404, 404]


@override_settings(TRUSTED_PROXY_HOPS=1, COMPLAINT_MIN_FILL_SECONDS=0, COMPLAINT_RATE_LIMIT="1/10m")
def test_behind_one_trusted_proxy_two_consumers_each_file_on_the_form(client, world):
    """django-ratelimit (the form's limit) counts the same address."""
    cache.clear()

    def file(consumer, **headers):
        return client.post(
            reverse("complaints:new"),
            form_data(client, world),
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=consumer,
        ).status_code

    assert file("203.0.113.7") == 302
    assert file("198.51.100.20") == 302  # another consumer, not the same bucket
    assert file("192.0.2.1, 203.0.113.7") == 429  # the first again, whatever it prepends
    assert Complaint.objects.count() == 2


@override_settings(TRUSTED_PROXY_HOPS=0, COMPLAINT_MIN_FILL_SECONDS=0, COMPLAINT_RATE_LIMIT="1/10m")
def test_without_a_proxy_the_form_ignores_x_forwarded_for(client, world):
    cache.clear()

    def file(consumer):
        return client.post(
            reverse("complaints:new"),
            form_data(client, world),
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=consumer,
        ).status_code

    assert [file("192.0.2.1"), file("192.0.2.2")] == [302, 429]


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "203.0.113.7"),
        (1, "", "203.0.113.7"),
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "192.0.2.66, 192.0.2.1", "192.0.2.1"),
        (2, "192.0.2.66, 192.0.2.1, 10.0.0.9", "192.0.2.1"),
        (2, "192.0.2.1", "192.0.2.1"),  # fewer entries than hops: the leftmost is ours
        (1, "not-an-address", "203.0.113.7"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "192.0.2.1:51234", "192.0.2.1"),
    ],
)
def test_client_address_trusts_exactly_the_configured_hops(hops, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(TRUSTED_PROXY_HOPS=hops):
        assert client_address(request) == expected
