"""What waits for a decision is found in one place: ``/approvals/`` lists it for the
person who may decide, the home page counts it from the same querysets, and the
decision is taken from there."""

import re

import pytest
from django.urls import reverse

from complaints.services.reports import report_request_extension
from complaints.services.workflow import complaint_assign
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def requested(world, file_case):
    case = file_case(kind="report", category="false-information")
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    report_request_extension(complaint=case, actor=world.handler, reason="需现场核查")
    return case


def test_the_head_finds_the_extension_request_and_the_supervisor_does_not(client, world, requested):
    head = UserFactory(department=world.departments["xihu_market"], role="department_head")

    client.force_login(head)
    inbox = client.get(reverse("approvals"), HTTP_ACCEPT_LANGUAGE="en").text
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").text
    client.force_login(world.supervisor)
    supervisors = client.get(reverse("approvals"), HTTP_ACCEPT_LANGUAGE="en").text

    assert requested.tracking_code in inbox
    assert re.search(r'id="waiting-count"[^>]*>1<', home)
    # A report's verification clock is extended by the head (penalty procedure
    # rules Art. 18): the supervisor has nothing to decide here.
    assert requested.tracking_code not in supervisors


def test_once_decided_it_leaves_the_inbox(client, world, requested):
    head = UserFactory(department=world.departments["xihu_market"], role="department_head")
    client.force_login(head)

    client.post(
        reverse("complaints:action", args=[requested.pk, "approve_extension"]),
        {"approve_extension-approve": "1", "approve_extension-message": ""},
    )
    inbox = client.get(reverse("approvals")).text

    requested.refresh_from_db()
    assert requested.extension_state == "approved"
    assert requested.tracking_code not in inbox


def test_another_departments_request_is_not_listed(client, world, requested, departments):
    other_head = UserFactory(department=departments["gd_market"], role="department_head")
    client.force_login(other_head)

    assert requested.tracking_code not in client.get(reverse("approvals")).text


def test_a_platform_officer_has_no_inbox(client, world):
    client.force_login(world.officer)
    assert client.get(reverse("approvals")).status_code == 403
