"""The day a consumer says it happened (``occurred_on``): from 2000-01-01, not after
tomorrow, at the API and on the staff case list's date filters."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from complaints.models import Complaint
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
