"""Issue 17, rosters: an upload on the page is previewed (joined, left, changed)
and filed only on confirmation; a stale or expired preview is refused; a roster
filed after its half-year's last day is marked late (Order 117 Art. 9); a person
aged 16 or 17 on the roster's date without a guardian's consent is a row error
(Trial Art. 17)."""

from datetime import date

import pytest
import time_machine
from rest_framework.test import APIClient

from demo.data import demo_ric
from registry.models import Roster, RosterRow, RosterStatus
from registry.rosters.services import roster_file
from tests.rosters.conftest import csv_upload, marketer_row, operator_row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def api_file(platforms, rows, *, year=2026, half=1):
    return roster_file(
        platform=platforms.a,
        year=year,
        half=half,
        rows=rows,
        channel="api",
        actor=platforms.officer_a,
    )


def upload(client, rows, *, year=2026, half=1):
    return client.post(
        "/rosters/", {"year": year, "half": half, "file": csv_upload(rows)}, follow=True
    )


def test_the_preview_shows_joined_left_and_changed_masked_and_files_nothing(client, platforms):
    before = [operator_row(1), operator_row(2), marketer_row(3), marketer_row(4)]
    filed = api_file(platforms, before)
    client.force_login(platforms.officer_a)
    now = [
        operator_row(1),  # the same
        operator_row(2, contact="0571-12345678"),  # changed
        marketer_row(3, name="主播三（改名）"),  # changed, by the same ID number
        marketer_row(5),  # joined; marketer 4 left
    ]
    response = upload(client, now)
    page = response.content.decode()
    pending = Roster.objects.get(version=2)
    assert pending.status == RosterStatus.PENDING and pending.filed_at is None
    assert "Compared with 2026-H1 version 1: 1 joined, 1 left, 2 changed." in page
    assert "主播三（改名）" in page
    for row in (marketer_row(3), marketer_row(4), marketer_row(5)):
        number = row["id_number"]
        assert number not in page
        assert number[:6] + "********" + number[-4:] in page
    assert 'id="roster-confirm"' in page and 'id="roster-expires"' in page
    filed.refresh_from_db()
    assert filed.status == RosterStatus.FILED
    assert Roster.objects.filter(status=RosterStatus.FILED).get() == filed
    # the file as sent (with numbers in clear) is not kept; its rows are, encrypted
    assert not pending.file
    assert not RosterRow.objects.filter(roster=pending, id_number_encrypted__contains="1995")


def test_confirm_files_it_once_and_a_reload_does_not_file_twice(client, platforms):
    api_file(platforms, [operator_row(n) for n in range(1, 6)])
    client.force_login(platforms.officer_a)
    upload(client, [operator_row(1)])
    pending = Roster.objects.get(version=2)
    response = client.post(f"/rosters/{pending.pk}/confirm/", {"confirm": "yes"})
    assert response.status_code == 302 and response.url == f"/rosters/{pending.pk}/"
    page = client.get(response.url).content.decode()
    assert 'id="roster-filed"' in page and 'id="roster-confirm"' not in page
    again = client.post(f"/rosters/{pending.pk}/confirm/", {"confirm": "yes"}, follow=True)
    assert "not waiting for confirmation" in again.content.decode()
    assert Roster.objects.filter(status=RosterStatus.FILED).get() == pending
    assert Roster.objects.count() == 2


def test_a_stale_preview_is_refused(client, platforms):
    """The roster changed (filed through the API) after the officer's preview."""
    api_file(platforms, [operator_row(1), operator_row(2)])
    client.force_login(platforms.officer_a)
    upload(client, [operator_row(1)])
    pending = Roster.objects.get(version=2)
    meanwhile = api_file(platforms, [operator_row(1), operator_row(3)])
    response = client.post(f"/rosters/{pending.pk}/confirm/", {"confirm": "yes"}, follow=True)
    assert "changed after this preview was made" in response.content.decode()
    pending.refresh_from_db()
    meanwhile.refresh_from_db()
    assert (pending.status, meanwhile.status) == (RosterStatus.PENDING, RosterStatus.FILED)


def test_an_expired_preview_is_refused(client, platforms):
    with time_machine.travel("2026-01-10 09:00 +0800"):
        client.force_login(platforms.officer_a)
        upload(client, [operator_row(1)])
    pending = Roster.objects.get()
    with time_machine.travel("2026-01-11 09:01 +0800"):
        page = client.get(f"/rosters/{pending.pk}/").content.decode()
        assert 'id="roster-expired"' in page and 'name="confirm"' not in page
        response = client.post(f"/rosters/{pending.pk}/confirm/", {"confirm": "yes"}, follow=True)
    assert "This preview has expired" in response.content.decode()
    assert Roster.objects.get().status == RosterStatus.PENDING


def test_an_upload_never_confirmed_loses_its_rows_after_its_preview_expired(client, platforms):
    from portal.models import AuditEvent
    from registry.tasks import rosters_expire_pending_task

    client.force_login(platforms.officer_a)
    with time_machine.travel("2026-01-10 09:00 +0800"):
        upload(client, [operator_row(1), marketer_row(2)])
    with time_machine.travel("2026-01-11 08:00 +0800"):
        upload(client, [operator_row(1)])
    old, recent = Roster.objects.order_by("version")

    with time_machine.travel("2026-01-11 09:30 +0800"):
        assert rosters_expire_pending_task.delay().get() == 1
        page = client.get(f"/rosters/{old.pk}/").content.decode()

    old.refresh_from_db()
    assert old.status == RosterStatus.EXPIRED and old.row_count == 2
    assert not RosterRow.objects.filter(roster=old).exists()
    assert "not confirmed in time: its rows were deleted" in page
    assert 'name="confirm"' not in page
    assert Roster.objects.get(pk=recent.pk).status == RosterStatus.PENDING
    assert RosterRow.objects.filter(roster=recent).count() == 1
    assert AuditEvent.objects.filter(action="roster.expired", object_id=str(old.pk)).exists()


