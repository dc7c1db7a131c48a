"""Dates out of range: refused at every edge with a message beside
the field, held by the database's CHECK constraints, found by a command.

A filing with ``conduct_at: "0001-01-01T00:00:00+14:00"`` used to be stored as a
year-1-BC timestamp on PostgreSQL, after which every page that read it answered 500.
"""

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from accounts.models import PlatformApiKey
from blacklist.models import Entry
from filings.models import DisposalFiling
from filings.services.filings import filing_submit
from registry.models import Marketer
from tests.factories import UserFactory
from tests.filings.conftest import item

pytestmark = pytest.mark.django_db

YEAR_ONE = "0001-01-01T00:00:00+14:00"
TOO_EARLY = "Give a date on or after 1 January 2000."
TOO_LATE = "Give a date on or before 31 December 2100."
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="year 1 BC is PostgreSQL's own reading"
)


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def key_post(client, raw_key: str, path: str, body):
    return client.post(
        path,
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {raw_key}",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def blacklisting(n: int, **overrides) -> dict:
    until = (timezone.localdate() + timedelta(days=365)).isoformat()
    fields = {
        "measures": ["account_closure", "blacklisting"],
        "blacklisted_until": until,
        "appeal_route": "通过平台申诉入口提交复核申请。",
    }
    return item(n, **(fields | overrides))


def test_year_one_through_the_batch_api_is_the_items_field_error_and_nothing_is_saved(
    client, platforms
):
    batch = {
        "items": [
            item(1, conduct_at=YEAR_ONE),
            item(2, conduct_at=YEAR_ONE, acted_at=YEAR_ONE),
            item(3, acted_at="9999-12-31T23:59:59-14:00"),
            item(4, measures=["term_suspension"], suspended_until="0001-01-01"),
            item(5, measures=["term_suspension"], suspended_until="2101-01-01"),
            item(6, conduct_at="1999-12-31T23:59:59+08:00"),
            item(7, conduct_at="2000-01-01T00:00:00+08:00"),  # the first moment allowed
            item(8),
        ]
    }
    response = key_post(client, platforms.raw_a, "/api/v1/filings/batch/", batch)

    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["invalid"] * 6 + ["created"] * 2
    assert results[0]["errors"] == {"conduct_at": [TOO_EARLY]}
    assert results[1]["errors"] == {"conduct_at": [TOO_EARLY], "acted_at": [TOO_EARLY]}
    assert results[2]["errors"] == {"acted_at": [TOO_LATE]}
    assert results[3]["errors"] == {"suspended_until": [TOO_EARLY]}
    assert results[4]["errors"] == {"suspended_until": [TOO_LATE]}
    assert results[5]["errors"] == {"conduct_at": [TOO_EARLY]}
    assert set(DisposalFiling.objects.values_list("external_id", flat=True)) == {
        "XH-000007",
        "XH-000008",
    }

    # Nothing stored breaks a page: the lists, the filing, the platform's home, the admin.
    filing = DisposalFiling.objects.get(external_id="XH-000007")
    client.force_login(platforms.hz_handler)
    assert client.get("/filings/").status_code == 200
    assert client.get(f"/filings/{filing.pk}/").status_code == 200
    export = client.get("/filings/export.csv")
    assert b"".join(export.streaming_content).decode("utf-8-sig").count("\n") == 3
    client.force_login(platforms.officer_a)
    assert client.get("/").status_code == 200
    listed = client.get("/api/v1/filings/", HTTP_AUTHORIZATION=f"Api-Key {platforms.raw_a}")
    assert listed.status_code == 200 and listed.json()["count"] == 2
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/filings/disposalfiling/").status_code == 200
    assert client.get(f"/admin/filings/disposalfiling/{filing.pk}/change/").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"conduct_at": YEAR_ONE}, "conduct_at", TOO_EARLY),
        ({"blacklisted_until": "0001-01-01"}, "blacklisted_until", TOO_EARLY),
        ({"blacklisted_until": "9999-12-31"}, "blacklisted_until", TOO_LATE),
    ],
)
def test_a_blacklisting_filing_out_of_range_answers_400_and_lists_no_one(
    client, platforms, overrides, field, message
):
    response = key_post(client, platforms.raw_a, "/api/v1/filings/", blacklisting(1, **overrides))

    assert response.status_code == 400, response.content
    assert response.json()["errors"][field] == [message]
    assert not DisposalFiling.objects.exists()
    assert not Entry.objects.exists()


def test_a_blacklisting_filing_in_range_still_lists_the_party(client, platforms):
    response = key_post(client, platforms.raw_a, "/api/v1/filings/", blacklisting(1))
    assert response.status_code == 201, response.content
    assert Entry.objects.count() == 1


