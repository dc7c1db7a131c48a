"""Retries racing: the same batch posted twice at the same moment (a platform's
client times out and sends again while the first call is still running) creates
each filing once, and both calls answer 200 — never a 500 on the unique index."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from filings.models import DisposalFiling, FilingRoute, RouteRecipient
from tests.filings.conftest import item, operator_item

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"
    ),
    # Real commits from several connections; the taxonomy the migrations seeded is
    # put back after each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _race(platforms, bodies: list[dict]) -> list:
    """Post each body from its own thread (its own connection), all at once."""
    barrier = threading.Barrier(len(bodies))
    answers: list = [None] * len(bodies)

    def post(index: int) -> None:
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Api-Key {platforms.raw_a}")
            barrier.wait(10)
            answers[index] = client.post("/api/v1/filings/batch/", bodies[index], format="json")
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def test_the_same_batch_posted_twice_at_once_creates_each_filing_once(platforms):
    batch = {
        "items": [item(n) for n in range(1, 41)]
        + [operator_item(n, measures=["account_closure"]) for n in range(41, 61)]
    }
    answers = _race(platforms, [batch, batch, batch])

    assert [a.status_code for a in answers] == [200, 200, 200]
    bodies = [a.json() for a in answers]
    assert sorted(b["created"] for b in bodies) == [0, 0, 60]
    assert all(b["invalid"] == 0 for b in bodies)
    first = next(b for b in bodies if b["created"])
    ids = [r["id"] for r in first["results"]]
    for later in (b for b in bodies if not b["created"]):
        assert [r["status"] for r in later["results"]] == ["duplicate"] * 60
        assert [r["id"] for r in later["results"]] == ids  # the filings that exist
    assert DisposalFiling.objects.filter(platform=platforms.a).count() == 60
    # Routing written once too: two routes, the 40 light measures to two departments,
    # the 20 account closures to a third as well (provincial market supervision,
    # Order 117 Art. 12 ¶3).
    routes = {
        route.pk: route.recipients.count()
        for route in FilingRoute.objects.filter(filings__platform=platforms.a).distinct()
    }
    assert sorted(routes.values()) == [2, 3]
    assert RouteRecipient.objects.count() == 5
    by_route = DisposalFiling.objects.filter(platform=platforms.a).values_list("route", flat=True)
    assert sorted(routes[r] for r in by_route) == [2] * 40 + [3] * 20


def test_overlapping_batches_at_once_share_nothing_twice(platforms):
    """Two different batches that overlap in half their external ids."""
    one = {"items": [item(n) for n in range(1, 31)]}
    two = {"items": [item(n) for n in range(16, 46)]}
    answers = _race(platforms, [one, two])

    assert [a.status_code for a in answers] == [200, 200]
    bodies = [a.json() for a in answers]
    assert sum(b["created"] for b in bodies) == 45
    assert sum(b["duplicate"] for b in bodies) == 15
    stored = dict(
        DisposalFiling.objects.filter(platform=platforms.a).values_list("external_id", "pk")
    )
    assert len(stored) == 45
    for body in bodies:
        for result in body["results"]:
            assert result["id"] == stored[result["external_id"]]


def test_a_batch_does_not_wait_for_other_platforms_of_its_region(platforms):
    """Batches of one platform wait for each other (its row is locked); a batch of
    another platform of the same domicile must not: here a second connection holds
    the domicile's region row, as a batch once did, and the batch still goes in."""
    import psycopg

    settings = connection.settings_dict
    holder = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )
    try:
        holder.execute(
            "SELECT 1 FROM accounts_region WHERE code = %s FOR UPDATE",
            [platforms.a.domicile_id],
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {platforms.raw_a}")
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        answer = client.post("/api/v1/filings/batch/", {"items": [item(1)]}, format="json")
    finally:
        holder.rollback()
        holder.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert answer.status_code == 200
    assert answer.json()["created"] == 1
