"""The public form costs what the JSON API costs, plus the session: the reference
rows (regions, taxonomy, platforms) come from the kept lookups, and the email is
rendered from what the request already holds."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import Complaint
from registry.models import ViolationCategory
from tests.complaints.test_public_pages import form_data

pytestmark = pytest.mark.django_db


def statements(captured) -> list[str]:
    """What the request asked of the database, without the test's savepoints."""
    return [q["sql"] for q in captured if "SAVEPOINT" not in q["sql"]]


def rereads(sql: list[str]) -> list[str]:
    """Reads of the case, its clocks or its timeline: what the request already holds."""
    tables = (
        'FROM "complaints_complaint"',
        'FROM "portal_deadline"',
        'FROM "complaints_caseevent"',
    )
    return [q for q in sql if q.startswith("SELECT") and any(t in q for t in tables)]


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0)
def test_a_form_post_makes_at_most_the_apis_queries_plus_the_sessions(
    client, world, django_capture_on_commit_callbacks
):
    cache.clear()
    # A first submission of each kind fills the kept reference rows, as a running
    # server has them.
    client.post(reverse("complaints:new"), form_data(client, world, contact_phone="13800000009"))
    body = {
        "kind": "complaint",
        "category": "consumer-dispute",
        "platform": world.platform.uscc,
        "live_room_account": world.room.account_id,
        "description": "直播间承诺七天无理由退货，收货后拒绝退货。",
        "consumer_region": "330106",
        "contact_name": "陈女士",
        "contact_email": "chen@example.com",
    }
    client.post("/api/v1/complaints/", dict(body, contact_phone="13800000008"), "application/json")
    data = form_data(client, world)
    mail.outbox.clear()

    with (
        CaptureQueriesContext(connection) as form,
        django_capture_on_commit_callbacks(execute=True),
    ):
        page = client.post(reverse("complaints:new"), data)
    with CaptureQueriesContext(connection) as api, django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/api/v1/complaints/", dict(body, contact_phone="13800000002"), "application/json"
        )

    assert (page.status_code, answer.status_code) == (302, 201)
    assert len(mail.outbox) == 2  # both owed an email, and both sent it in the request
    assert Complaint.objects.count() == 4
    assert len(statements(form)) <= len(statements(api)) + 2, statements(form)
    # The confirmation email is rendered from the case the request holds.
    newest = list(Complaint.objects.order_by("-pk")[:2])
    assert [
        newest[1].tracking_code in mail.outbox[0].body,
        newest[0].tracking_code in mail.outbox[1].body,
    ] == [True, True]
    duplicates_check = [q for q in rereads(statements(api)) if "contact_phone" in q]
    assert rereads(statements(api)) == duplicates_check  # only the duplicate lookup


def test_the_kept_empty_form_shows_a_category_added_since(client, world):
    before = client.get(reverse("complaints:new"), HTTP_ACCEPT_LANGUAGE="en").text
    ViolationCategory.objects.create(code="test-new-kind", name="新增类别", name_en="A new kind")
    after = client.get(reverse("complaints:new"), HTTP_ACCEPT_LANGUAGE="en").text
    zh = client.get(reverse("complaints:new"), HTTP_ACCEPT_LANGUAGE="zh-hans").text

    assert "A new kind" not in before
    assert "A new kind" in after
    assert "新增类别" in zh and "What happened, in your words" not in zh
