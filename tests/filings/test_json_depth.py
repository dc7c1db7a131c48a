"""Deeply nested JSON: a 400 with a clear message, not a 500.

Python's json module recursed once per level and raised RecursionError on
``[[[[…]]]]`` 100,000 deep; the API now reads JSON with orjson, which refuses
anything nested deeper than 1,024 levels before it builds a thing.
"""

import pytest
from django.core.cache import cache

from complaints.models import Complaint
from filings.models import DisposalFiling
from tests.filings.conftest import item

pytestmark = pytest.mark.django_db

DEEP = 100_000
MESSAGE = "The JSON is nested more than 1024 levels deep."


def nested(depth: int, inner: str = "1") -> bytes:
    return ("[" * depth + inner + "]" * depth).encode()


def deep_object(depth: int) -> bytes:
    return ('{"a":' * depth + "1" + "}" * depth).encode()


def message_of(response) -> str:
    """The refusal's message: ``detail``, or the single filing's documented shape."""
    body = response.json()
    return body.get("detail") or body["errors"]["non_field_errors"][0]


ENDPOINTS = [
    ("/api/v1/complaints/", False),  # public intake, no key
    ("/api/v1/filings/", True),
    ("/api/v1/filings/batch/", True),
    ("/api/v1/screening/", True),
]


@pytest.fixture(autouse=True)
def _no_throttle_history():
    cache.clear()


@pytest.mark.parametrize(("path", "with_key"), ENDPOINTS)
@pytest.mark.parametrize("body", [nested(DEEP), deep_object(DEEP), nested(1025)])
def test_json_nested_too_deep_answers_400_with_a_clear_message(
    client, platforms, path, with_key, body
):
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {platforms.raw_a}"} if with_key else {}
    response = client.post(
        path, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **headers
    )

    assert response.status_code == 400, response.content[:300]
    assert message_of(response) == MESSAGE
    assert not Complaint.objects.exists() and not DisposalFiling.objects.exists()


def test_nesting_within_the_limit_is_parsed_and_judged_by_the_endpoint(client, platforms):
    """1,024 levels parse; the batch then says what is wrong with them (not a parse error)."""
    response = client.post(
        "/api/v1/filings/batch/",
        b'{"items": ' + nested(1023) + b"}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {platforms.raw_a}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code in (200, 400)
    assert MESSAGE not in response.content.decode()


def test_other_malformed_json_is_still_a_400_and_good_json_still_files(client, platforms):
    key = {"HTTP_AUTHORIZATION": f"Api-Key {platforms.raw_a}", "HTTP_ACCEPT_LANGUAGE": "en"}
    for body in (b"{", b'{"items": [NaN]}', b'"\\ud800"', b"\xff\xfe"):
        response = client.post(
            "/api/v1/filings/batch/", body, content_type="application/json", **key
        )
        assert response.status_code == 400, body
        assert "JSON parse error" in response.json()["detail"]
    filed = client.post("/api/v1/filings/", item(1), content_type="application/json", **key)
    assert filed.status_code == 201
    assert DisposalFiling.objects.count() == 1


def test_the_refusal_is_in_chinese_by_default(client):
    response = client.post("/api/v1/complaints/", nested(DEEP), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "JSON 嵌套层级超过 1024 层，不予受理。"
