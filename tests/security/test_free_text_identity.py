"""Identity numbers in free text.

A full resident ID number typed into a filing's ``facts`` used to be stored in
clear in the filing, the blacklist entry, its state's reason and the audit
trail, and platform B's API showed it to them. Now free text is scanned at
write: resident ID numbers (checksum) and mobile numbers are masked where the
text is stored, the clear text is encrypted beside it (sealed fields) or kept
nowhere (trails), and a role that may see identity numbers reveals it, audited.
"""

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.utils import translation

from accounts.models import Role
from blacklist.models import Entry, EntryState
from complaints.models import Complaint
from demo.data import demo_ric
from filings.models import DisposalFiling
from portal.fields import MaskedJSONField, MaskedTextField, clear_text
from portal.freetext import mask_text
from portal.models import AuditEvent, IdentityView
from tests.complaints import conftest as complaint_fixtures
from tests.complaints.test_api import intake
from tests.factories import UserFactory
from tests.filings import conftest as filing_fixtures
from tests.filings.test_dates import blacklisting

pytestmark = pytest.mark.django_db
world = complaint_fixtures.world
platforms = filing_fixtures.platforms

RIC = demo_ric("330106", date(1988, 3, 14), 517)
MASKED_RIC = RIC[:6] + "********" + RIC[-4:]
PHONE = "13912345678"
MASKED_PHONE = "139****5678"
FACTS = f"当事人李佳怡（身份证号{RIC}）在直播中宣称普通食品具有治疗功效，联系电话{PHONE}。"

# Text fields that are not prose people type about a matter: each with its reason.
NOT_PROSE = {
    # the law as data, written by the site admin from the published texts
    "portal.CalendarYear.notice_text": "the State Council's calendar notice",
    "portal.RuleSet.transitional": "rule-set text",
    "portal.RuleSet.note": "rule-set text",
    "portal.RuleClock.note": "rule-set text",
    "portal.RuleClock.pauses_in": "event codes",
    "portal.RuleClock.excludes": "event codes",
    "portal.RuleGround.note": "rule-set text",
    "portal.RuleCitation.note": "rule-set text",
    "registry.ViolationCategory.department_types": "department type codes",
    "inspections.ChecklistTemplateItem.text": "checklist text from the rules",
    "inspections.ChecklistTemplateItem.text_en": "checklist text from the rules",
    "inspections.InspectionItem.text": "copied from the checklist",
    "inspections.InspectionItem.text_en": "copied from the checklist",
    # identity numbers themselves, encrypted
    "registry.Operator.id_number_encrypted": "ciphertext",
    "registry.Marketer.id_number_encrypted": "ciphertext",
    "registry.Supplier.id_number_encrypted": "ciphertext",
    "registry.RosterRow.id_number_encrypted": "ciphertext",
    "filings.DisposalFiling.id_number_encrypted": "ciphertext",
    # codes and keys the portal writes
    "complaints.CaseEvent.message_key": "a message id of the portal's",
    "filings.DisposalFiling.measures": "measure codes",
    "filings.DisposalFiling.evidence_links": "addresses, checked as URLs",
    "blacklist.Entry.name_form": "the screening normaliser's form of the name",
    "blacklist.ScreeningLog.asked": "names and masked numbers (blacklist.services)",
    "blacklist.ScreeningLog.found": "entry references",
    "blacklist.ScreeningJobError.message_key": "a message id of the portal's",
    "blacklist.ScreeningJobHit.why": "the matcher's reasons for a hit",
    "blacklist.ScreeningJobHit.matched_fields": "field names",
    "blacklist.ScreeningJob.failure": "the portal's message when a job fails",
}
THIRD_PARTY = {"auth", "contenttypes", "sessions", "admin", "axes", "django_celery_beat"}
THIRD_PARTY |= {"django_celery_results", "authtoken", "otp_totp", "otp_static"}


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def test_every_free_text_field_of_the_portal_is_masked_or_sealed_or_named_here():
    unguarded = []
    for model in apps.get_models():
        if model._meta.app_label in THIRD_PARTY:
            continue
        for field in model._meta.concrete_fields:
            label = f"{model._meta.label}.{field.name}"
            if field.name.endswith("_sealed") or label in NOT_PROSE:
                continue
            if isinstance(field, models.TextField | models.JSONField) and not isinstance(
                field, MaskedTextField | MaskedJSONField
            ):
                unguarded.append(label)
    assert unguarded == []


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"身份证{RIC}。", f"身份证{MASKED_RIC}。"),
        (f"ID {RIC[:6]} {RIC[6:14]} {RIC[14:]} ok", f"ID {MASKED_RIC} ok"),
        (f"电话{PHONE}", f"电话{MASKED_PHONE}"),
        ("call +86 139-1234-5678 now", f"call {MASKED_PHONE} now"),
        # not identity numbers: a wrong check digit, a longer run, a landline
        (f"{RIC[:-1]}{'0' if RIC[-1] != '0' else '1'}", None),
        (f"订单号{RIC}99", None),
        ("123456789012345678901234", None),
        ("0571-87654321", None),
    ],
)
def test_what_counts_as_an_identity_number_in_text(text, masked):
    assert mask_text(text) == (masked if masked is not None else text)