def test_another_platform_cannot_see_or_confirm_a_pending_upload(client, platforms):
    client.force_login(platforms.officer_a)
    upload(client, [operator_row(1)])
    pending = Roster.objects.get()
    client.force_login(platforms.officer_b)
    assert client.get(f"/rosters/{pending.pk}/").status_code == 404
    assert client.post(f"/rosters/{pending.pk}/confirm/", {"confirm": "yes"}).status_code == 404
    assert Roster.objects.get().status == RosterStatus.PENDING


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        ("2026-01-31 23:59 +0800", False),  # the last day, Asia/Shanghai
        ("2026-02-01 00:00 +0800", True),
        ("2026-01-31 16:30 +0000", True),  # already 1 February in Shanghai
    ],
)
def test_late_is_marked_from_the_day_after_the_last_day(platforms, moment, late):
    with time_machine.travel(moment):
        roster = api_file(platforms, [operator_row(1)])
    assert roster.status == RosterStatus.FILED
    assert Roster.objects.get(pk=roster.pk).late is late


def test_late_counts_the_day_of_confirmation_and_is_shown_with_its_article(client, platforms):
    client.force_login(platforms.officer_a)
    with time_machine.travel("2026-01-31 22:00 +0800"):
        upload(client, [operator_row(1)])
    pending = Roster.objects.get()
    assert not pending.late
    with time_machine.travel("2026-02-01 08:00 +0800"):
        client.post(f"/rosters/{pending.pk}/confirm/", {"confirm": "yes"})
    pending.refresh_from_db()
    assert pending.status == RosterStatus.FILED and pending.late

    detail = client.get(f"/rosters/{pending.pk}/").content.decode()
    assert 'id="roster-late"' in detail
    assert "filed after 2026-01-31, the last day set by Order 117 Art. 9" in detail
    listing = client.get("/rosters/").content.decode()
    assert "roster-late" in listing and "(Order 117 Art. 9)" in listing

    client.force_login(platforms.zj_market_handler)
    status = client.get("/rosters/?year=2026&half=1").content.decode()
    assert "late: after the end of the month (Order 117 Art. 9)" in status


def test_the_api_files_in_one_step_and_answers_diff_counts_and_late(platforms):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {platforms.raw_a}")
    with time_machine.travel("2026-01-20 10:00 +0800"):
        first = client.post(
            "/api/v1/rosters/",
            {"year": 2026, "half": 1, "rows": [operator_row(n) for n in range(1, 6)]},
            format="json",
        )
    assert first.status_code == 201
    with time_machine.travel("2026-02-02 10:00 +0800"):
        second = client.post(
            "/api/v1/rosters/",
            {"year": 2026, "half": 1, "rows": [operator_row(1, contact="1"), operator_row(6)]},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert second.status_code == 201
    body = second.json()
    assert body["status"] == "filed"
    assert body["diff"] == {"previous": first.json()["id"], "joined": 1, "left": 4, "changed": 1}
    assert (body["late"], body["due_on"], body["deadline_article"]) == (
        True,
        "2026-01-31",
        "Order 117 Art. 9",
    )
    assert first.json()["late"] is False


# The age rule (Trial Art. 17) on the roster's date: the first day of its half-year.
ROSTER_DAY = date(2026, 1, 1)  # 2026-H1


@pytest.mark.parametrize(
    ("born", "consent", "error"),
    [
        (date(2010, 1, 2), "yes", "id_number"),  # 15 on the roster's date: under 16
        (date(2010, 1, 1), "", "guardian_consent"),  # 16 that day, no consent
        (date(2010, 1, 1), "no", "guardian_consent"),
        (date(2010, 1, 1), "yes", None),
        (date(2008, 1, 2), "", "guardian_consent"),  # still 17
        (date(2008, 1, 2), "是", None),
        (date(2008, 1, 1), "", None),  # 18 that day
    ],
)
def test_16_and_17_year_olds_need_a_guardians_consent_at_the_birthday_edges(
    platforms, born, consent, error
):
    number = demo_ric("330106", born, 3)
    with time_machine.travel("2026-01-20 10:00 +0800"):  # later than every birthday above
        roster = api_file(
            platforms,
            [operator_row(1), marketer_row(2, id_number=number, guardian_consent=consent)],
        )
    errors = roster.rows.get(row_number=2).errors
    if error is None:
        assert errors == {} and roster.status == RosterStatus.FILED
        return
    assert roster.status == RosterStatus.REJECTED and set(errors) == {error}
    if error == "guardian_consent":
        message = errors[error][0]
        assert "on 2026-01-01, the roster's date" in message
        assert "guardian's consent (Trial Art. 17)" in message
    else:
        assert "Under 16" in errors[error][0]


def test_the_age_rule_message_is_a_form_row_error_on_the_page(client, platforms):
    number = demo_ric("330106", date(2009, 3, 1), 4)  # 16 on 2026-01-01
    client.force_login(platforms.officer_a)
    response = upload(client, [operator_row(1), marketer_row(2, id_number=number)])
    roster = Roster.objects.get()
    assert roster.status == RosterStatus.REJECTED and roster.error_count == 1
    page = response.content.decode()
    assert "Aged 16 on 2026-01-01" in page and number not in page
