"""What screening stores and reads to be fast gives the same answers as before:
the name form stored with each entry, the near spellings weighed by their bounds, and the
screening log written in one statement."""

import random
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blacklist.models import Entry, ScreeningLog, ScreeningLogDepartment
from blacklist.screening import names as screening
from blacklist.screening.log import screening_run
from blacklist.screening.matching import ScreeningQuery, screening_match
from blacklist.screening.names import (
    NAME_FORM_VERSION,
    NameForm,
    name_form_text,
    normalise,
    query_keys,
    stored_form,
)
from demo.data import demo_uscc
from portal.models import AuditEvent
from registry.models import PartyKind

from .factories import ListedEntryFactory

pytestmark = pytest.mark.django_db

NAMES = [
    "张伟", "張偉", "欧阳娜娜", "吕伟", "单田芳", "Zhang Wei", "WEI Zhang", "Zhāng Wěi",
    "ＺＨＡＮＧ　ＷＥＩ", "zhangxiaowei", "Smith John", "杭州星河电子商务有限公司",
    "Hangzhou Xinghe Co., Ltd.", "李·娜",
]  # fmt: skip
NEAR_NAMES = [
    "Li Na", "LI Nan", "Wang Li", "Li Yang Min", "ZHANG Xiaowei", "Xiaowen ZHANG",
    "zhangxiaowei", "Zheng Ting", "Luo Wei", "OUYANG Nana", "Lǐ Lì Tóng", "Litong LI",
    "ＬＩ　ＷＥＩ", "Ou Yang Na Na Li", "li li li li li li", "Smith John",
]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_saving_an_entry_stores_its_normalised_name(world, name):
    entry = ListedEntryFactory(department=world.departments["xihu_market"], name=name)

    entry.refresh_from_db()
    assert entry.name_form == name_form_text(name)
    assert stored_form(entry.name_form, entry.name) == normalise.__wrapped__(name)


def test_a_changed_name_stores_its_new_form(world):
    entry = ListedEntryFactory(department=world.departments["xihu_market"], name="张伟")

    entry.name = "李娜"
    entry.save(update_fields=["name"])

    entry.refresh_from_db()
    assert stored_form(entry.name_form, "李娜") == normalise("李娜")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        '{"a": 1}',
        name_form_text("李娜"),  # another name's form (written before a change)
        name_form_text("张伟").replace(f"[{NAME_FORM_VERSION},", f"[{NAME_FORM_VERSION + 1},"),
    ],
)
def test_a_missing_or_stale_form_is_not_trusted(text):
    assert stored_form(text, "张伟") == normalise("张伟")


def test_screening_answers_the_same_from_stored_or_missing_forms(world):
    xihu = world.departments["xihu_market"]
    for name in ["张伟", "張偉", "Zhang Wei", "章伟", "张玮", "Wei Zhang", "李娜", "张伟伟"]:
        ListedEntryFactory(department=xihu, name=name)
    queries = [ScreeningQuery(name=name) for name in ["张伟", "Zhang Wei", "zhangwei", "李娜"]]

    def answers():
        return [
            [(m.entry.pk, m.score, m.matched_fields, m.why) for m in answer.matches]
            for answer in screening_match(actor=world.handler, queries=queries)
        ]

    stored = answers()
    Entry.objects.update(name_form="")  # bypasses save(): screening normalises the names
    assert answers() == stored
    assert all(stored[:2]) and stored[3]


@pytest.mark.parametrize("name", NEAR_NAMES)
def test_near_spellings_weighed_by_bounds_are_those_the_similarity_keeps(name):
    form = normalise(name)
    if form.han:
        pytest.skip("near spellings are looked up for Latin names")
    keys = query_keys.__wrapped__(form)
    for tokens in form.variants:
        syllables = screening._as_syllables(tokens)
        asked = NameForm(han="", variants=(tokens,))
        for near, least, most in screening._near_syllables(syllables or tokens):
            exact = screening._pinyin_similarity(asked, NameForm(han="", variants=(near,)))
            letters = sum(map(len, syllables or tokens)) + sum(map(len, near))
            assert 1 - most / letters <= exact <= 1 - least / letters
            if 100 * exact >= screening._NEAR_CUTOFF:
                assert "p:" + " ".join(sorted(near)) in keys