def test_the_web_form_shows_the_bound_beside_the_field(client, platforms):
    from tests.filings.test_pages import form_data

    client.force_login(platforms.officer_a)
    response = client.post(
        "/filings/new/",
        form_data(1) | {"conduct_at": "0001-01-01T00:00"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.context["form"].errors["conduct_at"] == [TOO_EARLY]
    assert TOO_EARLY in response.content.decode()
    assert not DisposalFiling.objects.exists()


@pytest.mark.parametrize(("day", "message"), [("0001-01-01", TOO_EARLY), ("2101-01-01", TOO_LATE)])
def test_the_admin_form_refuses_a_key_expiry_out_of_range(client, platforms, day, message):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    before = PlatformApiKey.objects.count()
    response = client.post(
        "/admin/accounts/platformapikey/add/",
        {
            "platform": platforms.a.pk,
            "name": "year one",
            "expires_at_0": day,
            "expires_at_1": "00:00:00",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200  # the form again, with its errors
    assert response.context["adminform"].form.errors["expires_at"] == [message]
    assert PlatformApiKey.objects.count() == before


@pytest.mark.parametrize(
    "query", ["acted_from=0001-01-01", "received_to=9999-12-31", "acted_to=1999-12-31"]
)
def test_a_date_filter_out_of_range_is_a_400_not_a_500(client, platforms, query):
    response = client.get(
        f"/api/v1/filings/?{query}",
        HTTP_AUTHORIZATION=f"Api-Key {platforms.raw_a}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    name = query.split("=")[0]
    assert response.json()[name] == [
        TOO_EARLY if query.endswith(("0001-01-01", "1999-12-31")) else TOO_LATE
    ]


@postgres_only
def test_the_database_refuses_a_year_one_row_whatever_the_path(platforms):
    key_post_item = item(1)

    result = filing_submit(
        platform=platforms.a, item=key_post_item, channel="api", actor=platforms.officer_a
    )
    table = DisposalFiling._meta.db_table
    with (
        pytest.raises(IntegrityError, match=r"filing_(conduct|acted)_at_in_range"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            f"UPDATE {table} SET conduct_at = %s, acted_at = %s WHERE id = %s",  # noqa: S608
            [YEAR_ONE, YEAR_ONE, result.id],
        )
    with (
        pytest.raises(IntegrityError, match="filing_blacklisted_until_in_range"),
        transaction.atomic(),
    ):
        DisposalFiling.objects.filter(pk=result.id).update(blacklisted_until=date(2101, 1, 1))


@postgres_only
def test_find_out_of_range_dates_lists_rows_stored_before_the_constraints(platforms):

    result = filing_submit(
        platform=platforms.a, item=item(1), channel="api", actor=platforms.officer_a
    )
    out = _run_command()
    assert out.endswith("No stored date or time is out of range.\n")

    # A row as the defect left it: the constraint is not there yet (this test's
    # transaction is rolled back, the constraint with it).
    table = DisposalFiling._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks before ALTER
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT filing_conduct_at_in_range")
        cursor.execute(
            f"UPDATE {table} SET conduct_at = %s WHERE id = %s",  # noqa: S608
            [YEAR_ONE, result.id],
        )
        # A birth date of year 1 BC: no window of ours, but no page could read it.
        cursor.execute(
            f"UPDATE {Marketer._meta.db_table} SET birth_date = '0001-05-17 BC' WHERE id = %s",  # noqa: S608
            [platforms.marketer.pk],
        )
    with pytest.raises(CommandError, match=r"2 stored value\(s\) out of range"):
        _run_command()
    lines = sorted(line.split("\t") for line in _run_command(fail_ok=True).splitlines())
    assert lines[0][:3] == ["filings.DisposalFiling", f"pk={result.id}", "conduct_at"]
    assert lines[0][3].startswith("0001-12-31") and lines[0][3].endswith("BC")  # PostgreSQL's
    assert lines[1] == [
        "registry.Marketer",
        f"pk={platforms.marketer.pk}",
        "birth_date",
        "0001-05-17 BC",
    ]
    # Birth dates before 2000 are no fault: the other marketers are not listed.


def _run_command(fail_ok=False) -> str:
    from io import StringIO

    out = StringIO()
    try:
        call_command("find_out_of_range_dates", stdout=out)
    except CommandError:
        if not fail_ok:
            raise
    return out.getvalue()


def test_a_csv_upload_row_out_of_range_is_reported_and_not_filed(client, platforms):
    from tests.filings.test_pages import csv_file

    client.force_login(platforms.officer_a)
    upload = csv_file([item(1, conduct_at=YEAR_ONE), item(2)])
    response = client.post("/filings/upload/", {"file": upload})

    assert response.status_code == 200
    assert "1 filed, 0 filed before, 1 with errors." in response.content.decode()
    assert list(DisposalFiling.objects.values_list("external_id", flat=True)) == ["XH-000002"]
    report = client.get("/filings/upload/report.csv").content.decode("utf-8-sig")
    assert "conduct_at" in report and TOO_EARLY in report


@pytest.mark.parametrize(
    ("path", "body", "field", "message"),
    [
        (
            "/api/v1/blacklist/platform-entries/",
            {"term_ends_on": "0001-01-01"},
            "term_ends_on",
            TOO_EARLY,
        ),
        (
            "/api/v1/blacklist/platform-entries/",
            {"listed_on": "2999-01-01"},
            "listed_on",
            TOO_LATE,
        ),
    ],
)
def test_the_platforms_blacklist_api_refuses_dates_out_of_range(
    client, platforms, path, body, field, message
):
    entry = {
        "name": "孙七",
        "id_number": "11010519491231002X",
        "category": "fake-traffic",
        "facts": "刷单",
        "term_ends_on": (timezone.localdate() + timedelta(days=365)).isoformat(),
        "appeal_route": "申诉中心",
    }
    response = key_post(client, platforms.raw_a, path, entry | body)

    assert response.status_code == 400, response.content
    assert response.json()[field] == [message]
    assert not Entry.objects.exists()
