"""Identity rosters (Order 117 Art. 9, 48): validation, re-sending, diff, who has
not filed, cross-province sharing and key scoping."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from rest_framework.test import APIClient

from accounts.models import Role
from portal.errors import DomainError, NotAllowed
from registry.models import Roster, RosterRow, RosterStatus
from registry.rosters.selectors import (
    cross_province_rows_visible_to,
    platforms_not_filed,
    roster_diff,
    rosters_visible_to,
)
from registry.rosters.services import ROSTER_COLUMNS, roster_file
from tests.factories import UserFactory
from tests.rosters.conftest import csv_upload, marketer_row, operator_row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SHANGHAI = ZoneInfo("Asia/Shanghai")


def file(platforms, rows, *, year=2026, half=1, platform=None, actor=None):
    return roster_file(
        platform=platform or platforms.a,
        year=year,
        half=half,
        rows=rows,
        channel="api",
        actor=actor or platforms.officer_a,
    )


def test_each_row_is_checked_and_a_roster_with_errors_is_not_filed(platforms):
    roster = file(
        platforms,
        [
            operator_row(1),
            marketer_row(2, id_number="330106199501010021"),  # wrong check digit
            operator_row(3, business_region="339999"),  # unknown region code
            marketer_row(4, name=""),  # missing name
            operator_row(5, kind="supplier"),
            operator_row(6, uscc="", business_region=""),
            marketer_row(7),
        ],
    )
    assert roster.status == RosterStatus.REJECTED
    assert roster.filed_at is None
    assert (roster.row_count, roster.error_count) == (7, 5)
    errors = {r.row_number: r.errors for r in roster.rows.all()}
    assert "check digit" in errors[2]["id_number"][0]
    assert "339999" in errors[3]["business_region"][0]
    assert "name" in errors[4]
    assert "kind" in errors[5]
    assert {"uscc", "business_region"} <= set(errors[6])
    assert errors[1] == {} and errors[7] == {}
    bad = roster.rows.get(row_number=2)
    assert bad.id_number_encrypted == "" and "*" in bad.id_number_masked


def test_the_same_party_twice_is_an_error(platforms):
    roster = file(platforms, [operator_row(1), operator_row(1)])
    assert roster.status == RosterStatus.REJECTED
    assert "row 1" in roster.rows.get(row_number=2).errors["row"][0]


def test_corrected_and_sent_again_it_is_filed_as_a_new_version(platforms):
    first = file(platforms, [operator_row(1), marketer_row(2, name="")])
    second = file(platforms, [operator_row(1), marketer_row(2)])
    assert (second.version, second.status, second.supersedes) == (2, RosterStatus.FILED, first)
    assert second.filed_at is not None
    third = file(platforms, [operator_row(1)])
    second.refresh_from_db()
    assert second.status == RosterStatus.SUPERSEDED
    assert third.status == RosterStatus.FILED
    assert Roster.objects.filter(status=RosterStatus.FILED).count() == 1


def test_identity_numbers_are_stored_encrypted(platforms):
    row = marketer_row(2)
    roster = file(platforms, [row])
    stored = RosterRow.objects.filter(roster=roster).values()[0]
    assert row["id_number"] not in {str(v) for v in stored.values()}
    assert stored["id_number_masked"].count("*") == 8


def test_diff_joined_left_changed(platforms):
    file(platforms, [operator_row(1), operator_row(2), marketer_row(3)], year=2025, half=2)
    later = file(
        platforms,
        [operator_row(1), operator_row(2, business_region="330110"), marketer_row(4)],
        year=2026,
        half=1,
    )
    diff = roster_diff(later)
    assert diff.previous is not None
    assert [r.name for r in diff.joined] == ["主播4"]
    assert [r.name for r in diff.left] == ["主播3"]
    assert [(old.business_region_id, new.business_region_id) for old, new in diff.changed] == [
        ("330106", "330110")
    ]


def test_the_first_roster_has_no_previous(platforms):
    assert roster_diff(file(platforms, [operator_row(1)])).previous is None


def test_who_has_not_filed(platforms, regions):
    from tests.factories import PlatformFactory

    third = PlatformFactory(domicile=regions["xihu"], name="西湖直播有限公司")
    file(platforms, [operator_row(1)], year=2026, half=1)
    zj = platforms.zj_market_handler
    assert list(platforms_not_filed(zj, 2026, 1)) == [third]
    assert set(platforms_not_filed(zj, 2025, 2)) == {platforms.a, third}
    # Guangdong's market supervision has platform B (Tianhe) only.
    assert list(platforms_not_filed(platforms.gd_handler, 2026, 1)) == [platforms.b]
    # Below the province, no roster reaches a department (Order 117 Art. 9).
    assert not platforms_not_filed(platforms.hz_handler, 2026, 1).exists()


@pytest.mark.parametrize(
    ("user", "sees"),
    [
        ("officer_a", True),
        ("officer_b", False),
        ("zj_market_handler", True),  # provincial market supervision of the domicile
        ("hz_handler", False),  # below the province
        ("zj_cyber_handler", False),  # not market supervision
        ("gd_handler", False),  # another province
    ],
)
def test_who_sees_a_roster(platforms, user, sees):
    roster = file(platforms, [operator_row(1)])
    assert rosters_visible_to(getattr(platforms, user)).filter(pk=roster.pk).exists() is sees


def test_operators_doing_business_in_another_province_are_shared_with_it(platforms):
    """Order 117 Art. 48: Zhejiang platform A's operator in Tianhe is Guangdong's to see."""
    file(
        platforms,
        [operator_row(1), operator_row(2, business_region="440106"), marketer_row(3)],
    )
    gd = cross_province_rows_visible_to(platforms.gd_handler)
    assert [r.name for r in gd] == ["运营者2有限公司"]
    assert not cross_province_rows_visible_to(platforms.zj_market_handler).exists()
    assert not cross_province_rows_visible_to(platforms.officer_a).exists()
    # Platform B is in Guangdong: its Guangdong operators are not "another province".
    file(
        platforms,
        [operator_row(9, business_region="440106")],
        platform=platforms.b,
        actor=platforms.officer_b,
    )
    assert [r.name for r in cross_province_rows_visible_to(platforms.gd_handler)] == [
        "运营者2有限公司"
    ]


def test_only_the_platform_files_its_roster_and_not_for_the_future(platforms):
    with pytest.raises(NotAllowed):
        file(platforms, [operator_row(1)], actor=platforms.officer_b)
    march = datetime(2026, 3, 1, 12, tzinfo=SHANGHAI)
    with time_machine.travel(march, tick=False), pytest.raises(DomainError):
        file(platforms, [operator_row(1)], year=2026, half=2)


def key_client(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


def test_api_files_a_roster_and_keys_are_scoped(platforms):
    client = key_client(platforms.raw_a)
    bad = client.post(
        "/api/v1/rosters/",
        {"year": 2026, "half": 1, "rows": [operator_row(1), marketer_row(2, name="")]},
        format="json",
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["row"] == 2
    good = client.post(
        "/api/v1/rosters/",
        {"year": 2026, "half": 1, "rows": [operator_row(1), marketer_row(2)]},
        format="json",
    )
    assert good.status_code == 201
    assert good.json()["status"] == "filed" and good.json()["version"] == 2
    roster_id = good.json()["id"]
    assert client.get(f"/api/v1/rosters/{roster_id}/").json()["diff"]["previous"] is None
    assert key_client(platforms.raw_b).get(f"/api/v1/rosters/{roster_id}/").status_code == 404
    assert key_client(platforms.raw_b).get("/api/v1/rosters/").json()["results"] == []


def test_upload_csv_with_a_bad_row_then_the_corrected_file(client, platforms):
    client.force_login(platforms.officer_a)
    rows = [operator_row(1), marketer_row(2, id_number="330106199501010021")]
    response = client.post(
        "/rosters/", {"year": 2026, "half": 1, "file": csv_upload(rows)}, follow=True
    )
    roster = Roster.objects.get()
    assert roster.status == RosterStatus.REJECTED and roster.channel == "csv"
    # only the name is kept: the file holds identity numbers in clear
    assert roster.original_name == "roster.csv" and not roster.file
    page = response.content.decode()
    assert "Error report" in page
    report = client.get(f"/rosters/{roster.pk}/errors.csv")
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert lines[1][0] == "3" and lines[1][1] == "id_number"  # the header is row 1
    assert "*" in lines[1][2]
    rows[1] = marketer_row(2)
    client.post("/rosters/", {"year": 2026, "half": 1, "file": csv_upload(rows)})
    pending = Roster.objects.get(version=2)
    assert pending.status == RosterStatus.PENDING
    client.post(f"/rosters/{pending.pk}/confirm/", {"confirm": "yes"})
    assert Roster.objects.filter(status=RosterStatus.FILED).get().version == 2


def test_upload_xlsx(client, platforms):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(ROSTER_COLUMNS))
    row = operator_row(1)
    sheet.append([int(row[c]) if c.endswith("region") else row.get(c, "") for c in ROSTER_COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    upload = SimpleUploadedFile(
        "roster.xlsx",
        out.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    client.force_login(platforms.officer_a)
    client.post("/rosters/", {"year": 2026, "half": 1, "file": upload})
    roster = Roster.objects.get()
    assert (roster.channel, roster.status) == ("xlsx", RosterStatus.PENDING)
    assert roster.rows.get().business_region_id == "330106"


def test_a_file_that_is_no_roster_is_refused(client, platforms):
    client.force_login(platforms.officer_a)
    junk = SimpleUploadedFile("x.csv", b"\x00\x01\x02binary", "text/csv")
    response = client.post("/rosters/", {"year": 2026, "half": 1, "file": junk})
    assert response.status_code == 400
    assert not Roster.objects.exists()


def test_regulator_pages(client, platforms):
    file(platforms, [operator_row(1), operator_row(2, business_region="440106")])
    client.force_login(platforms.zj_market_handler)
    status = client.get("/rosters/", {"year": 2026, "half": 1})
    assert status.status_code == 200
    assert status.context["not_filed"] == []
    roster = Roster.objects.get()
    assert client.get(f"/rosters/{roster.pk}/").status_code == 200
    client.force_login(platforms.gd_handler)
    assert client.get(f"/rosters/{roster.pk}/").status_code == 404
    cross = client.get("/rosters/cross-province/")
    assert "运营者2有限公司" in cross.content.decode()


def test_regulators_see_who_filed_late_and_who_was_sent_back(client, platforms, regions):
    """Order 117 Art. 9: due by the end of January. A platform that first filed in
    February is marked late, even after it files a corrected version; one whose
    only upload had errors has not filed, and the upload sent back is counted."""
    from tests.factories import PlatformFactory

    third = PlatformFactory(domicile=regions["xihu"], name="西湖直播有限公司")
    with time_machine.travel(datetime(2026, 1, 20, 10, tzinfo=SHANGHAI), tick=False):
        file(platforms, [operator_row(1)])  # platform A, on time
    with time_machine.travel(datetime(2026, 2, 3, 10, tzinfo=SHANGHAI), tick=False):
        roster_file(
            platform=third,
            year=2026,
            half=1,
            rows=[operator_row(2, uscc="91330106MA0000000X")],  # bad check character
            channel="api",
            actor=UserFactory(platform=third, role=Role.PLATFORM_OFFICER),
        )
    client.force_login(platforms.zj_market_handler)
    with time_machine.travel(datetime(2026, 3, 1, 10, tzinfo=SHANGHAI), tick=False):
        page = client.get("/rosters/", {"year": 2026, "half": 1}, HTTP_ACCEPT_LANGUAGE="en")
    states = {s.platform: s for s in page.context["states"]}
    assert states[platforms.a].filed and not states[platforms.a].late
    assert not states[third].filed and states[third].rejected == 1
    assert [s.platform for s in page.context["not_filed"]] == [third]
    text = page.content.decode()
    assert "1 upload sent back for errors" in text
    assert "late: after the end of the month" not in text

    officer = UserFactory(platform=third, role=Role.PLATFORM_OFFICER)
    with time_machine.travel(datetime(2026, 2, 10, 10, tzinfo=SHANGHAI), tick=False):
        roster_file(
            platform=third, year=2026, half=1, rows=[operator_row(2)], channel="api", actor=officer
        )
    with time_machine.travel(datetime(2026, 2, 12, 10, tzinfo=SHANGHAI), tick=False):
        roster_file(
            platform=third,
            year=2026,
            half=1,
            rows=[operator_row(2), operator_row(3)],
            channel="api",
            actor=officer,
        )
    with time_machine.travel(datetime(2026, 3, 1, 10, tzinfo=SHANGHAI), tick=False):
        page = client.get("/rosters/", {"year": 2026, "half": 1}, HTTP_ACCEPT_LANGUAGE="en")
    late = next(s for s in page.context["states"] if s.platform == third)
    assert late.filed and late.late and late.roster.version == 3
    assert late.first_filed_at.astimezone(SHANGHAI).date().isoformat() == "2026-02-10"
    assert page.context["not_filed"] == []
    assert "late: after the end of the month" in page.content.decode()


def test_admin_shows_rosters_and_rows_read_only_and_masked(client, platforms):
    from django.contrib.admin.sites import site

    number = marketer_row(3)["id_number"]
    roster = file(platforms, [operator_row(1), marketer_row(3)])
    row = roster.rows.get(kind="marketer")
    # A site admin (not a superuser): the role may read rosters, never change them.
    client.force_login(UserFactory(role=Role.SITE_ADMIN, is_staff=True))

    assert client.get("/admin/registry/roster/").status_code == 200
    assert client.get(f"/admin/registry/roster/{roster.pk}/change/").status_code == 200
    rows = client.get(f"/admin/registry/rosterrow/?roster__id__exact={roster.pk}")
    detail = client.get(f"/admin/registry/rosterrow/{row.pk}/change/")
    for page in (rows, detail):
        assert page.status_code == 200
        text = page.content.decode()
        assert row.id_number_masked in text
        assert number not in text  # never the clear number …
        assert row.id_number_encrypted not in text  # … nor the stored token or hash
        assert row.id_number_hash not in text
    # Read-only: nothing to add, change or delete.
    admin = site._registry[RosterRow]
    request = rows.wsgi_request
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, row)
    assert not admin.has_delete_permission(request, row)
    assert client.get("/admin/registry/rosterrow/add/").status_code == 403
    posted = client.post(f"/admin/registry/rosterrow/{row.pk}/change/", {"name": "改"})
    assert posted.status_code == 403
    row.refresh_from_db()
    assert row.name == "主播3"
    assert (
        client.post(f"/admin/registry/roster/{roster.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Roster.objects.filter(pk=roster.pk).exists()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def _workbook() -> bytes:
    workbook = Workbook()
    workbook.active.append(list(ROSTER_COLUMNS))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _zip_that_is_no_workbook() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return out.getvalue()


def _workbook_bomb() -> bytes:
    """An XLSX whose sheet unpacks to 300 MB (a zip bomb of a few hundred KB)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b" " * (1024 * 1024)
            for _ in range(300):
                sheet.write(block)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("roster.csv", _png, "is not a CSV file or an XLSX workbook (its content was checked)"),
        ("roster.xlsx", _zip_that_is_no_workbook, "is not a CSV file or an XLSX workbook"),
        ("roster.xlsx", lambda: _workbook()[:-200], "could not be read as an XLSX workbook"),
        ("roster.xlsx", _workbook_bomb, "unpacks to more than 200.0"),
        ("roster.csv", lambda: "类型,姓名\n".encode("utf-16"), "is not a CSV file or an XLSX"),
    ],
)
def test_the_roster_upload_goes_through_the_kernel_checker(
    client, platforms, name, content, message
):
    client.force_login(platforms.officer_a)
    upload = SimpleUploadedFile(name, content())
    response = client.post("/rosters/", {"year": 2026, "half": 1, "file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Roster.objects.exists()


def test_an_upload_shows_what_it_changes_and_files_only_on_confirmation(client, platforms):
    """A one-row file used to replace a five-row roster silently."""
    five = [operator_row(n) for n in range(1, 6)]
    filed = file(platforms, five)
    assert filed.status == RosterStatus.FILED
    client.force_login(platforms.officer_a)

    response = client.post(
        "/rosters/",
        {"year": 2026, "half": 1, "file": csv_upload([operator_row(1)])},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    pending = Roster.objects.get(version=2)
    page = response.content.decode()
    assert pending.status == RosterStatus.PENDING
    assert "Compared with 2026-H1 version 1: 0 joined, 4 left, 0 changed." in page
    assert 'id="roster-confirm"' in page
    filed.refresh_from_db()
    assert filed.status == RosterStatus.FILED  # nothing replaced yet

    # the regulator does not see an upload the platform has not confirmed
    client.force_login(platforms.zj_market_handler)
    assert client.get(f"/rosters/{pending.pk}/").status_code == 404

    client.force_login(platforms.officer_a)
    unticked = client.post(f"/rosters/{pending.pk}/confirm/", {}, follow=True)
    assert "Tick the box" in unticked.content.decode()
    assert Roster.objects.get(pk=pending.pk).status == RosterStatus.PENDING
    client.post(f"/rosters/{pending.pk}/confirm/", {"confirm": "yes"})
    pending.refresh_from_db()
    filed.refresh_from_db()
    assert (pending.status, filed.status) == (RosterStatus.FILED, RosterStatus.SUPERSEDED)
    assert client.post(f"/rosters/{pending.pk}/confirm/", {"confirm": "yes"}).status_code == 302
    assert Roster.objects.filter(status=RosterStatus.FILED).count() == 1


def test_only_the_latest_upload_of_a_half_year_can_be_confirmed(client, platforms):
    client.force_login(platforms.officer_a)
    for rows in ([operator_row(1)], [operator_row(2)]):
        client.post("/rosters/", {"year": 2026, "half": 1, "file": csv_upload(rows)})
    older = Roster.objects.get(version=1)
    response = client.post(f"/rosters/{older.pk}/confirm/", {"confirm": "yes"}, follow=True)
    assert "A later roster was sent" in response.content.decode()
    assert not Roster.objects.filter(status=RosterStatus.FILED).exists()


def test_a_roster_filed_after_its_due_date_is_marked_late(client, platforms):
    with time_machine.travel("2026-02-03 10:00 +0800"):
        roster = file(platforms, [operator_row(1)])
    assert roster.late
    with time_machine.travel("2026-07-15 10:00 +0800"):
        on_time = file(platforms, [operator_row(1)], half=2)
    assert not on_time.late
    client.force_login(platforms.officer_a)
    page = client.get(f"/rosters/{roster.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="roster-late"' in page
    api = key_client(platforms.raw_a).get(f"/api/v1/rosters/{roster.pk}/").json()
    assert (api["late"], api["due_on"]) == (True, "2026-01-31")
