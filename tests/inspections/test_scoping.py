"""Who sees what: out of scope answers 404, on pages, PDFs, files and the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from inspections.selectors import (
    campaigns_visible_to,
    clues_visible_to,
    inspections_visible_to,
)
from inspections.services.clues import clue_transfer
from inspections.services.inspections import document_request_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def transfer(world):
    return clue_transfer(
        actor=world.handler,
        to_department=world.departments["zj_cyber"],
        facts="直播间违法内容",
        reason="属网信职责",
    )


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("handler", True),  # the lead department
        ("cyber", True),  # a department taking part
        ("zj_market", True),  # above the lead, same type
        ("xihu", False),  # below the lead
        ("gd", False),  # another province
        ("police", False),
        ("admin", True),
    ],
)
def test_campaign_and_inspection_scope(client, world, requested, who, sees):
    user = getattr(world, who)
    client.force_login(user)

    assert campaigns_visible_to(user).exists() is sees
    assert inspections_visible_to(user).exists() is sees
    if who != "admin":
        status = client.get(reverse("inspections:inspection", args=[requested.pk])).status_code
        assert status == (200 if sees else 404)
        report = client.get(reverse("inspections:report-pdf", args=[requested.pk]))
        assert report.status_code == (200 if sees else 404)


def test_platform_sees_its_inspection_only_once_documents_are_requested(client, world, inspection):
    client.force_login(world.officer)
    url = reverse("inspections:inspection", args=[inspection.pk])

    assert client.get(url).status_code == 404
    document_request_send(actor=world.handler, inspection=inspection, requested="提供")
    assert client.get(url).status_code == 200
    client.force_login(world.other_officer)
    assert client.get(url).status_code == 404


def test_other_platform_cannot_answer_or_download(client, world, requested):
    request = requested.document_requests.get()
    client.force_login(world.other_officer)

    response = client.post(
        reverse("inspections:request-answer", args=[requested.pk, request.pk]),
        {f"request-{request.pk}-answer": "x"},
    )

    assert response.status_code == 404
    assert not type(request).objects.get(pk=request.pk).is_answered


def test_rectification_order_pdf_scope(client, world, ordered):
    order = ordered.rectification_orders.get()
    url = reverse("inspections:order-pdf", args=[order.pk])

    client.force_login(world.officer)
    assert client.get(url).status_code == 200
    client.force_login(world.other_officer)
    assert client.get(url).status_code == 404
    client.force_login(world.gd)
    assert client.get(url).status_code == 404


def test_platform_gets_the_report_only_once_closed(client, world, requested):
    client.force_login(world.officer)

    assert client.get(reverse("inspections:report-pdf", args=[requested.pk])).status_code == 404


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("handler", True),  # sender
        ("cyber", True),  # receiver
        ("zj_market", True),  # above the sender, same type
        ("xihu", False),
        ("gd", False),
        ("police", False),
        ("officer", False),
    ],
)
def test_clue_scope(client, world, transfer, who, sees):
    user = getattr(world, who)
    assert clues_visible_to(user).filter(pk=transfer.pk).exists() is sees
    client.force_login(user)
    page = client.get(reverse("inspections:clue", args=[transfer.pk]))
    letter = client.get(reverse("inspections:clue-letter", args=[transfer.pk]))
    expected = 200 if sees else 404  # a platform officer too: it does not tell the clue exists
    assert page.status_code == expected
    assert letter.status_code == expected


def test_api_key_of_another_platform_answers_404(world, requested):
    request = requested.document_requests.get()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {world.raw_other_key}")

    listed = api.get("/api/v1/inspections/document-requests/")
    detail = api.get(f"/api/v1/inspections/document-requests/{request.pk}/")
    answer = api.post(
        f"/api/v1/inspections/document-requests/{request.pk}/answer/", {"answer": "x"}
    )

    assert listed.status_code == 200 and listed.json()["count"] == 0
    assert detail.status_code == 404
    assert answer.status_code == 404
    assert not type(request).objects.get(pk=request.pk).is_answered


def test_api_clues_out_of_scope_answer_404(world, transfer):
    api = APIClient()
    api.force_authenticate(world.gd)

    assert api.get(f"/api/v1/clues/{transfer.pk}/").status_code == 404
    assert api.post(f"/api/v1/clues/{transfer.pk}/acknowledge/").status_code == 404
