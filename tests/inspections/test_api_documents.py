"""The inspections API shows the document numbers (文号) of what it lists: the
rectification orders and the clue transfers, with their verification codes, in
the lists and on each record, at a fixed number of queries per page."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from inspections.models import Verification
from inspections.services.clues import clue_transfer
from inspections.services.documents import inspection_document_issue
from inspections.services.inspections import inspection_verify, rectification_report_submit
from portal.documents import document_revoke

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/inspections/rectification-orders/"
CLUES = "/api/v1/clues/"


@pytest.fixture
def key_client(world):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {world.raw_key}")
    return api


@pytest.fixture
def staff_client(world):
    api = APIClient()
    api.force_authenticate(world.handler)
    return api


def _transfer(world, n: int = 0):
    return clue_transfer(
        actor=world.handler,
        to_department=world.departments["zj_cyber"],
        facts=f"直播间发布违法广告内容，涉及多名用户（{n}）。",
        reason="涉及网络信息内容，属网信部门职责。",
    )


def test_an_order_shows_its_number_once_issued_in_the_list_and_on_its_own(
    key_client, world, ordered
):
    order = ordered.rectification_orders.get()
    before = key_client.get(ORDERS).json()["results"][0]

    issued = inspection_document_issue(subject=order, kind="rectification-order")
    [listed] = key_client.get(ORDERS).json()["results"]
    alone = key_client.get(f"{ORDERS}{order.pk}/").json()

    assert before["document_number"] is None and before["documents"] == []
    assert "改〔" in issued.number  # the department's prefix, 改, the year, the sequence
    assert listed["document_number"] == alone["document_number"] == issued.number
    [document] = listed["documents"]
    assert document["number"] == issued.number
    assert document["type"] == "rectification-order"
    assert document["verification_code"] == issued.code
    assert document["verify_url"].endswith(f"/verify/{issued.code}/")
    assert alone["documents"] == listed["documents"]


def test_a_revoked_order_document_has_no_number_in_force(key_client, world, ordered):
    order = ordered.rectification_orders.get()
    issued = inspection_document_issue(subject=order, kind="rectification-order")
    document_revoke(document=issued, actor=world.admin, reason="证书吊销")

    [listed] = key_client.get(ORDERS).json()["results"]

    assert listed["document_number"] is None
    assert listed["documents"][0]["number"] == issued.number
    assert listed["documents"][0]["revoked_at"]


def test_a_transfer_shows_its_letter_number_to_both_departments(client, staff_client, world):
    transfer = _transfer(world)
    letter = staff_client.get(f"{CLUES}{transfer.pk}/").json()["pdf"]
    client.force_login(world.handler)
    fetched = client.get(letter)  # the letter's PDF, issued on first fetch
    receiver = APIClient()
    receiver.force_authenticate(world.cyber)

    [sent] = staff_client.get(f"{CLUES}?box=outbox").json()["results"]
    [received] = receiver.get(f"{CLUES}?box=inbox").json()["results"]
    alone = receiver.get(f"{CLUES}{transfer.pk}/").json()

    assert fetched.status_code == 200 and fetched["Content-Type"] == "application/pdf"
    assert "移〔" in sent["document_number"]
    assert sent["document_number"] == received["document_number"] == alone["document_number"]
    assert sent["documents"][0]["type"] == "transfer-letter"
    assert sent["documents"][0]["verification_code"]


def test_another_platform_sees_no_order_number(world, ordered):
    order = ordered.rectification_orders.get()
    inspection_document_issue(subject=order, kind="rectification-order")
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Api-Key {world.raw_other_key}")

    assert other.get(ORDERS).json()["count"] == 0
    assert other.get(f"{ORDERS}{order.pk}/").status_code == 404


def _queries(client, url: str) -> tuple[int, int]:
    client.get(url)  # an API key records its use at most once a minute: not measured
    ContentType.objects.clear_cache()  # the content types looked up again
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["count"], len(captured.captured_queries)


def _more_orders(world, inspection, until: int) -> None:
    """Report and find the rectification not done until the inspection has
    ``until`` orders, each issued as a document."""
    while inspection.rectification_orders.count() < until:
        rectification_report_submit(actor=world.officer, inspection=inspection, text="已整改")
        inspection_verify(
            actor=world.handler,
            inspection=inspection,
            method=Verification.Method.DOCUMENTS,
            passed=False,
            note="申诉入口未公示",
            new_due_on=date(2099, 1, 31),
        )
        order = inspection.rectification_orders.order_by("-sequence").first()
        inspection_document_issue(subject=order, kind="rectification-order")


def test_the_orders_list_costs_the_same_queries_with_2_rows_as_with_20(
    key_client, staff_client, world, ordered
):
    inspection_document_issue(
        subject=ordered.rectification_orders.get(), kind="rectification-order"
    )
    _more_orders(world, ordered, 2)
    few = (_queries(key_client, ORDERS), _queries(staff_client, ORDERS))
    _more_orders(world, ordered, 20)
    many = (_queries(key_client, ORDERS), _queries(staff_client, ORDERS))
    rows = key_client.get(ORDERS).json()["results"]

    assert [count for count, _ in few] == [2, 2] and [count for count, _ in many] == [20, 20]
    assert [queries for _, queries in many] == [queries for _, queries in few]
    assert all(row["document_number"] for row in rows)
    assert len({row["document_number"] for row in rows}) == 20


def test_the_clues_list_costs_the_same_queries_with_2_rows_as_with_20(staff_client, world):
    def more(until):
        from inspections.models import ClueTransfer

        while ClueTransfer.objects.count() < until:
            transfer = _transfer(world, ClueTransfer.objects.count())
            inspection_document_issue(subject=transfer, kind="transfer-letter")

    more(2)
    few = _queries(staff_client, CLUES)
    more(20)
    many = _queries(staff_client, CLUES)
    rows = staff_client.get(CLUES).json()["results"]

    assert (few[0], many[0]) == (2, 20)
    assert many[1] == few[1]
    assert len({row["document_number"] for row in rows}) == 20
