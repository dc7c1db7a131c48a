"""The day a consumer says it happened (``occurred_on``): from 2000-01-01, not after
tomorrow, at the API and on the staff case list's date filters."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from complaints.models import Complaint
from complaints.services.workflow import complaint_accept, complaint_assign
from portal.models import ClockExclusion, Deadline
from tests.complaints.test_api import intake

pytestmark = pytest.mark.django_db


def _day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


@pytest.mark.parametrize(
    ("occurred_on", "message"),
    [
        ("0001-01-01", "Give a date on or after 1 January 2000."),
        ("1999-12-31", "Give a date on or after 1 January 2000."),
        ("2000-01-01", None),
        (_day(1), None),  # a day of leeway for clocks and time zones
        (_day(2), "This cannot be more than a day in the future."),
        ("9999-12-31", "Give a date on or before 31 December 2100."),
    ],
)
def test_intake_bounds_the_day_it_happened(world, occurred_on, message):
    cache.clear()
    response = APIClient().post(
        "/api/v1/complaints/",
        intake(world, occurred_on=occurred_on),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    if message is None:
        assert response.status_code == 201, response.content
        assert Complaint.objects.get().occurred_on.isoformat() == occurred_on
    else:
        assert response.status_code == 400
        assert response.json()["occurred_on"] == [message]
        assert not Complaint.objects.exists()


@pytest.mark.parametrize("query", ["received_from=0001-01-01", "received_to=9999-12-31"])
def test_the_case_list_filter_out_of_range_is_an_error_not_a_500(client, world, query):
    client.force_login(world.handler)
    page = client.get(f"/complaints/cases/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    export = client.get(f"/complaints/cases/export.csv?{query}")
    api = client.get(f"/api/v1/complaints/cases/?{query}", HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 400
    assert page.context["filter"].errors[query.split("=")[0]]
    # The export is what the page shows: the header, no rows.
    assert export.status_code == 200
    assert len(b"".join(export.streaming_content).decode("utf-8-sig").splitlines()) == 1
    assert api.status_code == 400
    assert query.split("=")[0] in api.json()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("starts_on", "0001-01-01", "Give a date on or after 1 January 2000."),
        ("ends_on", "9999-12-30", "Give a date on or before 31 December 2100."),
        ("starts_on", "__far_future__", "This cannot be more than a day in the future."),
    ],
)
def test_an_excluded_period_is_bounded_beside_its_field(
    client, world, file_case, field, value, message
):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    complaint_accept(complaint=case, actor=world.handler)
    today = timezone.localdate()
    if value == "__far_future__":
        value = (today + timedelta(days=30)).isoformat()
    data = {
        "exclude_period-kind": "testing",
        "exclude_period-starts_on": today.isoformat(),
        "exclude_period-ends_on": (today + timedelta(days=40)).isoformat(),
        "exclude_period-reason": "送检商品质量",
        f"exclude_period-{field}": value,
    }
    client.force_login(world.handler)
    before = {d.pk: d.due_on for d in Deadline.objects.for_object(case)}

    page = client.post(
        reverse("complaints:action", args=[case.pk, "exclude_period"]),
        data,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert page.status_code == 400
    form = next(f for name, _label, f in page.context["action_forms"] if name == "exclude_period")
    assert form.errors[field] == [message]
    assert not ClockExclusion.objects.filter(deadline__in=before).exists()
    assert {d.pk: d.due_on for d in Deadline.objects.for_object(case)} == before


def test_an_excluded_period_that_would_end_the_clock_after_2100_is_refused(
    client, world, file_case
):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    complaint_accept(complaint=case, actor=world.handler)
    client.force_login(world.handler)
    before = {d.pk: d.due_on for d in Deadline.objects.for_object(case)}

    page = client.post(
        reverse("complaints:action", args=[case.pk, "exclude_period"]),
        {
            "exclude_period-kind": "testing",
            "exclude_period-starts_on": timezone.localdate().isoformat(),
            "exclude_period-ends_on": "2100-12-31",
            "exclude_period-reason": "送检商品质量",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert page.status_code == 400
    form = next(f for name, _label, f in page.context["action_forms"] if name == "exclude_period")
    assert form.non_field_errors() == [
        "The period is too long: the time limit would end after 2100-12-31."
    ]
    assert {d.pk: d.due_on for d in Deadline.objects.for_object(case)} == before
    assert not ClockExclusion.objects.filter(deadline__in=before).exists()
