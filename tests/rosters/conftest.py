import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from demo.data import demo_ric, demo_uscc
from registry.rosters.services import ROSTER_COLUMNS
from tests.filings.conftest import platforms  # noqa: F401 - the same two platforms


def operator_row(n=1, **overrides):
    row = {
        "kind": "operator",
        "name": f"运营者{n}有限公司",
        "uscc": demo_uscc("330106", 700 + n),
        "live_room_account": f"xh-{n}",
        "business_region": "330106",
        "home_region": "330106",
        "contact": "0571-88888888",
    }
    row.update(overrides)
    return row


def marketer_row(n=1, **overrides):
    row = {
        "kind": "marketer",
        "name": f"主播{n}",
        "id_number": demo_ric("330106", date(1995, 1, 1), n),
        "live_room_account": f"xh-{n}",
        "home_region": "330106",
        "contact": "13800000000",
    }
    row.update(overrides)
    return row


def csv_upload(rows, name="roster.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ROSTER_COLUMNS)
    for row in rows:
        writer.writerow([row.get(c, "") for c in ROSTER_COLUMNS])
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8-sig"), "text/csv")


@pytest.fixture
def english(client, settings):
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
