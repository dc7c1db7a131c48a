"""What one intake writes (in one statement on PostgreSQL, through the ORM elsewhere):
the case, its decision clock, its public timeline line and the two audit events,
all naming the case; and the duplicate flag for a second case of the same person."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from complaints.models import CaseEvent, Complaint
from portal.audit import events_for
from portal.models import Deadline

pytestmark = pytest.mark.django_db


def post(world, **overrides):
    body = {
        "kind": "complaint",
        "category": "consumer-dispute",
        "platform": world.platform.uscc,
        "live_room_account": world.room.account_id,
        "description": "承诺七天无理由退货，收货后拒绝退货。",
        "consumer_region": "330106",
        "contact_name": "陈女士",
        "contact_phone": "138 0000 0001",
        "contact_email": "Chen@Example.com",
    }
    body.update(overrides)
    cache.clear()
    response = APIClient().post(
        "/api/v1/complaints/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_intake_writes_the_case_its_clock_timeline_line_and_audit(world):
    answer = post(world)

    case = Complaint.objects.get(tracking_code=answer["tracking_code"])
    assert case.live_room == world.room
    assert case.department == world.departments["xihu_market"]  # the operator's business place
    assert case.contact_phone == "13800000001"
    assert case.contact_email == "chen@example.com"
    assert case.possible_duplicate_of is None

    clock = Deadline.objects.for_object(case).get()
    assert clock.clock == "complaint-accept"
    assert clock.state == Deadline.State.RUNNING
    assert answer["decision_due"] == clock.due_on.isoformat()

    line = CaseEvent.objects.get(complaint=case)
    assert line.public and line.action == "received"
    assert world.departments["xihu_market"].name in line.message
    assert line.data == {"basis": case.routing_basis, "triage": False}

    audit = {e.action: e for e in events_for(case)}
    assert set(audit) == {"deadline.started", "complaint.received"}
    assert audit["deadline.started"].data == {
        "clock": "complaint-accept",
        "due_on": clock.due_on.isoformat(),
        "provisional": clock.provisional,
    }
    assert audit["complaint.received"].reason == line.message
    assert {e.object_repr for e in audit.values()} == {case.tracking_code}


def test_second_case_of_the_same_person_and_room_is_flagged_by_phone_or_email(world):
    first = post(world)
    by_phone = post(world, contact_email="")
    by_email = post(world, contact_phone="13900000009", contact_email="CHEN@example.com")
    other_person = post(world, contact_phone="13900000008", contact_email="li@example.com")

    original = Complaint.objects.get(tracking_code=first["tracking_code"])
    for answer in (by_phone, by_email):
        case = Complaint.objects.get(tracking_code=answer["tracking_code"])
        assert case.possible_duplicate_of == original
    other = Complaint.objects.get(tracking_code=other_person["tracking_code"])
    assert other.possible_duplicate_of is None