def key_post(client, raw_key, path, body):
    return client.post(
        path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Api-Key {raw_key}"
    )


def whole_database_text() -> str:
    """Every row of every table of the portal, as PostgreSQL writes it out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [name for (name,) in cursor.fetchall()]
        parts = []
        for table in tables:
            cursor.execute(f"SELECT coalesce(string_agg(t::text, chr(10)), '') FROM \"{table}\" t")  # noqa: S608
            parts.append(cursor.fetchone()[0])
    return "\n".join(parts)


@pytest.fixture
def listed(client, platforms):
    """A blacklisting filing from platform A whose facts carry an ID and a phone."""
    body = blacklisting(1, facts=FACTS, appeal_route=f"申诉请拨打{PHONE}。")
    response = key_post(client, platforms.raw_a, "/api/v1/filings/", body)
    assert response.status_code == 201, response.content
    assert FACTS not in response.content.decode()
    return DisposalFiling.objects.get(), Entry.objects.get()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads every table as text")
def test_a_number_in_a_filings_facts_is_nowhere_in_the_database_in_clear(listed):
    filing, entry = listed

    assert MASKED_RIC in filing.facts and MASKED_PHONE in filing.facts
    assert MASKED_RIC in entry.facts
    assert filing.facts_sealed and entry.facts_sealed
    dump = whole_database_text()
    assert RIC not in dump
    assert PHONE not in dump
    assert MASKED_RIC in dump  # the scan does read the rows


def test_other_platforms_and_other_pages_see_the_facts_masked(client, platforms, listed):
    filing, _entry = listed
    response = client.get(
        "/api/v1/blacklist/entries/", HTTP_AUTHORIZATION=f"Api-Key {platforms.raw_b}"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert RIC not in body and PHONE not in body

    client.force_login(platforms.officer_a)
    page = client.get(f"/filings/{filing.pk}/").content.decode()
    assert MASKED_RIC in page and RIC not in page
    assert all(RIC not in state.reason for state in EntryState.objects.all())
    assert all(RIC not in str(event.data) + event.reason for event in AuditEvent.objects.all())


def test_a_supervisor_reveals_the_facts_and_the_view_is_recorded(client, platforms, listed):
    _filing, entry = listed
    supervisor = UserFactory(
        department=platforms.departments["yuhang_market"], role=Role.SUPERVISOR
    )
    client.force_login(supervisor)
    url = f"/free-text/blacklist.entry/{entry.pk}/facts/"

    page = client.get(url)
    assert page.status_code == 200
    assert RIC not in page.content.decode()
    shown = client.post(url, {"purpose": "核实当事人身份"})

    assert shown.status_code == 200
    assert FACTS in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    view = IdentityView.objects.get()
    assert (view.actor, view.purpose, view.object_id) == (
        supervisor,
        "核实当事人身份",
        str(entry.pk),
    )
    assert AuditEvent.objects.filter(action="free_text.revealed", reason="核实当事人身份").exists()


def test_reveal_needs_the_role_a_purpose_and_the_scope(client, platforms, listed):
    _filing, entry = listed
    body = {"object": "blacklist.entry", "id": entry.pk, "field": "facts", "purpose": "核实"}

    as_platform = key_post(client, platforms.raw_a, "/api/v1/free-text/reveal/", body)
    assert as_platform.status_code in (403, 404)
    assert RIC not in as_platform.content.decode()

    handler = UserFactory(department=platforms.departments["yuhang_market"], role=Role.HANDLER)
    client.force_login(handler)
    assert (
        client.post("/api/v1/free-text/reveal/", body, content_type="application/json").status_code
        == 403
    )

    outsider = UserFactory(department=platforms.departments["gd_market"], role=Role.SUPERVISOR)
    client.force_login(outsider)
    far = client.post("/api/v1/free-text/reveal/", body, content_type="application/json")
    assert far.status_code == 404
    not_sealed = client.post(
        "/api/v1/free-text/reveal/",
        body | {"field": "legal_basis"},
        content_type="application/json",
    )
    assert not_sealed.status_code == 404

    supervisor = UserFactory(
        department=platforms.departments["yuhang_market"], role=Role.SUPERVISOR
    )
    client.force_login(supervisor)
    no_purpose = client.post(
        "/api/v1/free-text/reveal/", body | {"purpose": " "}, content_type="application/json"
    )
    assert no_purpose.status_code == 400
    shown = client.post("/api/v1/free-text/reveal/", body, content_type="application/json")
    assert shown.status_code == 200
    assert shown.json() == {"text": FACTS}
    assert IdentityView.objects.count() == 1


def test_a_consumers_phone_in_the_description_is_masked_on_the_staff_page(client, world):
    body = intake(world, description=f"主播宣称包治百病，请联系我{PHONE}，身份证{RIC}。")
    response = client.post("/api/v1/complaints/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    assert RIC not in complaint.description and PHONE not in complaint.description
    assert complaint.description_sealed

    supervisor = UserFactory(department=complaint.department, role=Role.SUPERVISOR)
    client.force_login(supervisor)
    page = client.get(f"/complaints/cases/{complaint.pk}/").content.decode()
    assert MASKED_PHONE in page and PHONE not in page
    assert f"/free-text/complaints.complaint/{complaint.pk}/description/" in page


def test_an_edited_text_keeps_no_stale_seal(platforms, listed):
    filing, _entry = listed
    filing.facts = "当事人已整改。"
    filing.save(update_fields=["facts"])
    filing.refresh_from_db()
    assert (filing.facts, filing.facts_sealed) == ("当事人已整改。", "")


def test_the_one_off_command_seals_rows_written_before(platforms, listed):
    filing, entry = listed
    # rows as an older portal wrote them: clear text, no seal
    DisposalFiling.objects.filter(pk=filing.pk).update(facts=FACTS, facts_sealed="")
    AuditEvent.objects.filter(pk=AuditEvent.objects.first().pk).update(reason=FACTS)
    EntryState.objects.filter(entry=entry).update(data={"facts": FACTS})

    first, again = StringIO(), StringIO()
    call_command("seal_free_text", stdout=first)
    call_command("seal_free_text", stdout=again)

    filing.refresh_from_db()
    assert RIC not in filing.facts and filing.facts_sealed
    assert clear_text(filing, "facts") == FACTS
    assert not AuditEvent.objects.filter(reason__contains=RIC).exists()
    assert all(RIC not in str(state.data) for state in EntryState.objects.all())
    assert first.getvalue().splitlines()[-1] == "3 row(s) sealed."
    assert again.getvalue().splitlines()[-1] == "0 row(s) sealed."
