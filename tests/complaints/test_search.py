"""The case list's search box (``?q=``): each kind of match, scoped as the list is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import Complaint
from portal.identity import phone_hash
from portal.search import MAX_QUERY_LENGTH
from tests.factories import LiveRoomFactory, OperatorFactory

pytestmark = pytest.mark.django_db


def found(client, q, **params):
    response = client.get(reverse("complaints:list"), {"queue": "all", "q": q, **params})
    assert response.status_code == 200, response.status_code
    return {c.tracking_code for c in response.context["page"].object_list}


@pytest.fixture
def cases(world, file_case):
    diabetes = file_case(
        description="主播宣称治疗糖尿病功效，实为普通食品。",
        contact_name="王建国",
        contact_phone="139 1234 5678",
        order_number="DD20260101001",
    )
    refund = file_case(
        description="承诺七天无理由退货，收货后拒绝退货。",
        live_room_name="好物推荐直播间",
        contact_phone="13800000002",
    )
    return diabetes, refund


@pytest.mark.parametrize(
    ("q", "which"),
    [
        ("糖尿病", {0}),  # a word inside the description
        ("治疗糖尿病", {0}),
        ("七天无理由", {1}),
        ("王建国", {0}),  # the consumer's name
        ("建国", set()),  # two characters: whole names only, not inside them
        ("13912345678", {0}),  # the phone, as intake stores it
        ("139-1234-5678", {0}),
        ("+86 139 1234 5678", {0}),
        ("DD20260101001", {0}),  # the order number
        ("好物推荐", {1}),  # the live room's name
        ("room-1", {0, 1}),  # the live room's account
        ("糖尿病 王建国", {0}),  # every word must match
        ("糖尿病 退货", set()),
        ("不存在的词", set()),
    ],
)
def test_each_kind_of_match(client, world, cases, q, which):
    client.force_login(world.handler)
    assert found(client, q) == {cases[i].tracking_code for i in which}


def test_tracking_code_exactly_and_in_any_case(client, world, cases):
    client.force_login(world.handler)
    code = cases[0].tracking_code
    assert found(client, code) == {code}
    assert found(client, code.lower()) == {code}
    assert found(client, code[:-1]) == set()


def test_a_phone_or_a_tracking_code_finds_its_case_not_prose_quoting_it(
    client, world, cases, file_case
):
    code = cases[0].tracking_code
    quoting = file_case(description=f"商家电话 13912345678，另见投诉 {code} 的处理。")
    client.force_login(world.handler)

    assert found(client, code) == {code}
    assert found(client, "139 1234 5678") == {code}
    assert found(client, "商家电话") == {quoting.tracking_code}


def test_a_case_of_another_department_is_not_found(client, world, file_case):
    room = LiveRoomFactory(
        platform=world.platform,
        account_id="room-yuhang",
        operator=OperatorFactory(business_region=world.regions["yuhang"]),
    )
    other = file_case(description="宣称治疗糖尿病功效的保健品。", live_room_account=room.account_id)
    assert other.department == world.departments["yuhang_market"]
    client.force_login(world.handler)
    assert found(client, "糖尿病") == set()
    assert found(client, other.tracking_code) == set()


def test_search_keeps_the_queue_and_the_filters(client, world, cases):
    client.force_login(world.handler)
    Complaint.objects.filter(pk=cases[0].pk).update(status=Complaint.Status.CLOSED)
    assert found(client, "糖尿病", queue="open") == set()
    assert found(client, "糖尿病", kind="report") == set()
    assert found(client, "糖尿病", kind="complaint") == {cases[0].tracking_code}


def test_empty_q_is_the_whole_list(client, world, cases):
    client.force_login(world.handler)
    assert found(client, "") == {c.tracking_code for c in cases}
    assert found(client, "   ") == {c.tracking_code for c in cases}


def test_a_too_long_q_is_refused_with_a_message(client, world, cases):
    client.force_login(world.handler)
    response = client.get(
        reverse("complaints:list"), {"queue": "all", "q": "糖" * (MAX_QUERY_LENGTH + 1)}
    )
    assert response.status_code == 400
    assert list(response.context["page"].object_list) == []
    assert "error-message" in response.text


def test_the_header_has_the_search_box_for_staff_only(client, world):
    client.force_login(world.handler)
    page = client.get(reverse("home")).text
    assert 'id="header-search"' in page
    client.force_login(world.officer)
    assert 'id="header-search"' not in client.get(reverse("home")).text


def test_the_export_is_searched_too(client, world, cases):
    client.force_login(world.handler)
    response = client.get(reverse("complaints:export"), {"queue": "all", "q": "糖尿病"})
    text = b"".join(response.streaming_content).decode()
    assert cases[0].tracking_code in text
    assert cases[1].tracking_code not in text


def test_a_phone_is_looked_up_by_its_keyed_hash_never_by_the_number(client, world, cases):
    client.force_login(world.handler)
    with CaptureQueriesContext(connection) as queries:
        assert found(client, "139 1234 5678") == {cases[0].tracking_code}

    case = Complaint.objects.get(pk=cases[0].pk)
    assert case.contact_phone_hash == phone_hash("13912345678")
    searched = " ".join(q["sql"] for q in queries.captured_queries)
    assert f"\"contact_phone_hash\" = '{case.contact_phone_hash}'" in searched
    assert '"contact_phone" =' not in searched  # the number itself is never looked up
