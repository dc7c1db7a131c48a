"""Filing a batch: validation per item, idempotency, bulk storage, routing, blacklisting."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from blacklist.models import Entry, ListKind
from filings.models import DisposalFiling, FilingRoute, Measure, RecipientReason, RouteRecipient
from filings.services.filings import filing_submit_batch
from portal.errors import DomainError, NotAllowed
from portal.identity import decrypt_identity
from portal.models import AuditEvent
from tests.filings.conftest import item, operator_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def submit(platforms, items, actor=None, channel="api"):
    return filing_submit_batch(
        platform=platforms.a, items=items, channel=channel, actor=actor or platforms.officer_a
    )


def test_the_same_batch_twice_creates_nothing_new(platforms):
    batch = [item(n) for n in range(1, 6)]
    first = submit(platforms, batch)
    assert [r.status for r in first] == ["created"] * 5
    second = submit(platforms, batch)
    assert [r.status for r in second] == ["duplicate"] * 5
    assert [r.id for r in second] == [r.id for r in first]
    assert DisposalFiling.objects.count() == 5
    # One route for the five: Yuhang market supervision + Zhejiang cyberspace.
    assert FilingRoute.objects.count() == 1
    assert DisposalFiling.objects.filter(route__recipients__isnull=False).distinct().count() == 5
    assert RouteRecipient.objects.count() == 2


def test_the_same_external_id_twice_in_one_batch_is_filed_once(platforms):
    results = submit(platforms, [item(1), item(1, facts="again"), item(2)])
    assert [r.status for r in results] == ["created", "duplicate", "created"]
    assert results[1].id == results[0].id
    assert DisposalFiling.objects.filter(external_id="XH-000001").count() == 1


def test_another_platform_may_use_the_same_external_id(platforms):
    submit(platforms, [item(1)])
    other = filing_submit_batch(
        platform=platforms.b, items=[item(1)], channel="api", actor=platforms.officer_b
    )
    assert other[0].status == "created"


def test_bad_items_are_answered_and_the_good_ones_stored(platforms):
    now = timezone.now()
    results = submit(
        platforms,
        [
            item(1),
            item(2, external_id="has space"),
            item(3, party_id_number="330106199611200621"),  # wrong check digit
            item(4, category="no-such-code"),
            item(5, measures=["warning", "flogging"]),
            item(6, acted_at=(now - timedelta(days=5)).isoformat()),  # before the conduct
            item(7, acted_at=(now + timedelta(days=1)).isoformat()),  # in the future
            item(8, measures=["term_suspension"]),  # no end date
            item(9, facts="x" * 5001),
            item(10, evidence_links=["ftp://x.example.com/a"]),
            "not an object",
            item(12),
        ],
    )
    status = [r.status for r in results]
    assert status == ["created"] + ["invalid"] * 10 + ["created"]
    assert "external_id" in results[1].errors
    assert "check digit" in results[2].errors["party_id_number"][0]
    assert "category" in results[3].errors
    assert "flogging" in results[4].errors["measures"][0]
    assert "acted_at" in results[5].errors
    assert "future" in results[6].errors["acted_at"][0]
    assert "suspended_until" in results[7].errors
    assert "facts" in results[8].errors
    assert "evidence_links" in results[9].errors
    assert "non_field_errors" in results[10].errors
    assert set(DisposalFiling.objects.values_list("external_id", flat=True)) == {
        "XH-000001",
        "XH-000012",
    }


def test_each_kind_of_party_needs_its_identifier(platforms):
    results = submit(
        platforms,
        [
            item(1, party_kind="marketer", party_id_number=""),
            operator_item(2, party_uscc=""),
            item(3, party_kind="agency", party_id_number=""),
            item(4, party_kind="live_room", live_room_account="", party_id_number=""),
            item(5, party_kind="live_room", party_id_number=""),
        ],
    )
    assert [r.status for r in results] == ["invalid"] * 4 + ["created"]
    assert "party_id_number" in results[0].errors
    assert "party_uscc" in results[1].errors
    assert "party_uscc" in results[2].errors
    assert "live_room_account" in results[3].errors


def test_items_are_stored_in_bulk_whatever_their_number(platforms):
    submit(platforms, [item(900)])  # warm the content-type cache

    def queries(n, start):
        with CaptureQueriesContext(connection) as ctx:
            submit(platforms, [item(start + i) for i in range(n)])
        return len(ctx.captured_queries)

    few, many = queries(5, 1), queries(300, 100)
    # A fixed number of queries, plus the chunks SQLite's parameter limit (999) cuts
    # a bulk insert into: never one per item.
    assert few <= 12
    assert many < few + 20


def test_the_identity_number_is_kept_encrypted_and_masked_only(platforms):
    number = item(1)["party_id_number"]
    result = submit(platforms, [item(1)])[0]
    filing = DisposalFiling.objects.get(pk=result.id)
    row = DisposalFiling.objects.filter(pk=result.id).values()[0]
    assert number not in {str(v) for v in row.values()}
    assert filing.id_number_masked == number[:6] + "********" + number[-4:]
    assert decrypt_identity(filing.id_number_encrypted) == number
    events = AuditEvent.objects.filter(action="filing.batch_submitted")
    assert number not in str(list(events.values("data", "reason")))


def test_one_audit_event_per_batch(platforms):
    submit(platforms, [item(n) for n in range(1, 4)] + [item(9, category="x")])
    event = AuditEvent.objects.get(action="filing.batch_submitted")
    assert event.data["created"] == 3 and event.data["invalid"] == 1
    assert event.actor == platforms.officer_a


def test_register_parties_are_linked_when_the_identifiers_match(platforms):
    number = decrypt_identity(platforms.marketer.id_number_encrypted)
    result = submit(platforms, [item(1, party_id_number=number)])[0]
    filing = DisposalFiling.objects.get(pk=result.id)
    assert filing.marketer == platforms.marketer
    assert filing.live_room == platforms.room


ROUTES = {
    # measure → the departments it reaches, for a platform domiciled in Yuhang
    Measure.WARNING: {"yuhang_market", "zj_cyber"},
    Measure.FUNCTION_LIMIT: {"yuhang_market", "zj_cyber"},
    Measure.TRAFFIC_LIMIT: {"yuhang_market", "zj_cyber"},
    Measure.LIVE_SUSPENSION: {"yuhang_market", "zj_cyber"},
    Measure.TERM_SUSPENSION: {"yuhang_market", "zj_cyber"},
    Measure.ACCOUNT_CLOSURE: {"yuhang_market", "zj_cyber", "zj_market"},
    Measure.REREGISTRATION_BAN: {"yuhang_market", "zj_cyber", "zj_market"},
    Measure.BLACKLISTING: {"yuhang_market", "zj_cyber", "zj_market"},
}


@pytest.mark.parametrize("measure", Measure.values)
def test_routing_of_each_measure(platforms, measure):
    """Order 117 Art. 12 ¶3: the nearest market supervision and cyberspace departments
    of the domicile; the three gravest measures reach the provincial ones too."""
    extra = {}
    if measure == Measure.TERM_SUSPENSION:
        extra["suspended_until"] = (timezone.localdate() + timedelta(days=30)).isoformat()
    if measure == Measure.BLACKLISTING:
        extra["blacklisted_until"] = (timezone.localdate() + timedelta(days=365)).isoformat()
        extra["appeal_route"] = "平台申诉中心，15日内。"
    result = submit(platforms, [item(1, measures=[measure], **extra)])[0]
    assert result.status == "created", result.errors
    names = {v.pk: k for k, v in platforms.departments.items()}
    reached = {
        names[r.department_id]: r.reason
        for r in RouteRecipient.objects.filter(route__filings=result.id)
    }
    assert set(reached) == ROUTES[measure]
    assert reached["yuhang_market"] == RecipientReason.DOMICILE  # county, not Hangzhou city
    if "zj_market" in reached:
        assert reached["zj_market"] == RecipientReason.PROVINCIAL


def test_a_blacklisting_filing_proposes_the_party_for_the_shared_blacklist(platforms):
    until = timezone.localdate() + timedelta(days=365)
    result = submit(
        platforms,
        [
            operator_item(
                1,
                measures=["account_closure", "blacklisting"],
                blacklisted_until=until.isoformat(),
                appeal_route="平台申诉中心，15日内。",
            ),
            item(2),
        ],
    )[0]
    entry = Entry.objects.get(source_id=str(result.id))
    assert entry.list == ListKind.PLATFORMS
    assert entry.platform == platforms.a
    assert entry.term_ends_on == until
    assert {m.code for m in entry.proposed_measures.all()} == {
        "account-closure",
        "platform-blacklist",
    }
    assert Entry.objects.count() == 1  # the warning filing proposes nothing
    # Sent again: no second filing, no second entry.
    again = submit(
        platforms,
        [
            operator_item(
                1,
                measures=["account_closure", "blacklisting"],
                blacklisted_until=until.isoformat(),
                appeal_route="平台申诉中心，15日内。",
            )
        ],
    )
    assert again[0].status == "duplicate"
    assert Entry.objects.count() == 1


def _blacklisting(n: int, until) -> dict:
    return item(
        n,
        party_name=f"王{'一二三四五六七八'[n % 8]}明",
        measures=["account_closure", "blacklisting"],
        blacklisted_until=until.isoformat(),
        appeal_route="平台申诉中心，15日内。",
    )


def test_a_batch_lists_its_blacklisted_parties_at_once_with_every_record(platforms):
    """Order 117 Art. 14: each blacklisting filing lists its party, with the state row,
    audit event, name keys and measures of a listing one at a time; the statements do
    not grow with the number of parties."""
    from blacklist.models import EntryNameKey, Status
    from blacklist.screening.matching import ScreeningQuery, screening_match

    until = timezone.localdate() + timedelta(days=365)
    submit(platforms, [_blacklisting(1, until)])  # the route made, the caches warm
    with CaptureQueriesContext(connection) as one:
        submit(platforms, [_blacklisting(2, until)])
    with CaptureQueriesContext(connection) as five:
        results = submit(platforms, [_blacklisting(n, until) for n in range(3, 8)])
    assert len(five) == len(one)

    entries = Entry.objects.filter(source_id__in=[str(r.id) for r in results]).order_by("pk")
    assert len(entries) == 5
    year = timezone.localdate().year
    for entry, result in zip(entries, results, strict=True):
        assert entry.reference == f"P{year}{entry.pk:07d}"
        assert entry.status == Status.LISTED
        assert entry.current.actor_label
        assert entry.id_number_masked.count("*") == 8
        assert entry.name_form  # what screening scores by
        assert EntryNameKey.objects.filter(entry=entry).exists()
        assert {m.code for m in entry.proposed_measures.all()} == {
            "account-closure",
            "platform-blacklist",
        }
        assert AuditEvent.objects.filter(
            action="blacklist.listed", object_id=str(entry.pk)
        ).exists()
        assert entry.source_id == str(result.id)
    # Another platform's screening finds each by name.
    answers = screening_match(
        actor=platforms.officer_b, queries=[ScreeningQuery(name=e.name) for e in entries]
    )
    for entry, answer in zip(entries, answers, strict=True):
        assert entry.pk in {m.entry.pk for m in answer.matches}


def test_blacklisting_needs_a_term_and_an_appeal_route(platforms):
    result = submit(platforms, [operator_item(1, measures=["blacklisting"])])[0]
    assert result.status == "invalid"
    assert {"blacklisted_until", "appeal_route"} <= set(result.errors)


def test_only_the_platforms_own_officers_file(platforms):
    with pytest.raises(NotAllowed):
        submit(platforms, [item(1)], actor=platforms.officer_b)
    with pytest.raises(NotAllowed):
        submit(platforms, [item(1)], actor=platforms.yuhang_handler)


def test_a_batch_holds_at_most_1000(platforms):
    with pytest.raises(DomainError):
        submit(platforms, [item(n) for n in range(1001)])


def test_what_the_validator_accepts_the_model_accepts_too(platforms):
    """The validator is where the rules live; the model's own checks must never
    refuse what it let through (the PostgreSQL path stores without model instances)."""
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    results = submit(
        platforms,
        [
            item(1),
            operator_item(2, measures=["term_suspension"], suspended_until=until),
            operator_item(
                3,
                measures=["reregistration_ban", "blacklisting"],
                blacklisted_until=until,
                appeal_route="申诉",
            ),
            item(4, party_kind="agency", party_uscc=operator_item(4)["party_uscc"]),
        ],
    )
    assert {r.status for r in results} == {"created"}
    for filing in DisposalFiling.objects.all():
        filing.full_clean()


def test_identifiers_are_judged_as_the_shared_validators_judge_them(platforms):
    """The batch's quick path for resident ID numbers (and its memo of each distinct
    value) accepts exactly what ``portal.identity`` accepts, with its messages."""
    import random

    from django.core.exceptions import ValidationError

    from demo.data import demo_ric, demo_uscc
    from filings.services.validation import FilingLookups
    from portal.identity import validate_ric, validate_uscc

    rng = random.Random(4)
    good = [
        demo_ric(
            rng.choice(["110105", "330106", "440106"]),
            timezone.localdate() - timedelta(days=rng.randrange(365 * 60)),
            n,
        )
        for n in range(50)
    ]
    good[0] = good[0][:-1] + "x" if good[0].endswith("X") else good[0]
    bad = [
        good[1][:-1] + ("0" if good[1][-1] != "0" else "1"),  # check digit
        good[2][:6] + "19990231" + good[2][14:],  # no such day
        "999999" + good[3][6:],  # no such division
        good[4][:6] + "20991231" + good[4][14:],  # born in the future
        good[5][:17],  # too short
        good[6][:10] + "AB" + good[6][12:],  # letters inside
        f" {good[7][:6]} {good[7][6:]} ",  # spaces: the slow path compacts them
        good[8].lower(),
    ]
    bad += ["".join(str(rng.randrange(10)) for _ in range(18)) for _ in range(200)]
    lookups = FilingLookups.load()
    for value in [*good, *bad, *good]:  # the repeats are answered from the memo
        try:
            expected = (validate_ric(value), [])
        except ValidationError as exc:
            expected = ("", exc.messages)
        assert lookups.identifier("ric", value) == expected, value
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    codes = [demo_uscc("330106", 7), demo_uscc("330106", 7).lower(), "91330106", "9133010"]
    for _n in range(300):
        body = f"{rng.randrange(10**8):08d}" + "".join(rng.choice(alphabet) for _ in range(9))
        codes += [body + rng.choice(alphabet), body + rng.choice("IOSVZ0")]
    codes += [demo_uscc("440106", n) for n in range(20)]
    for value in codes:
        try:
            expected = (validate_uscc(value), [])
        except ValidationError as exc:
            expected = ("", exc.messages)
        assert lookups.identifier("uscc", value) == expected, value
