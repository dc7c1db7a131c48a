"""Screening: the forms Chinese names take, identifiers, the log, the API and the page."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import api_key_issue
from blacklist.models import ScreeningLog
from blacklist.screening.log import screening_run
from blacklist.screening.matching import ScreeningQuery, first_name_only, screening_match
from blacklist.screening.names import HIT_THRESHOLD, score_name_strings
from demo.data import demo_ric, demo_uscc
from portal.errors import NotAllowed
from portal.models import AuditEvent
from registry.models import PartyKind

from .factories import EntryFactory, ListedEntryFactory, PlatformEntryFactory

pytestmark = pytest.mark.django_db

ID_NUMBER = demo_ric("330106", date(1990, 5, 17), 18)


@pytest.fixture
def zhang_wei(world):
    return ListedEntryFactory(
        department=world.departments["xihu_market"], name="张伟", id_number=ID_NUMBER
    )


def _screen(user, **query):
    result = screening_run(actor=user, queries=[ScreeningQuery(**query)], channel="web")
    return result.answers[0].matches


@pytest.mark.parametrize(
    "written",
    [
        "张伟",
        "張偉",  # traditional characters
        "张 伟",
        "张·伟",  # middle dot
        "Zhang Wei",
        "WEI Zhang",  # family name last, upper case
        "Zhāng Wěi",  # tone marks
        "zhang1 wei3",  # tone numbers
        "ＺＨＡＮＧ　ＷＥＩ",  # full-width letters and space
        "zhangwei",
    ],
)
def test_every_form_of_the_name_is_a_hit(world, zhang_wei, written):
    matches = _screen(world.handler, name=written)

    assert [m.entry for m in matches] == [zhang_wei]
    assert matches[0].score >= HIT_THRESHOLD
    assert matches[0].matched_fields == ["name"]
    assert matches[0].why


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Nana Ouyang", "欧阳娜娜"),  # compound family name, given name first
        ("Xiaowei Zhang", "张小伟"),
        ("Shan Tianfang", "单田芳"),  # a surname read otherwise than the word (单 dan)
        ("Lyu Bu", "吕布"),  # ü as passports write it
        ("星河直播电商公司", "星河直播电商有限公司"),  # legal-form suffix
    ],
)
def test_harder_name_forms_score_as_hits(query, listed):
    assert score_name_strings(query, listed) >= HIT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Liu Ping", "李宇平"),  # liuping / liyuping: one letter apart joined, a syllable apart
        ("Liu Ping", "Li Yu Ping"),
        ("Li Ping", "李宇平"),
        ("Zhang Wei", "Zhang Weihua"),
    ],
)
def test_latin_names_are_compared_syllable_by_syllable(query, listed):
    """A missing syllable costs the whole syllable: joined strings a letter or two apart
    are no longer hits when the names have a different number of syllables."""
    assert score_name_strings(query, listed) < HIT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Zhang Wai", "Zhang Wei"),  # one letter off in one syllable stays a hit
        ("ZHANG Xiaowei", "Xiaowei Zhang"),  # passport form, either order
        ("zhangxiaowei", "Zhang Xiao Wei"),  # joined, cut into syllables
    ],
)
def test_latin_spellings_one_letter_apart_or_reordered_still_hit(query, listed):
    assert score_name_strings(query, listed) >= HIT_THRESHOLD


def test_a_hit_answers_the_whole_entry_with_its_state_grounds_and_lister(world, zhang_wei):
    (match,) = _screen(world.officer, name="Zhang Wei")

    with CaptureQueriesContext(connection) as built:
        entry = match.entry
    with CaptureQueriesContext(connection) as reads:
        shown = (entry.reference, entry.status, entry.category.name, str(entry.lister))

    assert shown == (
        zhang_wei.reference,
        zhang_wei.status,
        zhang_wei.category.name,
        str(zhang_wei.lister),
    )
    assert entry.term_ends_on == zhang_wei.term_ends_on
    assert len(built) <= 2, "the hits' rows, grounds and listers are read once, together"
    assert len(reads) == 0, "the hit comes complete, not read again field by field"


def test_an_entry_written_in_latin_letters_is_found_by_the_characters(world):
    latin = PlatformEntryFactory(platform=world.platform, name="ZHANG Wei", id_number=ID_NUMBER)

    matches = _screen(world.officer, name="張偉")

    assert [m.entry for m in matches] == [latin]
    assert 0.85 <= matches[0].score < 1


def test_a_homophone_with_other_characters_is_not_a_hit(world, zhang_wei):
    exact = score_name_strings("张伟", "张伟")
    homophone = score_name_strings("张伟", "张玮")

    assert homophone < exact
    assert homophone < HIT_THRESHOLD
    assert _screen(world.handler, name="张玮") == []


@pytest.mark.parametrize("other", ["李伟", "张伟伟", "Li Na", "王芳"])
def test_other_names_do_not_match(world, zhang_wei, other):
    assert _screen(world.handler, name=other) == []


def test_an_identifier_matches_exactly_whatever_the_name(world, zhang_wei):
    matches = _screen(world.handler, name="某某", id_number=ID_NUMBER.lower())

    assert [m.entry for m in matches] == [zhang_wei]
    assert matches[0].score == 1.0
    assert matches[0].matched_fields == ["id_number"]


def test_uscc_matches_exactly(world):
    uscc = demo_uscc("330106", 4242)
    company = ListedEntryFactory(
        department=world.departments["xihu_market"],
        name="杭州某某贸易有限公司",
        party_kind=PartyKind.ORGANISATION,
        id_number_hash="",
        id_number_masked="",
        uscc=uscc,
    )

    matches = _screen(world.handler, uscc=uscc)

    assert [(m.entry, m.score, m.matched_fields) for m in matches] == [(company, 1.0, ["uscc"])]


def test_entries_not_on_the_list_are_not_hits(world):
    xihu = world.departments["xihu_market"]
    EntryFactory(department=xihu, name="张伟")  # proposed only
    ListedEntryFactory(department=xihu, name="张伟", status="expired")

    assert _screen(world.handler, name="张伟") == []


def test_the_log_keeps_counts_and_never_the_numbers_asked(world, zhang_wei):
    result = screening_run(
        actor=world.officer,
        queries=[
            ScreeningQuery(name="Zhang Wei", id_number=ID_NUMBER),
            ScreeningQuery(name="无关的人"),
        ],
        channel="api",
    )

    log = ScreeningLog.objects.get()
    assert (log.queries, log.queries_with_hits, log.hits) == (2, 1, 1)
    assert log.platform == world.platform and log.actor == world.officer
    assert result.log == log
    stored = " ".join(str(v) for v in ScreeningLog.objects.values().get().values())
    stored += " ".join(str(e.data) for e in AuditEvent.objects.all())
    assert ID_NUMBER not in stored and ID_NUMBER[-6:] not in stored


def test_candidates_come_from_the_key_index_not_a_scan(world, zhang_wei):
    xihu = world.departments["xihu_market"]
    for name in ["李娜", "王芳", "刘洋", "陈静", "杨帆"]:
        ListedEntryFactory(department=xihu, name=name)

    with CaptureQueriesContext(connection) as captured:
        _screen(world.handler, name="Zhang Wei")

    entry_reads = [
        q["sql"] for q in captured.captured_queries if 'FROM "blacklist_entry"' in q["sql"]
    ]
    assert entry_reads, "the candidates are read"
    # Every read of entries is bounded by the key index (the name keys joined, an ``IN``
    # list of keys, or one array on PostgreSQL) or by candidate ids found so.
    by_key = ('"blacklist_entrynamekey"."key" IN', '"blacklist_entrynamekey"."key" = ANY')
    by_id = ('"blacklist_entry"."id" IN', '"blacklist_entry"."id" = ANY')
    assert all(any(bound in sql for bound in by_key + by_id) for sql in entry_reads)
    key_reads = [
        q["sql"] for q in captured.captured_queries if '"blacklist_entrynamekey"' in q["sql"]
    ]
    assert key_reads
    assert all(any(bound in sql for bound in by_key) for sql in key_reads)


def test_a_role_without_screening_may_not_screen(world, zhang_wei):
    from accounts.models import Role
    from tests.factories import UserFactory

    admin = UserFactory(department=world.departments["xihu_market"], role=Role.DEPARTMENT_ADMIN)

    with pytest.raises(NotAllowed):
        _screen(admin, name="张伟")


# --- API ----------------------------------------------------------------------------


@pytest.fixture
def api_key(world):
    _key, raw = api_key_issue(platform=world.platform, name="风控系统", actor=None)
    return {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}


def test_platform_screens_by_api_key_and_sees_a_departments_hit_masked(
    client, world, zhang_wei, api_key
):
    response = client.post(
        "/api/v1/screening/", {"name": "Zhang Wei"}, content_type="application/json", **api_key
    )

    assert response.status_code == 200
    body = response.json()
    assert body["hit"] is True
    [match] = body["matches"]
    assert match["entry"]["name"] == "张**"
    assert match["entry"]["list"] == "departments"
    assert match["entry"]["grounds"]["code"] == "false-information"
    assert match["entry"]["listed_by"] == world.departments["xihu_market"].name
    assert match["entry"]["term_ends_on"] == zhang_wei.term_ends_on.isoformat()
    assert match["matched_fields"] == ["name"] and 0.85 <= match["score"] <= 1
    assert ScreeningLog.objects.get().actor_label.endswith("风控系统")


def test_staff_see_the_name_of_a_hit(client, world, zhang_wei):
    client.force_login(world.zj_cyber)

    response = client.post("/api/v1/screening/", {"name": "張偉"}, content_type="application/json")

    assert response.json()["matches"][0]["entry"]["name"] == "张伟"


def test_bad_input_answers_400_with_field_messages(client, world, api_key):
    empty = client.post("/api/v1/screening/", {}, content_type="application/json", **api_key)
    bad_id = client.post(
        "/api/v1/screening/",
        {"id_number": "110105194912310021"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **api_key,
    )

    assert empty.status_code == 400 and "name" in empty.json()
    assert bad_id.status_code == 400
    assert bad_id.json()["id_number"] == ["The check digit of this resident ID number is wrong."]
    assert not ScreeningLog.objects.exists()


def test_batch_answers_each_item(client, world, zhang_wei, api_key):
    queries = [
        {"ref": "a", "name": "WEI Zhang"},
        {"ref": "b", "uscc": "91330106MA27XU1234"},  # wrong check character
        {"ref": "c", "name": "无关的人"},
        {"ref": "d", "id_number": ID_NUMBER},
    ]

    response = client.post(
        "/api/v1/screening/batch/",
        {"queries": queries},
        content_type="application/json",
        **api_key,
    )

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4 and body["queries_with_hits"] == 2
    results = {r["ref"]: r for r in body["results"]}
    assert results["a"]["matches"][0]["entry"]["reference"] == zhang_wei.reference
    assert "uscc" in results["b"]["errors"] and "matches" not in results["b"]
    assert results["c"]["matches"] == []
    assert results["d"]["matches"][0]["score"] == 1.0
    assert ScreeningLog.objects.get().queries == 3


def test_batch_over_1000_is_refused(client, world, api_key):
    response = client.post(
        "/api/v1/screening/batch/",
        {"queries": [{"name": "张伟"}] * 1001},
        content_type="application/json",
        **api_key,
    )

    assert response.status_code == 400
    assert "queries" in response.json()


def test_unauthenticated_screening_answers_401(client, db):
    assert client.post("/api/v1/screening/", {"name": "张伟"}).status_code == 401


def test_other_platforms_entry_is_a_hit_for_a_platform(world, api_key, client):
    entry = PlatformEntryFactory(platform=world.other_platform, name="刘洋", department=None)

    response = client.post(
        "/api/v1/screening/", {"name": "Liu Yang"}, content_type="application/json", **api_key
    )

    [match] = response.json()["matches"]
    assert match["entry"]["reference"] == entry.reference
    assert match["entry"]["list"] == "platforms"
    assert match["entry"]["appeal_route"]


# --- the page -----------------------------------------------------------------------


def test_screening_page_takes_pasted_lines_and_exports_csv(client, world, zhang_wei):
    client.force_login(world.officer)
    pasted = f"张伟\n李四,{ID_NUMBER}\n王五,110105194912310021\n"

    page = client.post(reverse("blacklist:screening"), {"text": pasted, "format": "html"})
    export = client.post(reverse("blacklist:screening"), {"text": pasted, "format": "csv"})

    assert page.status_code == 200
    assert f"{zhang_wei.reference} 张*" in page.text  # another lister's entry: name masked
    assert page.context["log"].queries == 2
    assert page.context["row_errors"][0][0] == 3
    assert ID_NUMBER not in page.text  # the ID number asked is shown masked
    assert export["Content-Type"].startswith("text/csv")
    rows = export.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("row,name,id_number_masked")
    assert len(rows) == 3 and all(zhang_wei.reference in row for row in rows[1:])
    assert ID_NUMBER not in export.content.decode("utf-8-sig")


def test_screening_page_takes_a_csv_upload(client, world, zhang_wei):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.handler)
    upload = SimpleUploadedFile(
        "list.csv", b"name,id_number,uscc\nZhang Wei,,\n", content_type="text/csv"
    )

    page = client.post(reverse("blacklist:screening"), {"file": upload, "format": "html"})

    assert page.status_code == 200
    assert zhang_wei.reference in page.text


# --- the blocking index finds what a scan of the whole list finds -------------------

NEAR_NAMESAKES = [
    "李娜", "李楠", "林娜", "李男", "王丽", "王莉", "王林", "王磊", "汪丽", "杨丽",
    "李阳敏", "李杨明", "刘阳敏", "张晓伟", "张小伟", "章晓炜", "张晓文", "郑婷", "张婷",
    "罗伟", "卢伟", "吕伟", "赵健", "赵佳", "欧阳娜娜", "欧阳娜",
]  # fmt: skip
NEAR_ORGANISATIONS = [
    "杭州星河电子商务有限公司", "杭州星光电子商务有限公司", "杭州星河电子商务商行",
    "广州星河电子商务有限责任公司", "杭州星河电子贸易有限公司", "杭州明月文化传媒有限公司",
]  # fmt: skip


@pytest.mark.parametrize(
    "written",
    [
        "Li Na", "LI Nan", "Nà Lǐ", "Wang Li", "LI Wang", "Li Yang Min", "ZHANG Xiaowei",
        "Xiaowen ZHANG", "zhangxiaowei", "Zheng Ting", "Luo Wei", "Zhao Jian", "OUYANG Nana",
        "張曉偉", "李·娜", "杭州星河电子商务有限公司", "杭州星河电子商务",
        "杭州星光電子商務有限公司",
    ],
)  # fmt: skip
def test_the_key_index_finds_every_hit_a_full_scan_finds(world, written):
    """Near-namesakes a letter or a character apart (li na / li nan, yang / wang, a brand
    name one character off) reach the threshold: the index must find them all, as scoring
    every entry of the list would."""
    xihu = world.departments["xihu_market"]
    entries = [ListedEntryFactory(department=xihu, name=name) for name in NEAR_NAMESAKES]
    entries += [
        ListedEntryFactory(
            department=xihu,
            name=name,
            party_kind=PartyKind.ORGANISATION,
            name_masked=name,
            id_number="",
            uscc=demo_uscc("330106", 700 + n),
        )
        for n, name in enumerate(NEAR_ORGANISATIONS)
    ]
    scanned = {e.pk for e in entries if score_name_strings(written, e.name) >= HIT_THRESHOLD}

    found = {m.entry.pk for m in _screen(world.handler, name=written)}

    assert scanned, "the list holds a hit for every form tried"
    assert found == scanned


def test_screening_upload_that_is_no_csv_is_refused_beside_the_field(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.pdftools import blank_pdf

    client.force_login(world.handler)
    upload = SimpleUploadedFile("list.csv", blank_pdf(), content_type="text/csv")

    page = client.post(
        reverse("blacklist:screening"),
        {"file": upload, "format": "html"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "is not a CSV file (its content was checked)" in page.text
    assert not ScreeningLog.objects.exists()


def test_name_only_hits_come_50_a_page_and_identifier_hits_whole(client, world, api_key):
    xihu = world.departments["xihu_market"]
    namesakes = [ListedEntryFactory(department=xihu, name="张伟") for _ in range(60)]
    by_number = ListedEntryFactory(department=xihu, name="李四", id_number=ID_NUMBER)

    response = client.post(
        "/api/v1/screening/",
        {"name": "Zhang Wei", "id_number": ID_NUMBER},
        content_type="application/json",
        **api_key,
    )

    body = response.json()
    assert body["count"] == 61 and body["name_only_count"] == 60
    shown = [m["entry"]["id"] for m in body["matches"]]
    assert len(shown) == 51 and shown[0] == by_number.pk
    assert body["next"].endswith(f"/api/v1/screening/{body['screening']}/matches/?page=2")
    page = client.get(body["next"], **api_key).json()
    assert page["count"] == 60 and page["next"] is None and page["previous"]
    rest = [m["entry"]["id"] for m in page["results"]]
    assert len(rest) == 10 and not set(rest) & set(shown)
    assert set(rest) | set(shown) == {e.pk for e in namesakes} | {by_number.pk}
    (alone,) = screening_match(actor=world.officer, queries=[ScreeningQuery(name="Zhang Wei")])
    why = {m.entry.pk: m.why for m in alone.matches}
    assert all(m["why"] == why[m["entry"]["id"]] for m in page["results"])
    assert client.get(body["next"].replace("page=2", "page=3"), **api_key).status_code == 404
    _other, raw = api_key_issue(platform=world.other_platform, name="ERP", actor=None)
    assert client.get(body["next"], HTTP_AUTHORIZATION=f"Api-Key {raw}").status_code == 404


def test_an_answer_reads_the_entries_it_shows_and_the_rest_only_when_asked(world):
    xihu = world.departments["xihu_market"]
    namesakes = [ListedEntryFactory(department=xihu, name="张伟") for _ in range(60)]

    (answer,) = screening_match(actor=world.officer, queries=[ScreeningQuery(name="Zhang Wei")])
    shown, count = first_name_only(answer.matches)
    with CaptureQueriesContext(connection) as first_page:
        first = [m.entry for m in shown]
    with CaptureQueriesContext(connection) as every_hit:
        every = [m.entry for m in answer.matches]

    assert count == 60 and len(first) == 50
    assert {m.department_id for m in answer.matches} == {xihu.pk}
    # The 50 shown are built with two reads (their rows, then their grounds and listers),
    # the other 10 with two more, never one read per hit.
    assert len(first_page) == 2 and len(every_hit) == 2
    assert {e.pk for e in every} == {e.pk for e in namesakes}
    assert every[:50] == first


def test_a_few_hits_come_whole_without_next(client, world, zhang_wei, api_key):
    body = client.post(
        "/api/v1/screening/", {"name": "张伟"}, content_type="application/json", **api_key
    ).json()

    assert body["count"] == body["name_only_count"] == 1 and body["next"] is None


def test_a_batch_item_pages_its_name_only_hits_as_a_single_screening(client, world, api_key):
    xihu = world.departments["xihu_market"]
    namesakes = [ListedEntryFactory(department=xihu, name="张伟") for _ in range(60)]
    by_number = ListedEntryFactory(department=xihu, name="李四", id_number=ID_NUMBER)

    body = client.post(
        "/api/v1/screening/batch/",
        {
            "queries": [
                {"ref": "a", "uscc": "bad"},
                {"ref": "b", "name": "无关的人"},
                {"ref": "c", "name": "Zhang Wei", "id_number": ID_NUMBER},
            ]
        },
        content_type="application/json",
        **api_key,
    ).json()

    item = body["results"][2]
    assert body["results"][1]["count"] == 0 and body["results"][1]["next"] is None
    assert item["count"] == 61 and item["name_only_count"] == 60
    shown = [m["entry"]["id"] for m in item["matches"]]
    assert len(shown) == 51 and shown[0] == by_number.pk
    assert item["next"].endswith(f"/api/v1/screening/{body['screening']}/matches/?item=1&page=2")
    page = client.get(item["next"], **api_key).json()
    rest = [m["entry"]["id"] for m in page["results"]]
    assert page["count"] == 60 and page["next"] is None and len(rest) == 10
    assert set(rest) | set(shown) == {e.pk for e in namesakes} | {by_number.pk}
    assert "errors" in body["results"][0] and "next" not in body["results"][0]
    missing = item["next"].replace("item=1", "item=2")
    assert client.get(missing, **api_key).status_code == 404


def test_the_screening_page_shows_the_first_50_name_only_hits_and_says_how_many_more(client, world):
    xihu = world.departments["xihu_market"]
    for _ in range(53):
        ListedEntryFactory(department=xihu, name="张伟")
    client.force_login(world.handler)

    page = client.post(
        reverse("blacklist:screening"),
        {"text": "Zhang Wei", "format": "html"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    as_csv = client.post(reverse("blacklist:screening"), {"text": "Zhang Wei", "format": "csv"})

    assert page.status_code == 200
    assert page.text.count('class="hit"') == 50
    assert "and 3 more hits by the name alone" in page.text
    assert as_csv.content.decode("utf-8-sig").count("\n") == 53 + 1
