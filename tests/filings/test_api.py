"""The filings API with platform keys: filing one or a batch, duplicates, scoping."""

import pytest
from rest_framework.test import APIClient

from filings.models import DisposalFiling
from filings.services.filings import filing_submit, filing_submit_batch
from tests.filings.conftest import item

pytestmark = pytest.mark.django_db


def key_client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


def test_file_one_then_the_same_again(platforms):
    client = key_client(platforms.raw_a)
    first = client.post("/api/v1/filings/", item(1), format="json")
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "created"
    filing = first.json()["filing"]
    assert filing["platform"] == platforms.a.uscc
    assert filing["party_id_number"].count("*") == 8
    assert {r["reason"] for r in filing["recipients"]} == {"domicile"}
    again = client.post("/api/v1/filings/", item(1, facts="changed"), format="json")
    assert again.status_code == 200
    assert again.json()["status"] == "duplicate"
    assert again.json()["filing"]["id"] == filing["id"]
    assert DisposalFiling.objects.count() == 1


def test_an_invalid_filing_answers_400_with_field_errors(platforms):
    response = key_client(platforms.raw_a).post(
        "/api/v1/filings/", item(1, external_id="bad id!"), format="json"
    )
    assert response.status_code == 400
    assert "external_id" in response.json()["errors"]


def test_an_identity_number_of_an_unknown_county_is_a_field_error_not_a_500(platforms):
    # 648150: python-stdnum's table knows 64 (Ningxia) but no county 648150.
    response = key_client(platforms.raw_a).post(
        "/api/v1/filings/",
        item(1, party_id_number="648150120601010000"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "division code" in response.json()["errors"]["party_id_number"][0]


def test_a_moment_that_does_not_exist_is_a_field_error_not_a_500(platforms):
    """30 February and month 13 are well formed but no moment: the item's error."""
    batch = {
        "items": [
            item(1, conduct_at="2026-02-30T10:00:00+08:00"),
            item(2, acted_at="2026-13-01T00:00:00"),
            item(3),
        ]
    }
    response = key_client(platforms.raw_a).post(
        "/api/v1/filings/batch/", batch, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["invalid", "invalid", "created"]
    assert "ISO 8601" in results[0]["errors"]["conduct_at"][0]
    assert "ISO 8601" in results[1]["errors"]["acted_at"][0]


def test_a_nul_character_is_the_items_field_error_and_the_others_go_in(platforms):
    batch = {
        "items": [
            item(1, facts="直播\x00中"),
            item(2, evidence_links=["https://evidence.example.com/\x00.mp4"]),
            item(3),
        ]
    }
    response = key_client(platforms.raw_a).post(
        "/api/v1/filings/batch/", batch, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["invalid", "invalid", "created"]
    assert "NUL" in results[0]["errors"]["facts"][0]
    assert "evidence_links" in results[1]["errors"]
    assert DisposalFiling.objects.count() == 1


def test_batch_answers_per_item_and_twice_creates_nothing(platforms):
    client = key_client(platforms.raw_a)
    batch = {"items": [item(1), item(2, category="nope"), item(3), item(1)]}
    first = client.post("/api/v1/filings/batch/", batch, format="json")
    assert first.status_code == 200
    body = first.json()
    assert (body["created"], body["duplicate"], body["invalid"]) == (2, 1, 1)
    assert [r["status"] for r in body["results"]] == ["created", "invalid", "created", "duplicate"]
    assert "category" in body["results"][1]["errors"]
    second = client.post("/api/v1/filings/batch/", batch, format="json").json()
    assert (second["created"], second["duplicate"], second["invalid"]) == (0, 3, 1)
    assert DisposalFiling.objects.count() == 2


def test_a_batch_of_more_than_1000_is_refused(platforms):
    response = key_client(platforms.raw_a).post(
        "/api/v1/filings/batch/", [item(n) for n in range(1001)], format="json"
    )
    assert response.status_code == 400
    assert DisposalFiling.objects.count() == 0


def test_platform_as_key_never_sees_platform_bs_filings(platforms):
    mine = filing_submit(
        platform=platforms.a, item=item(1), channel="api", actor=platforms.officer_a
    )
    theirs = filing_submit(
        platform=platforms.b, item=item(1), channel="api", actor=platforms.officer_b
    )
    client = key_client(platforms.raw_a)
    listed = client.get("/api/v1/filings/").json()["results"]
    assert [f["id"] for f in listed] == [mine.id]
    assert client.get(f"/api/v1/filings/{mine.id}/").status_code == 200
    assert client.get(f"/api/v1/filings/{theirs.id}/").status_code == 404
    b = key_client(platforms.raw_b)
    assert b.get(f"/api/v1/filings/{mine.id}/").status_code == 404


@pytest.mark.parametrize(
    ("user", "sees"),
    [
        ("yuhang_handler", True),  # the recipient
        ("hz_handler", True),  # above it, same type
        ("zj_market_handler", True),
        ("zj_cyber_handler", True),  # the cyberspace recipient
        ("xihu_handler", False),  # a sibling county
        ("gd_handler", False),  # another province
    ],
)
def test_staff_see_the_filings_that_reached_their_jurisdiction(platforms, user, sees):
    result = filing_submit(
        platform=platforms.a, item=item(1), channel="api", actor=platforms.officer_a
    )
    client = APIClient()
    client.force_authenticate(getattr(platforms, user))
    response = client.get(f"/api/v1/filings/{result.id}/")
    assert response.status_code == (200 if sees else 404)


def test_staff_cannot_file(platforms):
    client = APIClient()
    client.force_authenticate(platforms.yuhang_handler)
    assert client.post("/api/v1/filings/", item(1), format="json").status_code == 403


def test_unknown_and_revoked_keys_are_refused(platforms):
    from accounts.services import api_key_revoke

    assert key_client("lmp_nope").get("/api/v1/filings/").status_code == 401
    api_key_revoke(key=platforms.key_a, actor=None)
    assert key_client(platforms.raw_a).get("/api/v1/filings/").status_code == 401


def test_filter_by_measure(platforms):
    filing_submit_batch(
        platform=platforms.a,
        items=[item(1, measures=["traffic_limit"]), item(2, measures=["warning"])],
        channel="api",
        actor=platforms.officer_a,
    )
    client = key_client(platforms.raw_a)
    found = client.get("/api/v1/filings/?measure=traffic_limit").json()["results"]
    assert [f["external_id"] for f in found] == ["XH-000001"]


def test_the_schema_documents_every_endpoint_with_examples(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path, method in [
        ("/api/v1/filings/", "post"),
        ("/api/v1/filings/", "get"),
        ("/api/v1/filings/batch/", "post"),
        ("/api/v1/filings/{id}/", "get"),
        ("/api/v1/notices/", "get"),
        ("/api/v1/notices/{id}/", "get"),
        ("/api/v1/notices/{id}/reply/", "post"),
        ("/api/v1/rosters/", "post"),
        ("/api/v1/rosters/", "get"),
        ("/api/v1/rosters/{id}/", "get"),
    ]:
        assert method in paths[path], (path, method)
    for path in ("/api/v1/filings/", "/api/v1/filings/batch/", "/api/v1/rosters/"):
        body = paths[path]["post"]["requestBody"]["content"]["application/json"]
        assert body.get("examples"), path
    assert "platformApiKey" in schema["components"]["securitySchemes"]


def test_the_docs_page_is_served_from_static(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
