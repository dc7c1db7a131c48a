"""The complaints API: public intake and tracking, scoped staff endpoints, platform keys."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.services import api_key_issue
from complaints.models import Complaint
from complaints.services.forwards import complaint_forward
from complaints.services.workflow import complaint_accept, complaint_assign
from tests.factories import PlatformFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    cache.clear()
    return APIClient()


def intake(world, **overrides):
    body = {
        "kind": "complaint",
        "category": "consumer-dispute",
        "platform": world.platform.uscc,
        "live_room_account": world.room.account_id,
        "description": "承诺七天无理由退货，收货后拒绝退货。",
        "consumer_region": "330106",
        "contact_name": "陈女士",
        "contact_phone": "13800000001",
    }
    body.update(overrides)
    return body


def test_anonymous_intake_answers_201_with_code_and_due_date(api, world):
    response = api.post("/api/v1/complaints/", intake(world), format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) >= {
        "tracking_code",
        "kind",
        "status",
        "received_at",
        "decision_due",
        "department",
    }
    assert body["status"] == "received"
    assert body["department"] == world.departments["xihu_market"].name
    assert Complaint.objects.get().tracking_code == body["tracking_code"]


def test_bad_intake_answers_400_with_field_messages_and_saves_nothing(api, world):
    response = api.post(
        "/api/v1/complaints/",
        intake(world, category="no-such-code", consumer_region="999999", contact_phone="1"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert {"category", "consumer_region", "contact_phone"} <= set(response.json())
    assert not Complaint.objects.exists()


def test_track_answers_404_for_any_mismatch(api, world):
    code = api.post("/api/v1/complaints/", intake(world), format="json").json()["tracking_code"]

    ok = api.get("/api/v1/complaints/track/", {"code": code, "contact": "13800000001"})
    wrong_contact = api.get("/api/v1/complaints/track/", {"code": code, "contact": "13900000000"})
    no_code = api.get("/api/v1/complaints/track/", {"code": "LM0", "contact": "13800000001"})

    assert ok.status_code == 200
    assert ok.json()["events"][0]["action"] == "received"
    assert ok.json()["deadlines"][0]["clock"] == "complaint-accept"
    assert (wrong_contact.status_code, no_code.status_code) == (404, 404)


def test_staff_list_is_scoped_and_out_of_scope_detail_is_404(api, world, file_case):
    case = file_case()
    stranger = UserFactory(department=world.departments["gd_market"], role="handler")

    api.force_authenticate(world.handler)
    mine = api.get("/api/v1/complaints/cases/?queue=all")
    api.force_authenticate(stranger)
    theirs = api.get("/api/v1/complaints/cases/?queue=all")
    detail = api.get(f"/api/v1/complaints/cases/{case.pk}/")
    act = api.post(f"/api/v1/complaints/cases/{case.pk}/accept/", {}, format="json")

    assert [c["tracking_code"] for c in mine.json()["results"]] == [case.tracking_code]
    assert theirs.json()["results"] == []
    assert (detail.status_code, act.status_code) == (404, 404)


def test_queue_filters_apply(api, world, file_case):
    complaint = file_case()
    report = file_case(kind="report", category="false-information", contact_phone="13911111111")
    complaint_assign(complaint=complaint, actor=world.handler, assignee=world.handler)
    api.force_authenticate(world.handler)

    mine = api.get("/api/v1/complaints/cases/", {"queue": "mine"}).json()["results"]
    reports = api.get("/api/v1/complaints/cases/", {"queue": "all", "kind": "report"}).json()[
        "results"
    ]
    unassigned = api.get("/api/v1/complaints/cases/", {"queue": "unassigned"}).json()["results"]

    assert [c["id"] for c in mine] == [complaint.pk]
    assert [c["id"] for c in reports] == [report.pk]
    assert [c["id"] for c in unassigned] == [report.pk]


def test_workflow_through_the_api(api, world, file_case):
    case = file_case()
    api.force_authenticate(world.handler)
    base = f"/api/v1/complaints/cases/{case.pk}"

    assert api.post(f"{base}/take/", {}, format="json").status_code == 200
    accepted = api.post(f"{base}/accept/", {"message": "予以受理"}, format="json")
    bad = api.post(
        f"{base}/forward/", {"working_days": 0}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    forwarded = api.post(
        f"{base}/forward/", {"message": "请处理", "working_days": 5}, format="json"
    )

    assert accepted.json()["status"] == "accepted"
    assert bad.status_code == 400 and {"message", "working_days"} <= set(bad.json())
    assert forwarded.json()["status"] == "forwarded"
    assert "close" in forwarded.json()["allowed_actions"]


def test_action_the_state_forbids_answers_403(api, world, file_case):
    case = file_case()
    api.force_authenticate(world.handler)
    api.post(f"/api/v1/complaints/cases/{case.pk}/take/", {}, format="json")

    response = api.post(
        f"/api/v1/complaints/cases/{case.pk}/close/",
        {"outcome": "other", "outcome_text": "x"},
        format="json",
    )

    assert response.status_code == 403
    assert Complaint.objects.get().status == "received"


def test_platform_key_sees_and_answers_only_its_own_forwards(api, world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    complaint_accept(complaint=case, actor=world.handler)
    forward = complaint_forward(complaint=case, actor=world.handler, message="请处理")
    _key, own = api_key_issue(platform=world.platform, name="erp", actor=None)
    _key, other = api_key_issue(
        platform=PlatformFactory(domicile=world.regions["tianhe"]), name="erp", actor=None
    )

    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {other}")
    assert api.get("/api/v1/forwards/").json()["results"] == []
    assert api.get(f"/api/v1/forwards/{forward.pk}/").status_code == 404
    assert (
        api.post(
            f"/api/v1/forwards/{forward.pk}/answer/", {"answer": "x"}, format="json"
        ).status_code
        == 404
    )
    assert api.get("/api/v1/complaints/cases/").status_code == 403

    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {own}")
    listed = api.get("/api/v1/forwards/").json()["results"]
    answered = api.post(
        f"/api/v1/forwards/{forward.pk}/answer/", {"answer": "已退款"}, format="json"
    )

    assert [f["tracking_code"] for f in listed] == [case.tracking_code]
    assert answered.status_code == 200
    assert Complaint.objects.get().status == "accepted"


def test_revoked_or_unknown_key_is_refused(api, world):
    from accounts.services import api_key_revoke

    key, raw = api_key_issue(platform=world.platform, name="erp", actor=None)
    api_key_revoke(key=key, actor=None)

    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert api.get("/api/v1/forwards/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Api-Key lmp_nonsense")
    assert api.get("/api/v1/forwards/").status_code == 401


ROLES = ["handler", "other_handler", "supervisor", "dept_admin", "officer", "outsider", "anonymous"]
# What each role may do to an unassigned new complaint of the handler's department.
EXPECTED = {
    ("take", "handler"): 200,
    ("take", "other_handler"): 200,
    ("take", "supervisor"): 200,
    ("assign", "supervisor"): 200,
    ("note", "handler"): 200,
    ("note", "other_handler"): 200,
    ("note", "supervisor"): 200,
    ("accept", "supervisor"): 200,
}
ACTIONS = {
    "take": {},
    "assign": None,  # filled with the handler's id
    "accept": {"message": ""},
    "note": {"message": "记录", "public": False},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_action_matrix(api, world, file_case, role, action):
    case = file_case()
    users = {
        "handler": world.handler,
        "other_handler": world.other_handler,
        "supervisor": world.supervisor,
        "dept_admin": world.dept_admin,
        "officer": world.officer,
        "outsider": UserFactory(department=world.departments["gd_market"], role="supervisor"),
    }
    if role != "anonymous":
        api.force_authenticate(users[role])
    body = ACTIONS[action] if ACTIONS[action] is not None else {"assignee": world.handler.pk}

    response = api.post(f"/api/v1/complaints/cases/{case.pk}/{action}/", body, format="json")

    if role == "anonymous":
        expected = 401
    elif role in ("officer",):
        expected = 403  # no staff permission at all
    elif role == "outsider":
        expected = 404  # the case is out of their scope
    else:
        expected = EXPECTED.get((action, role), 403)
    assert response.status_code == expected


def test_staff_token_authenticates_the_scoped_api(api, world, file_case):
    from django.core.management import call_command

    case = file_case()
    call_command("drf_create_token", world.handler.username, verbosity=0)
    from rest_framework.authtoken.models import Token

    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=world.handler).key}")
    listed = api.get("/api/v1/complaints/cases/?queue=all")

    assert [c["id"] for c in listed.json()["results"]] == [case.pk]


def test_assign_answers_alike_for_an_unknown_id_and_anyone_not_a_handler_here(
    api, world, file_case
):
    """The assign action never tells whether a user id exists: an unknown id, a
    handler of another department and a platform officer get the same 400."""
    case = file_case()
    api.force_authenticate(world.supervisor)
    elsewhere = UserFactory(department=world.departments["gd_market"], role="handler")
    unknown = elsewhere.pk + 1000

    answers = [
        api.post(f"/api/v1/complaints/cases/{case.pk}/assign/", {"assignee": pk}, format="json")
        for pk in (unknown, elsewhere.pk, world.officer.pk)
    ]

    assert [a.status_code for a in answers] == [400, 400, 400]
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert "assignee" in str(answers[0].json())
    case.refresh_from_db()
    assert case.assignee_id is None
