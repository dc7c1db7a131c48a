"""The queues' paginator: pages in the list's order, a bounded count."""

from datetime import UTC, datetime, timedelta

import pytest

from complaints.models import Complaint
from portal.pagination import BoundedPaginator

pytestmark = pytest.mark.django_db


def test_pages_keep_the_lists_order_and_the_count_stops_at_its_bound(world, file_case):
    cases = [file_case(contact_phone=f"1390000000{i}") for i in range(5)]
    start = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
    for hours, case in enumerate(cases):  # the last filed is the newest
        Complaint.objects.filter(pk=case.pk).update(received_at=start + timedelta(hours=hours))
    newest_first = Complaint.objects.filter(pk__in=[c.pk for c in cases]).select_related(
        "department"
    )

    paginator = BoundedPaginator(newest_first.order_by("-received_at"), 2)
    pages = [[c.tracking_code for c in paginator.page(n).object_list] for n in paginator.page_range]
    assert pages == [
        [cases[4].tracking_code, cases[3].tracking_code],
        [cases[2].tracking_code, cases[1].tracking_code],
        [cases[0].tracking_code],
    ]
    assert paginator.page(1).object_list[0].department == world.handler.department

    oldest_first = BoundedPaginator(newest_first.order_by("received_at"), 2, limit=3)
    assert oldest_first.count == 3 and oldest_first.capped
    assert [c.tracking_code for c in oldest_first.page(1)] == [
        cases[0].tracking_code,
        cases[1].tracking_code,
    ]
