"""Pages: the web form, the CSV upload and its report, the regulator's list, the keys."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from accounts.models import PlatformApiKey
from accounts.services import api_key_find
from filings.models import DisposalFiling
from filings.services.filings import filing_submit, filing_submit_batch
from filings.services.validation import ITEM_FIELDS
from tests.filings.conftest import item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def form_data(n=1, **overrides):
    data = item(n, **overrides)
    now = timezone.localtime()
    data["conduct_at"] = (now - timezone.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data["acted_at"] = (now - timezone.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    data["evidence_links"] = "\n".join(data["evidence_links"])
    return data


def test_the_web_form_files_and_shows_where_it_went(client, platforms):
    client.force_login(platforms.officer_a)
    response = client.post("/filings/new/", form_data(1), follow=True)
    assert response.status_code == 200
    filing = DisposalFiling.objects.get()
    assert filing.channel == "web"
    page = response.content.decode()
    assert platforms.departments["yuhang_market"].name in page
    assert "Order 117 Art. 12 ¶3" in page


def test_the_web_form_shows_the_services_errors_beside_the_fields(client, platforms):
    client.force_login(platforms.officer_a)
    response = client.post(
        "/filings/new/", form_data(1, party_id_number="330106199611200621", measures=["warning"])
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["party_id_number"]
    assert errors and errors[0] in response.content.decode()
    assert not DisposalFiling.objects.exists()


def csv_file(rows) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ITEM_FIELDS)
    for row in rows:
        values = dict(row)
        values["measures"] = ";".join(values["measures"])
        values["evidence_links"] = ";".join(values["evidence_links"])
        writer.writerow([values.get(name, "") for name in ITEM_FIELDS])
    return SimpleUploadedFile("filings.csv", out.getvalue().encode("utf-8-sig"), "text/csv")


def test_csv_upload_files_the_good_rows_and_reports_the_others(client, platforms):
    client.force_login(platforms.officer_a)
    filing_submit(platform=platforms.a, item=item(3), channel="api", actor=platforms.officer_a)
    upload = csv_file([item(1), item(2, category="nope"), item(3), item(4)])
    response = client.post("/filings/upload/", {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 filed, 1 filed before, 1 with errors." in page
    assert set(DisposalFiling.objects.values_list("external_id", flat=True)) == {
        "XH-000001",
        "XH-000003",
        "XH-000004",
    }
    assert DisposalFiling.objects.get(external_id="XH-000004").channel == "csv"
    report = client.get("/filings/upload/report.csv")
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert lines[1][:3] == ["3", "XH-000002", "invalid"]
    assert lines[1][4] == "category"
    assert lines[2][:3] == ["4", "XH-000003", "duplicate"]


def test_staff_list_filters_counts_and_exports(client, platforms):
    filing_submit_batch(
        platform=platforms.a,
        items=[item(1, measures=["warning"]), item(2, measures=["warning", "traffic_limit"])],
        channel="api",
        actor=platforms.officer_a,
    )
    filing_submit(platform=platforms.b, item=item(1), channel="api", actor=platforms.officer_b)
    client.force_login(platforms.hz_handler)
    page = client.get("/filings/", {"measure": "traffic_limit"})
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 1
    counts = client.get("/filings/").context["counts"]
    assert counts["total"] == 2  # B's filing went to Guangdong, not here
    assert {c: n for c, _label, n in counts["by_measure"]}["warning"] == 2
    assert counts["by_platform"][0]["n"] == 2
    export = client.get("/filings/export.csv", {"measure": "warning"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3
    assert all("*" in row[6] for row in rows[1:])  # identity numbers masked


def test_a_filing_out_of_scope_answers_404(client, platforms):
    result = filing_submit(
        platform=platforms.a, item=item(1), channel="api", actor=platforms.officer_a
    )
    client.force_login(platforms.gd_handler)
    assert client.get(f"/filings/{result.id}/").status_code == 404
    client.force_login(platforms.officer_b)
    assert client.get(f"/filings/{result.id}/").status_code == 404
    client.force_login(platforms.officer_a)
    assert client.get(f"/filings/{result.id}/").status_code == 200


def test_the_key_page_issues_once_lists_and_revokes(client, platforms):
    client.force_login(platforms.officer_a)
    response = client.post("/platform/api-keys/", {"name": "ERP", "expires_on": ""}, follow=True)
    # POST, then redirect, then GET: a reload does not issue a second key.
    assert response.redirect_chain == [("/platform/api-keys/", 302)]
    raw = response.context["issued"]["raw"]
    page = response.content.decode()
    assert raw in page and platforms.a.name in page
    assert response["Cache-Control"] == "no-store"
    key = PlatformApiKey.objects.get(name="ERP")
    assert api_key_find(raw) == key
    reloaded = client.get("/platform/api-keys/").content.decode()
    assert raw not in reloaded and key.prefix in reloaded
    assert PlatformApiKey.objects.filter(name="ERP").count() == 1
    # Revoking asks first; only the confirmed POST revokes.
    asked = client.get(f"/platform/api-keys/{key.pk}/revoke/")
    assert asked.status_code == 200 and "ERP" in asked.content.decode()
    assert client.post(f"/platform/api-keys/{key.pk}/revoke/", {}).status_code == 200
    assert api_key_find(raw) == key
    done = client.post(f"/platform/api-keys/{key.pk}/revoke/", {"confirm": "yes"})
    assert done.status_code == 302
    assert api_key_find(raw) is None


def test_a_platform_cannot_revoke_another_platforms_key(client, platforms):
    client.force_login(platforms.officer_b)
    revoke = f"/platform/api-keys/{platforms.key_a.pk}/revoke/"
    assert client.get(revoke).status_code == 404
    assert client.post(revoke, {"confirm": "yes"}).status_code == 404
    assert api_key_find(platforms.raw_a) is not None


def test_staff_have_no_key_page(client, platforms):
    client.force_login(platforms.yuhang_handler)
    assert client.get("/platform/api-keys/").status_code == 403


def test_the_platform_home_shows_filings_notices_roster_and_keys(client, platforms):
    filing_submit(platform=platforms.a, item=item(1), channel="api", actor=platforms.officer_a)
    client.force_login(platforms.officer_a)
    response = client.get("/")
    assert response.context["filings_total"] == 1
    assert response.context["api_keys_live"] == 1
    assert "XH-000001" in response.content.decode()


def test_the_admin_shows_where_a_filing_went(client, platforms):
    from tests.factories import UserFactory

    result = filing_submit(
        platform=platforms.a,
        item=item(1, measures=["account_closure"]),
        channel="api",
        actor=platforms.officer_a,
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(f"/admin/filings/disposalfiling/{result.id}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    for name in ("yuhang_market", "zj_cyber", "zj_market"):
        assert platforms.departments[name].label in text
    assert "provincial department of the platform" in text  # the reason, per department


def test_a_filings_upload_that_is_no_csv_is_refused_beside_the_field(client, platforms):
    from tests.pdftools import blank_pdf

    client.force_login(platforms.officer_a)
    upload = SimpleUploadedFile("filings.csv", blank_pdf(), "text/csv")

    response = client.post("/filings/upload/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")

    assert "is not a CSV file (its content was checked)" in response.content.decode()
    assert not DisposalFiling.objects.exists()
