"""Acting on many cases from a queue: the ticked cases are taken, assigned or
exported, each on its own, and the answer says what happened to each; saved
filters are each user's own."""

import csv
import io

import pytest
from django.urls import reverse

from complaints.models import Complaint, SavedFilter
from complaints.services.workflow import complaint_assign

pytestmark = pytest.mark.django_db

BULK = reverse("complaints:bulk")
LIST = reverse("complaints:list")


def _rows(page) -> dict[str, str]:
    """Tracking code → result, from the results table."""
    import re

    found = {}
    for row in re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", page, re.S):
        code = re.sub(r"<[^>]+>", "", row[0]).strip()
        found[code] = re.sub(r"<[^>]+>", "", row[1]).strip()
    return found


def test_a_handler_takes_the_ticked_cases_and_reads_what_became_of_each(client, world, file_case):
    free, other = file_case(), file_case(contact_phone="13800000002")
    taken = file_case(contact_phone="13800000003")
    complaint_assign(complaint=taken, actor=world.other_handler, assignee=world.other_handler)
    client.force_login(world.handler)

    listed = client.get(LIST, {"queue": "open"}, HTTP_ACCEPT_LANGUAGE="en")
    assert f'name="ids" value="{free.pk}"' in listed.text

    page = client.post(
        BULK,
        {"ids": [free.pk, taken.pk, other.pk, 999999], "action": "take", "back": "?queue=open"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert page.status_code == 200
    results = _rows(page.text)
    assert results[free.tracking_code] == "Taken."
    assert results[other.tracking_code] == "Taken."
    assert results[taken.tracking_code] == "You may not do this on this case now."
    assert results["—"] == "No such case among those you may see."
    assert "2 cases done." in page.text
    assignees = dict(Complaint.objects.values_list("pk", "assignee_id"))
    assert assignees[free.pk] == assignees[other.pk] == world.handler.pk
    assert assignees[taken.pk] == world.other_handler.pk
    assert 'href="/complaints/cases/?queue=open"' in page.text


def test_a_supervisor_assigns_the_ticked_cases_to_a_handler_by_name(client, world, file_case):
    world.handler.first_name, world.handler.last_name = "敏", "王"
    world.handler.save()
    cases = [file_case(contact_phone=f"1380000001{n}") for n in range(3)]
    client.force_login(world.supervisor)

    listed = client.get(LIST, {"queue": "open"})
    assert ">王敏</option>" in listed.text  # the choice shows the name, not the username

    page = client.post(
        BULK,
        {"ids": [c.pk for c in cases], "action": "assign", "assignee": world.handler.pk},
    )

    assert page.status_code == 200
    assert set(Complaint.objects.values_list("assignee_id", flat=True)) == {world.handler.pk}
    assert page.text.count("已分派给王敏。") == 3


def test_a_handler_cannot_assign_to_a_colleague_case_by_case(client, world, file_case):
    case = file_case()
    client.force_login(world.handler)

    page = client.post(
        BULK,
        {"ids": [case.pk], "action": "assign", "assignee": world.other_handler.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert _rows(page.text)[case.tracking_code] == "You may not do this on this case now."
    assert Complaint.objects.get(pk=case.pk).assignee_id is None


def test_the_export_of_ticked_cases_holds_those_and_no_other(client, world, file_case):
    ticked, left = file_case(), file_case(contact_phone="13800000002")
    client.force_login(world.handler)

    response = client.post(BULK, {"ids": [ticked.pk], "action": "export"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    codes = [row[0] for row in rows[1:]]
    assert codes == [ticked.tracking_code] and left.tracking_code not in codes


def test_nothing_ticked_or_too_many_is_refused_and_nothing_is_done(client, world, file_case):
    case = file_case()
    client.force_login(world.handler)

    empty = client.post(BULK, {"action": "take"}, HTTP_ACCEPT_LANGUAGE="en")
    many = client.post(
        BULK, {"ids": list(range(1, 103)), "action": "take"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    no_one = client.post(BULK, {"ids": [case.pk], "action": "assign"}, HTTP_ACCEPT_LANGUAGE="en")

    assert empty.status_code == many.status_code == no_one.status_code == 400
    assert "Tick at least one case." in empty.text
    assert "Tick at most 100 cases at a time." in many.text
    assert "Choose the handler to assign the cases to." in no_one.text
    assert Complaint.objects.get(pk=case.pk).assignee_id is None


def test_a_platform_officer_has_no_bulk_actions(client, world, file_case):
    case = file_case()
    client.force_login(world.officer)

    assert client.post(BULK, {"ids": [case.pk], "action": "take"}).status_code == 403


def test_saved_filters_are_each_users_own(client, world, file_case):
    client.force_login(world.handler)

    saved = client.post(
        reverse("complaints:filter-save"),
        {"name": "我的逾期", "query": "queue=overdue&kind=report"},
    )
    assert saved.status_code == 302 and saved["Location"].endswith("?queue=overdue&kind=report")
    page = client.get(LIST).text
    assert 'href="?queue=overdue&amp;kind=report">我的逾期</a>' in page

    mine = SavedFilter.objects.get(user=world.handler)
    client.force_login(world.other_handler)
    assert "我的逾期" not in client.get(LIST).text
    refused = client.post(reverse("complaints:filter-delete", args=[mine.pk]))
    assert refused.status_code == 404 and SavedFilter.objects.filter(pk=mine.pk).exists()

    client.force_login(world.handler)
    client.post(reverse("complaints:filter-delete", args=[mine.pk]))
    assert not SavedFilter.objects.filter(pk=mine.pk).exists()


def test_saving_without_a_name_says_so_and_saves_nothing(client, world):
    client.force_login(world.handler)

    response = client.post(
        reverse("complaints:filter-save"), {"name": "", "query": "queue=open"}, follow=True
    )

    assert SavedFilter.objects.count() == 0
    assert "请填写此项。" in response.text
