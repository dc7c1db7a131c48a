"""The API: platforms by API key (document requests, rectification), staff on clues."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from inspections.models import ClueStatus
from inspections.services.clues import clue_transfer

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_client(world):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {world.raw_key}")
    return api


def test_platform_lists_its_document_requests_by_api_key(key_client, world, requested):
    response = key_client.get("/api/v1/inspections/document-requests/")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["requested"] == "提供2026年上半年处置记录"
    assert row["state"] == "awaiting" and row["due_on"]
    assert row["platform"] == world.platform.uscc


def test_platform_answers_with_files_by_api_key(key_client, world, requested):
    request = requested.document_requests.get()

    response = key_client.post(
        f"/api/v1/inspections/document-requests/{request.pk}/answer/",
        {"answer": "见附件", "files": [pdf_upload()]},
        format="multipart",
    )
    again = key_client.post(
        f"/api/v1/inspections/document-requests/{request.pk}/answer/",
        {"answer": "再次"},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "answered"
    assert response.json()["files"][0]["content_type"] == "application/pdf"
    assert request.files.get().uploaded_by_label.startswith(world.platform.name)
    assert again.status_code == 409


def test_a_bad_file_is_refused_with_its_reason(key_client, requested):
    from django.core.files.uploadedfile import SimpleUploadedFile

    request = requested.document_requests.get()
    response = key_client.post(
        f"/api/v1/inspections/document-requests/{request.pk}/answer/",
        {"answer": "x", "files": [SimpleUploadedFile("a.pdf", b"not a pdf at all")]},
        format="multipart",
    )

    assert response.status_code == 400
    assert "files" in response.json()


def test_platform_reports_rectification_by_api_key(key_client, world, ordered):
    order = ordered.rectification_orders.get()

    listed = key_client.get("/api/v1/inspections/rectification-orders/")
    response = key_client.post(
        f"/api/v1/inspections/rectification-orders/{order.pk}/report/",
        {"text": "已整改", "files": [pdf_upload("整改报告.pdf")]},
        format="multipart",
    )

    assert listed.json()["results"][0]["items"][0]["code"] == "blacklist-system"
    assert response.status_code == 201, response.content
    assert response.json()["report"]["text"] == "已整改"
    ordered.refresh_from_db()
    assert ordered.status == "rectification_reported"


def test_other_platform_key_sees_no_order(world, ordered):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {world.raw_other_key}")
    order = ordered.rectification_orders.get()

    assert api.get("/api/v1/inspections/rectification-orders/").json()["count"] == 0
    assert (
        api.post(
            f"/api/v1/inspections/rectification-orders/{order.pk}/report/", {"text": "x"}
        ).status_code
        == 404
    )


def test_platform_key_cannot_reach_clues(key_client):
    assert key_client.get("/api/v1/clues/").status_code == 403


def test_staff_send_and_the_receiver_decides(world, findings):
    sender, receiver = APIClient(), APIClient()
    sender.force_authenticate(world.handler)
    receiver.force_authenticate(world.cyber)
    item = findings.items.get(code="blacklist-system")

    created = sender.post(
        "/api/v1/clues/",
        {
            "to_department": world.departments["zj_cyber"].pk,
            "facts": "平台未建立黑名单申诉渠道",
            "reason": "涉及网络信息内容管理",
            "links": [{"kind": "finding", "reference": str(item.pk)}],
        },
        format="json",
    )
    pk = created.json()["id"]
    inbox = receiver.get("/api/v1/clues/?box=inbox").json()
    early = receiver.post(f"/api/v1/clues/{pk}/accept/", {}, format="json")
    by_sender = sender.post(f"/api/v1/clues/{pk}/acknowledge/")
    acknowledged = receiver.post(f"/api/v1/clues/{pk}/acknowledge/")
    accepted = receiver.post(f"/api/v1/clues/{pk}/accept/", {"note": "立案"}, format="json")
    outcome = receiver.post(f"/api/v1/clues/{pk}/outcome/", {"outcome": "已处罚"}, format="json")

    assert created.status_code == 201, created.content
    assert created.json()["links"][0]["kind"] == "inspectionitem"
    assert created.json()["links"][0]["object_id"] == item.pk
    assert [t["id"] for t in inbox["results"]] == [pk]
    assert inbox["results"][0]["allowed_actions"] == ["acknowledge"]
    assert early.status_code == 409
    assert by_sender.status_code == 403
    assert (acknowledged.status_code, accepted.status_code) == (200, 200)
    assert outcome.json()["status"] == ClueStatus.HANDLED
    assert sender.get(f"/api/v1/clues/{pk}/").json()["outcome"] == "已处罚"


def test_return_by_api(world):
    transfer = clue_transfer(
        actor=world.handler,
        to_department=world.departments["zj_cyber"],
        facts="x",
        reason="y",
    )
    receiver = APIClient()
    receiver.force_authenticate(world.cyber)
    receiver.post(f"/api/v1/clues/{transfer.pk}/acknowledge/")

    missing = receiver.post(f"/api/v1/clues/{transfer.pk}/return/", {}, format="json")
    returned = receiver.post(
        f"/api/v1/clues/{transfer.pk}/return/", {"reason": "非本部门职责"}, format="json"
    )

    assert missing.status_code == 400
    assert returned.status_code == 200 and returned.json()["status"] == "returned"


def test_link_out_of_scope_is_refused(world, findings):
    api = APIClient()
    api.force_authenticate(world.gd)
    item = findings.items.first()

    response = api.post(
        "/api/v1/clues/",
        {
            "to_department": world.departments["zj_cyber"].pk,
            "facts": "x",
            "reason": "y",
            "links": [{"kind": "finding", "reference": str(item.pk)}],
        },
        format="json",
    )

    assert response.status_code == 400


def test_schema_documents_the_endpoints():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    paths = schema["paths"]
    assert "/api/v1/inspections/document-requests/{id}/answer/" in paths
    assert "/api/v1/inspections/rectification-orders/{id}/report/" in paths
    for action in ("acknowledge", "accept", "return", "outcome"):
        assert f"/api/v1/clues/{{id}}/{action}/" in paths
