"""The platform's to-do on its home page lists what regulators asked of it: document
requests and rectification orders beside forwarded complaints and notices, and the
identity roster while it is not filed."""

import pytest
from django.utils import translation

from inspections.services.inspections import document_request_answer, rectification_report_submit

pytestmark = pytest.mark.django_db


def action_count(page: str, key: str) -> str:
    start = page.index(f'id="action-{key}"')
    count = page.index('class="action-count">', start) + len('class="action-count">')
    return page[count : page.index("<", count)]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_document_request_waits_on_the_platforms_home_until_answered(client, world, requested):
    client.force_login(world.officer)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert action_count(page, "requests") == "1"
    assert "Inspection document requests awaiting your answer" in page

    request = requested.document_requests.get()
    document_request_answer(actor=world.officer, request=request, answer="见附件")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert action_count(page, "requests") == "0"


def test_another_platform_does_not_see_the_request(client, world, requested):
    client.force_login(world.other_officer)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert action_count(page, "requests") == "0"


def test_a_rectification_order_waits_until_the_platform_reports(client, world, ordered):
    client.force_login(world.officer)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert action_count(page, "rectifications") == "1"
    rectification_report_submit(actor=world.officer, inspection=ordered, text="已整改")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert action_count(page, "rectifications") == "0"


def test_the_roster_not_filed_is_on_the_list_with_its_due_date(client, world):
    client.force_login(world.officer)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert action_count(page, "roster") == "1"
    assert "Identity roster of this half-year not filed" in page