def test_a_logged_screening_writes_its_log_departments_and_audit_event(world):
    xihu, yuhang = world.departments["xihu_market"], world.departments["yuhang_market"]
    first = ListedEntryFactory(department=xihu, name="张伟")
    second = ListedEntryFactory(department=yuhang, name="張偉")

    with CaptureQueriesContext(connection) as captured:
        result = screening_run(
            actor=world.handler,
            queries=[ScreeningQuery(name="张伟", ref="r1"), ScreeningQuery(name="无名氏")],
            channel="web",
        )

    log = ScreeningLog.objects.get()
    assert result.log.pk == log.pk and result.log.at == log.at
    assert (log.queries, log.queries_with_hits, log.hits) == (2, 1, 2)
    assert log.asked == [{"name": "张伟", "ref": "r1"}, {"name": "无名氏"}]
    assert log.found == [
        [[first.pk, 1.0, ["name"]], [second.pk, 1.0, ["name"]]],
        [],
    ]
    assert set(
        ScreeningLogDepartment.objects.filter(log=log).values_list("department", flat=True)
    ) == {xihu.pk, yuhang.pk}
    event = AuditEvent.objects.get(action="blacklist.screened")
    assert (event.object_id, event.object_repr) == (str(log.pk), str(log))
    assert event.data == {
        "by": result.log.actor_label,
        "queries": 2,
        "queries_with_hits": 1,
        "hits": 2,
    }
    assert event.actor == world.handler
    if connection.vendor == "postgresql":
        writes = [q["sql"] for q in captured.captured_queries if "INSERT" in q["sql"]]
        assert len(writes) == 1, "the log, its departments and its audit event in one statement"


def test_hits_carry_the_times_the_orm_reads(world):
    entry = ListedEntryFactory(department=world.departments["xihu_market"], name="张伟")

    (answer,) = screening_match(actor=world.handler, queries=[ScreeningQuery(name="张伟")])

    hit = answer.matches[0].entry
    stored = Entry.objects.select_related("current").get(pk=entry.pk)
    assert hit.created_at == stored.created_at
    assert hit.created_at.tzinfo == stored.created_at.tzinfo
    assert hit.current.at == stored.current.at
    assert hit.current.at.tzinfo == stored.current.at.tzinfo


def test_a_batch_answers_each_query_as_alone(world):
    xihu = world.departments["xihu_market"]
    for name in ["张伟", "Zhang Wei", "李娜", "Li Na", "欧阳娜娜"]:
        ListedEntryFactory(department=xihu, name=name)
    ListedEntryFactory(
        department=xihu,
        name="杭州星河电子商务有限公司",
        party_kind=PartyKind.ORGANISATION,
        id_number="",
        uscc=demo_uscc("330106", 77),
    )
    queries = [
        ScreeningQuery(name=name)
        for name in ["张伟", "zhangwei", "Li Na", "李娜", "OUYANG Nana", "杭州星河电子商务"]
    ] + [ScreeningQuery(uscc=demo_uscc("330106", 77))]

    def shape(answer):
        return [(m.entry.pk, m.score, m.matched_fields, m.why) for m in answer.matches]

    together = [shape(a) for a in screening_match(actor=world.handler, queries=queries)]
    alone = [shape(screening_match(actor=world.handler, queries=[query])[0]) for query in queries]
    assert together == alone
    assert all(together)


def test_the_bench_generator_writes_the_stored_form():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    try:
        import screening_data as bench  # bench/screening_data.py
    finally:
        sys.path.pop(0)
    rng = random.Random(1)
    context = {"now": "2026-11-28 00:00:00+00", "categories": [1], "department": 1, "platform": 1}
    columns = [c.strip() for c in bench.ENTRY_COLUMNS.split(",")]
    for n in range(30):
        row, _state, name = bench._entry_row(n, rng, bench.Names(rng), context)
        assert len(row) == len(columns)
        assert row[columns.index("name")] == name
        assert row[columns.index("name_form")] == name_form_text(name)


def test_the_migration_fills_the_forms_of_existing_entries(world):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("blacklist.migrations.0004_entry_name_form")
    xihu = world.departments["xihu_market"]
    entries = [ListedEntryFactory(department=xihu, name=name) for name in NAMES[:5]]
    Entry.objects.update(name_form="")  # as the column is right after it is added

    migration.fill_name_forms(apps, None)

    for entry in entries:
        entry.refresh_from_db()
        assert entry.name_form == name_form_text(entry.name)
