"""The staff queue: a bad filter value is an error, not an unfiltered list; each
row says how many working days are left; sort choices are in the reader's words."""

import re

import pytest
from django.urls import reverse

from complaints.services.workflow import complaint_assign

pytestmark = pytest.mark.django_db

LIST = reverse("complaints:list")


def test_an_invalid_filter_value_is_an_error_and_lists_nothing(client, world, file_case):
    case = file_case()
    client.force_login(world.handler)

    page = client.get(
        LIST, {"queue": "open", "received_from": "2026-02-30"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert page.status_code == 400
    assert 'id="id_received_from_error"' in page.text
    assert case.tracking_code not in page.text


def test_each_row_shows_the_working_days_left_and_the_assignees_name(client, world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    client.force_login(world.handler)

    page = client.get(LIST, {"queue": "open"}, HTTP_ACCEPT_LANGUAGE="en").text
    row = re.search(
        rf"<tr>\s*(?:<td><input[^>]*></td>\s*)?<td><a[^>]*>{case.tracking_code}</a>.*?</tr>",
        page,
        re.S,
    ).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)

    assert "Working days left" in page
    assert cells[-1].strip() in {str(n) for n in range(0, 8)}  # a 7-working-day clock
    assert (world.handler.get_full_name() or world.handler.username) in row


def test_sort_choices_are_translated(client, world):
    client.force_login(world.handler)

    zh = client.get(LIST, HTTP_ACCEPT_LANGUAGE="zh-hans").text

    assert "descending" not in zh
    assert "接收日期（降序）" in zh
    assert "---------" not in zh and "— 不限 —" in zh
