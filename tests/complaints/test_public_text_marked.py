"""Whatever staff or a platform writes that the consumer will read is marked so
beside the field, in every form that writes it; internal fields are not."""

import re

import pytest
from django.urls import reverse

from complaints.services.forwards import complaint_forward
from complaints.services.workflow import complaint_accept, complaint_assign

pytestmark = pytest.mark.django_db

MARK = "Visible to the person who filed the case"


def _fields_marked(html: str) -> set[str]:
    """The ids of the fields whose label carries the mark."""
    return set(
        re.findall(
            rf'<label for="([^"]+)">[^<]*(?:<span[^>]*>[^<]*</span>\s*)*'
            rf'<span class="public-mark">{MARK}</span>',
            html,
        )
    )


def test_staff_forms_mark_the_text_the_consumer_reads(client, world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    client.force_login(world.handler)

    received = client.get(
        reverse("complaints:detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).text
    complaint_accept(complaint=case, actor=world.handler)
    accepted = client.get(
        reverse("complaints:detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).text

    marked = _fields_marked(received) | _fields_marked(accepted)
    assert {
        "id_accept-message",
        "id_decline-message",
        "id_request_material-message",
        "id_close-outcome_text",
    } <= marked
    # Internal text is not marked: the transfer's reason, the extension's reason.
    assert not any("transfer" in f or "request_extension" in f for f in marked)


def test_the_platforms_answer_is_marked(client, world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    complaint_accept(complaint=case, actor=world.handler)
    forward = complaint_forward(complaint=case, actor=world.handler, message="请处理")
    client.force_login(world.officer)

    page = client.get(reverse("complaints:forward", args=[forward.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert "id_answer" in _fields_marked(page.text)
