"""Who sees which entry (pages and API), joint-punishment feedback, and the public page."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import DepartmentType, Role
from blacklist.models import Entry, Measure, MeasureImplementation, ShareScope, Status
from blacklist.selectors import entries_visible_to
from blacklist.services.listing import entry_expire_due, entry_propose, entry_revoke
from blacklist.services.measures import measure_record
from blacklist.services.platform_list import platform_appeal_decide, platform_entry_add
from portal.errors import Conflict, NotAllowed
from tests.factories import DepartmentFactory, UserFactory
from tests.pdftools import blank_pdf, pdf_with_javascript_in_object_stream

from .factories import EntryFactory, ListedEntryFactory, PlatformEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(world):
    xihu = world.departments["xihu_market"]
    return {
        "all": ListedEntryFactory(department=xihu, name="李娜"),
        "province": ListedEntryFactory(
            department=xihu,
            name="王芳",
            share_scope=ShareScope.PROVINCE,
            share_region_path="/100000/330000/",
        ),
        "proposed": EntryFactory(department=xihu, name="刘洋"),
        "own_platform": PlatformEntryFactory(platform=world.platform, name="陈静"),
        "other_platform": PlatformEntryFactory(platform=world.other_platform, name="杨帆"),
        "other_platform_expired": PlatformEntryFactory(
            platform=world.other_platform, name="赵磊", status=Status.EXPIRED
        ),
    }


def _visible(user, entries):
    seen = set(entries_visible_to(user))
    return {name for name, entry in entries.items() if entry in seen}


def test_lister_sees_everything_it_listed(world, entries):
    # The Yuhang platform's entries go to Yuhang and above, not to Xihu (Order 117 Art. 12 ¶3).
    assert _visible(world.handler, entries) == {"all", "province", "proposed"}


def test_another_department_type_in_the_province_sees_the_shared_entries(world, entries):
    # Joint punishment is across department types (Trial Art. 29); proposals are not shared.
    assert _visible(world.zj_cyber, entries) == {"all", "province", "own_platform"}


def test_a_department_of_another_province_sees_only_entries_shared_with_all(world, entries):
    # …and the entries (removed ones as history) of platforms domiciled in its province.
    assert _visible(world.gd_handler, entries) == {
        "all",
        "other_platform",
        "other_platform_expired",
    }


def test_a_national_department_sees_province_scoped_entries(world, entries, regions):
    samr = DepartmentFactory(region=regions["nation"], type=DepartmentType.MARKET_SUPERVISION)
    national = UserFactory(department=samr, role=Role.HANDLER)

    assert _visible(national, entries) == {
        "all",
        "province",
        "proposed",  # above the lister, same type
        "own_platform",
        "other_platform",
        "other_platform_expired",
    }


def test_platform_officer_sees_the_platforms_list_only(world, entries):
    assert _visible(world.officer, entries) == {"own_platform", "other_platform"}
    assert _visible(world.other_officer, entries) == {
        "own_platform",
        "other_platform",
        "other_platform_expired",
    }


@pytest.mark.parametrize(
    ("who", "entry", "status"),
    [
        ("gd_handler", "province", 404),
        ("gd_handler", "all", 200),
        ("zj_cyber", "proposed", 404),
        ("officer", "all", 404),
        ("officer", "other_platform", 200),
        ("officer", "other_platform_expired", 404),
        ("handler", "proposed", 200),
    ],
)
def test_pages_and_api_answer_404_out_of_scope(client, world, entries, who, entry, status):
    client.force_login(getattr(world, who))
    pk = entries[entry].pk

    assert client.get(reverse("blacklist:entry", args=[pk])).status_code == status
    assert client.get(f"/api/v1/blacklist/entries/{pk}/").status_code == status


def test_documents_are_scoped_too(client, world, entries):
    client.force_login(world.gd_handler)

    pk = entries["province"].pk
    assert client.get(reverse("blacklist:decision-pdf", args=[pk])).status_code == 404
    assert client.get(reverse("blacklist:notice-pdf", args=[pk])).status_code == 404


def test_api_list_is_scoped_and_filters(client, world, entries):
    client.force_login(world.gd_handler)

    listed = client.get("/api/v1/blacklist/entries/?status=listed").json()["results"]
    platforms = client.get("/api/v1/blacklist/entries/?list=platforms").json()["results"]

    assert {e["reference"] for e in listed} == {
        entries["all"].reference,
        entries["other_platform"].reference,
    }
    assert {e["reference"] for e in platforms} == {
        entries["other_platform"].reference,
        entries["other_platform_expired"].reference,
    }


# --- joint punishment feedback (Trial Art. 29) -----------------------------------


def test_departments_record_measures_and_the_lister_sees_them_all(client, world, entries):
    entry = entries["all"]
    key_supervision = Measure.objects.get(code="key-supervision")
    publicity = Measure.objects.get(code="credit-publicity")
    measure_record(
        actor=world.gd_handler,
        entry=entry,
        measures=[key_supervision],
        applied_on=date(2026, 4, 1),
    )
    measure_record(
        actor=world.zj_cyber, entry=entry, measures=[publicity], applied_on=date(2026, 4, 2)
    )
    measure_record(  # the same measure again: left as it is
        actor=world.gd_handler,
        entry=entry,
        measures=[key_supervision],
        applied_on=date(2026, 5, 1),
    )

    assert MeasureImplementation.objects.count() == 2
    client.force_login(world.handler)
    lister_page = client.get(reverse("blacklist:entry", args=[entry.pk])).text
    assert world.departments["gd_market"].name in lister_page
    assert world.departments["zj_cyber"].name in lister_page
    client.force_login(world.gd_handler)
    other_page = client.get(reverse("blacklist:entry", args=[entry.pk])).text
    implementations = other_page.split('id="implementations"')[1]
    assert world.departments["gd_market"].name in implementations
    assert world.departments["zj_cyber"].name not in implementations


def test_measures_are_recorded_by_api_only_on_listed_entries(client, world, entries):
    client.force_login(world.zj_cyber)

    ok = client.post(
        f"/api/v1/blacklist/entries/{entries['all'].pk}/measures/",
        {"measures": ["cyber-dishonesty-list"], "applied_on": "2026-04-01"},
        content_type="application/json",
    )
    proposed = EntryFactory(department=world.departments["zj_cyber"], name="某人")
    refused = client.post(
        f"/api/v1/blacklist/entries/{proposed.pk}/measures/",
        {"measures": ["cyber-dishonesty-list"], "applied_on": "2026-04-01"},
        content_type="application/json",
    )

    assert ok.status_code == 201
    assert ok.json()[0]["measure"]["code"] == "cyber-dishonesty-list"
    assert refused.status_code == 409


# --- the public page ---------------------------------------------------------------


def test_public_page_needs_no_login_masks_names_and_hides_numbers(client, world, entries):
    entry = entries["all"]

    page = client.get(reverse("blacklist:public"))

    assert page.status_code == 200
    assert "李*" in page.text and "李娜" not in page.text
    assert entry.id_number_masked not in page.text
    assert entry.category.name in page.text
    assert entry.legal_basis in page.text
    assert world.departments["xihu_market"].name in page.text
    assert entry.term_ends_on.isoformat() in page.text
    assert "刘*" not in page.text  # a proposal is not published
    assert "陈*" not in page.text  # platforms' list is not the departments' publicity


def test_public_page_shows_nothing_for_removed_entries(client, world):
    xihu = world.departments["xihu_market"]
    for status in (Status.EXPIRED, Status.REPAIRED, Status.REVOKED, Status.DROPPED):
        ListedEntryFactory(department=xihu, name="周杰", status=status)

    page = client.get(reverse("blacklist:public"))

    assert "周*" not in page.text
    assert (
        "No party is on the list today."
        in client.get(reverse("blacklist:public"), HTTP_ACCEPT_LANGUAGE="en").text
    )


# --- pages: propose, act, platform form ----------------------------------------------


def test_handler_proposes_from_the_page_with_the_penalty_decision_attached(client, world):
    client.force_login(world.handler)
    upload = SimpleUploadedFile("decision.pdf", blank_pdf(), content_type="application/pdf")

    response = client.post(
        reverse("blacklist:propose"),
        {
            "party": f"marketer:{world.marketer.pk}",
            "category": entries_category_pk(),
            "facts": "虚构功效",
            "legal_basis": "《网络直播营销管理办法（试行）》第十四条第三款",
            "decision_number": "杭西市监罚〔2026〕3号",
            "decision_date": "2026-02-01",
            "decision_document": upload,
            "term_months": "36",
            "measures": [Measure.objects.get(code="key-supervision").pk],
            "share_scope": "province",
        },
    )

    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert entry.share_region_path == "/100000/330000/"
    assert entry.decision_document.name
    document = client.get(reverse("blacklist:document", args=[entry.pk]))
    assert document.status_code == 200 and b"".join(document.streaming_content).startswith(b"%PDF")


def entries_category_pk():
    from registry.models import ViolationCategory

    return ViolationCategory.objects.get(code="false-information").pk


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(
            lambda: b"MZ\x90\x00 not a pdf",
            "is not a PDF, PNG or JPEG file (its content was checked)",
            id="program",
        ),
        pytest.param(
            lambda: b"%PDF-1.4\n<script>alert(document.cookie)</script>\n",
            "holds a web page or script besides the document",
            id="pdf-header-then-script",
        ),
        pytest.param(
            lambda: b"%PDF-1.4 test",
            "could not be read as a PDF document",
            id="pdf-header-only",
        ),
        pytest.param(
            lambda: pdf_with_javascript_in_object_stream("ASCIIHex"),
            "contains active content (JavaScript)",
            id="javascript-in-asciihex-object-stream",
        ),
        pytest.param(
            lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
            "could not be read as a whole image",
            id="png-header-garbage",
        ),
    ],
)
def test_propose_page_refuses_an_upload_that_is_not_a_document(client, world, content, message):
    """The penalty decision goes through the kernel's one upload checker."""
    client.force_login(world.handler)
    upload = SimpleUploadedFile("decision.pdf", content())

    response = client.post(
        reverse("blacklist:propose"),
        {
            "party": f"marketer:{world.marketer.pk}",
            "category": entries_category_pk(),
            "facts": "x",
            "legal_basis": "x",
            "decision_number": "1",
            "decision_date": "2026-02-01",
            "decision_document": upload,
            "term_months": "36",
            "share_scope": "all",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert message in response.text
    assert 'class="error-summary"' in response.text
    assert not Entry.objects.exists()


def test_propose_page_cannot_reach_a_party_outside_the_register_in_scope(client, world):
    client.force_login(world.gd_handler)

    response = client.post(
        reverse("blacklist:propose"),
        {"party": f"marketer:{world.marketer.pk}"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "No such party in the register you can see." in response.text


def test_a_domain_error_shows_as_a_form_error(client, world):
    entry = entry_propose(
        actor=world.handler,
        party=world.marketer,
        category=Entry._meta.get_field("category").related_model.objects.get(
            code="false-information"
        ),
        facts="x",
        legal_basis="x",
        decision_number="1",
        decision_date=date(2026, 1, 1),
    )
    client.force_login(world.supervisor)

    response = client.post(
        reverse("blacklist:decide", args=[entry.pk]),
        {"decision": "list", "reason": "情节严重", "confirm": "yes"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "cannot become" in response.text
    assert Entry.objects.get(pk=entry.pk).status == Status.PROPOSED


def test_detail_page_shows_history_and_the_next_step(client, world, entries):
    client.force_login(world.handler)

    page = client.get(reverse("blacklist:entry", args=[entries["proposed"].pk]))

    assert reverse("blacklist:notify", args=[entries["proposed"].pk]) in page.text
    assert 'id="history"' in page.text and "factory" in page.text


def test_platform_officer_blacklists_by_form_and_the_entry_expires_by_itself(client, world):
    client.force_login(world.officer)
    response = client.post(
        reverse("blacklist:platform-add"),
        {
            "name": "赵六",
            "party_kind": "person",
            "id_number": "11010519491231002X",
            "category": entries_category_pk(),
            "facts": "组织刷单",
            "term_ends_on": (timezone.localdate() + timedelta(days=180)).isoformat(),
            "appeal_route": "平台申诉中心，15日内",
            "measures": [Measure.objects.get(code="account-closure").pk],
        },
    )

    entry = Entry.objects.get()
    assert response.status_code == 302
    assert entry.status == Status.LISTED and entry.platform == world.platform
    assert entry.id_number_masked == "110105********002X"
    assert "11010519491231002X" not in str(Entry.objects.values().get())
    entry_expire_due(today=entry.term_ends_on)
    assert Entry.objects.get(pk=entry.pk).status == Status.EXPIRED


def test_platform_entry_by_api_and_appeal_upheld(client, world):
    from accounts.services import api_key_issue

    _key, raw = api_key_issue(platform=world.platform, name="风控", actor=None)
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}

    created = client.post(
        "/api/v1/blacklist/platform-entries/",
        {
            "name": "孙七",
            "id_number": "11010519491231002X",
            "category": "fake-traffic",
            "facts": "刷单",
            "term_ends_on": (timezone.localdate() + timedelta(days=365)).isoformat(),
            "appeal_route": "申诉中心",
            "measures": ["platform-blacklist"],
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["name"] == "孙七"

    appeal = client.post(
        f"/api/v1/blacklist/entries/{pk}/appeals/",
        {
            "received_on": timezone.localdate().isoformat(),
            "grounds": "身份被冒用",
            "upheld": True,
            "reason": "核实为冒用",
        },
        content_type="application/json",
        **auth,
    )

    assert appeal.status_code == 201, appeal.content
    assert Entry.objects.get(pk=pk).status == Status.REVOKED


def test_another_platform_cannot_decide_an_appeal(world):
    entry = PlatformEntryFactory(platform=world.platform, name="陈静")

    with pytest.raises(NotAllowed):
        platform_appeal_decide(
            actor=world.other_officer,
            entry=entry,
            received_on=date(2026, 4, 1),
            grounds="x",
            upheld=True,
            reason="x",
        )


def test_platform_entry_needs_a_term_after_today_and_an_appeal_route(world):
    with pytest.raises(ValidationError) as raised:
        platform_entry_add(
            actor=world.officer,
            platform=world.platform,
            name="某人",
            id_number="11010519491231002X",
            category=Entry._meta.get_field("category").related_model.objects.first(),
            facts="x",
            term_ends_on=timezone.localdate(),
            appeal_route=" ",
        )
    assert set(raised.value.message_dict) == {"term_ends_on", "appeal_route"}


def test_platform_entry_from_a_filing_is_made_once(world):
    source = world.room  # stands for a disposal filing
    fields = {
        "actor": world.officer,
        "platform": world.platform,
        "party": world.marketer,
        "category": Entry._meta.get_field("category").related_model.objects.first(),
        "facts": "x",
        "term_ends_on": timezone.localdate() + timedelta(days=30),
        "appeal_route": "申诉中心",
        "source": source,
    }

    first = platform_entry_add(**fields)
    again = platform_entry_add(**fields)

    assert first == again and Entry.objects.count() == 1
    assert first.id_number_hash == world.marketer.id_number_hash


def test_revoking_twice_is_a_no_op_and_a_dropped_entry_cannot_be_revoked(world, entries):
    entry_revoke(actor=world.supervisor, entry=entries["all"], reason="复议撤销")
    entry_revoke(actor=world.supervisor, entry=entries["all"], reason="复议撤销")

    assert entries["all"].states.filter(status=Status.REVOKED).count() == 1
    with pytest.raises(Conflict):
        entry_revoke(actor=world.supervisor, entry=entries["proposed"], reason="x")
