"""CSV formula injection: every CSV the portal writes shows a cell
that starts with = + - @ (or a tab or carriage return) as text, never as a formula.

``=HYPERLINK(…)`` sent as a live room's or a party's name used to be written raw into
the case, filing and blacklist exports and echoed in the upload reports: opened in a
spreadsheet, it was a live link. Each CSV is fetched here as its users fetch it.
"""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Platform
from filings.services.filings import filing_submit
from filings.services.validation import ITEM_FIELDS
from portal.csv import FORMULA_STARTS, Writer
from registry.rosters.services import roster_file
from tests.blacklist.factories import ListedEntryFactory
from tests.factories import ComplaintFactory
from tests.filings.conftest import item
from tests.rosters.conftest import operator_row

pytestmark = pytest.mark.django_db

PAYLOAD = '=HYPERLINK("https://evil.example/x")'
OTHERS = ["+1+cmd", "-2+3", "@SUM(1+1)"]
ROSTER_PAYLOAD = "=1+cmd|A0"  # a USCC column is short


def rows_of(response) -> list[list[str]]:
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def assert_no_formula(rows: list[list[str]]) -> None:
    live = [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
    assert live == [], f"cells a spreadsheet would run: {live}"


def cells(rows) -> set[str]:
    return {cell for row in rows for cell in row}


def test_the_writer_neutralises_every_formula_start_and_keeps_numbers():
    out = io.StringIO()
    Writer(out).writerow([PAYLOAD, "+1", "-1", "@A1", "\tx", "\rx", "a=b", -5, 3.5, None, "'"])
    row = next(csv.reader(io.StringIO(out.getvalue())))
    assert row == ["'" + PAYLOAD, "'+1", "'-1", "'@A1", "'\tx", "'\rx", "a=b", "-5", "3.5", "", "'"]


def test_the_filings_export_and_the_upload_report(client, platforms):
    for n, name in enumerate([PAYLOAD, *OTHERS], start=1):
        filing_submit(
            platform=platforms.a,
            item=item(n, party_name=name, live_room_account="-room"),
            channel="api",
            actor=platforms.officer_a,
        )
    client.force_login(platforms.hz_handler)
    export = rows_of(client.get("/filings/export.csv"))
    assert len(export) == 5
    assert_no_formula(export)
    assert {"'" + PAYLOAD, *("'" + o for o in OTHERS), "'-room"} <= cells(export)

    client.force_login(platforms.officer_a)
    out = io.StringIO()
    writer = csv.writer(out)  # the file a platform uploads, as it wrote it
    writer.writerow(ITEM_FIELDS)
    bad = item(9, external_id=PAYLOAD, measures="warning", evidence_links="")
    writer.writerow([bad.get(name, "") for name in ITEM_FIELDS])
    upload = SimpleUploadedFile("f.csv", out.getvalue().encode("utf-8-sig"), "text/csv")
    assert client.post("/filings/upload/", {"file": upload}).status_code == 200
    report = rows_of(client.get("/filings/upload/report.csv"))
    assert "'" + PAYLOAD in cells(report)
    assert_no_formula(report)

    template = rows_of(client.get("/filings/template.csv"))
    assert template[0] == list(ITEM_FIELDS)
    assert_no_formula(template)


def test_the_case_export(client, platforms):
    department = platforms.departments["yuhang_market"]
    ComplaintFactory(department=department, live_room_name=PAYLOAD, platform_other="@evil")
    client.force_login(platforms.yuhang_handler)
    export = rows_of(client.get("/complaints/cases/export.csv"))
    assert len(export) == 2
    assert "'" + PAYLOAD in cells(export)
    assert_no_formula(export)


def test_the_blacklist_export_and_the_screening_report(client, platforms):
    department = platforms.departments["yuhang_market"]
    ListedEntryFactory(department=department, name=PAYLOAD)
    client.force_login(platforms.yuhang_handler)
    export = rows_of(client.get("/api/v1/blacklist/export.csv"))
    assert len(export) == 2
    assert "'" + PAYLOAD in cells(export)
    assert_no_formula(export)

    screened = rows_of(
        client.post("/blacklist/screening/", {"text": f"{PAYLOAD},,\n-1,,", "format": "csv"})
    )
    assert len(screened) == 3
    assert {"'" + PAYLOAD, "'-1"} <= cells(screened)
    assert_no_formula(screened)


def test_the_risk_export(client, platforms):
    Platform.objects.filter(pk=platforms.a.pk).update(name=PAYLOAD)
    client.force_login(platforms.hz_handler)
    export = rows_of(client.get("/inspections/risk/export.csv?view=platforms"))
    assert "'" + PAYLOAD in cells(export)
    assert_no_formula(export)


def test_the_roster_error_report_and_template(client, platforms):
    roster = roster_file(
        platform=platforms.a,
        year=2026,
        half=1,
        rows=[operator_row(1, uscc=ROSTER_PAYLOAD)],
        channel="api",
        actor=platforms.officer_a,
    )
    client.force_login(platforms.officer_a)
    report = rows_of(client.get(f"/rosters/{roster.pk}/errors.csv"))
    assert "'" + ROSTER_PAYLOAD in cells(report)
    assert_no_formula(report)

    template = rows_of(client.get("/rosters/template.csv"))
    assert_no_formula(template)


def test_no_module_writes_csv_but_through_the_one_writer():
    """A new export that used ``csv.writer`` directly would bypass the neutralising."""
    base = Path(settings.BASE_DIR)
    apps = ["accounts", "blacklist", "complaints", "inspections", "portal", "registry"]
    offenders = [
        str(path.relative_to(base))
        for app in apps
        for path in (base / app).rglob("*.py")
        if path != base / "portal" / "csv.py"
        and any(call in path.read_text() for call in ("csv.writer(", "csv.DictWriter("))
    ]
    assert offenders == []
