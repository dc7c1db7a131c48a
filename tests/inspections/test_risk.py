"""The risk view: each part counted in the database, the documented score, sorting,
CSV, the link that starts an inspection, and a fixed number of queries."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blacklist.models import ScreeningLog
from complaints.models import Complaint
from filings.models import DisposalFiling, FilingRoute
from filings.services.notices import notice_send
from inspections import risk
from inspections.services.inspections import document_request_send
from registry.models import Marketer, Operator, Roster, RosterRow, ViolationCategory
from tests.blacklist.factories import ListedEntryFactory, PlatformEntryFactory
from tests.factories import ComplaintFactory, LiveRoomFactory, PlatformFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 11, 20, 10, tzinfo=SHANGHAI)
EARLY = datetime(2026, 11, 2, 10, tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def _complaint(world, kind="complaint", room=None, days_ago=0, platform=None):
    case = ComplaintFactory(
        department=world.hz_market,
        platform=platform or world.platform,
        live_room=room,
        kind=kind,
        category=ViolationCategory.objects.get(
            code="consumer-dispute" if kind == "complaint" else "false-information"
        ),
    )
    if days_ago:
        Complaint.objects.filter(pk=case.pk).update(
            received_at=timezone.now() - timedelta(days=days_ago)
        )
    return case


def _filing(world, n, room=None):
    now = timezone.now()
    return DisposalFiling.objects.create(
        platform=world.platform,
        external_id=f"R-{n}",
        party_kind="live_room",
        party_name="西子优选直播间",
        live_room=room,
        category=ViolationCategory.objects.get(code="false-information"),
        measures=["warning"],
        conduct_at=now - timedelta(days=2),
        acted_at=now - timedelta(days=1),
        facts="虚假宣传",
        channel="api",
        route=FilingRoute.objects.get_or_create(signature="")[0],  # reaching no department
    )


def _roster(platform, year, half, accounts):
    roster = Roster.objects.create(
        platform=platform,
        year=year,
        half=half,
        status="filed",
        channel="api",
        row_count=len(accounts),
        filed_at=timezone.now(),
    )
    for n, account in enumerate(accounts, 1):
        RosterRow.objects.create(
            roster=roster, row_number=n, kind="operator", name="x", live_room_account=account
        )
    return roster


@pytest.fixture
def signals(world, campaign):
    """Risk signals about the platform in Yuhang; a second platform in Xihu is clean."""
    quiet = PlatformFactory(domicile=world.regions["xihu"], name="安静平台有限公司")
    room2 = LiveRoomFactory(platform=world.platform, account_id="xh-2", name="鲜果坊")
    with time_machine.travel(EARLY, tick=False):
        document_request_send(
            actor=world.handler,
            inspection=campaign.inspections.get(),
            requested="提供记录",
            working_days=1,
        )
        notice_send(
            actor=world.handler,
            platform=world.platform,
            kind="violation",
            party="西子优选直播间",
            message="请处置",
            working_days=1,
        )
    with time_machine.travel(TODAY, tick=False):
        _complaint(world)
        _complaint(world, room=world.room)
        _complaint(world, kind="report", room=world.room)
        _complaint(world, days_ago=100)  # outside the 90 days
        _complaint(world, platform=world.other)  # another jurisdiction's platform
        _filing(world, 1, room=world.room)
        ListedEntryFactory(
            department=world.hz_market,
            party_type=ContentType.objects.get_for_model(Operator),
            party_id=world.room.operator_id,
            uscc=world.room.operator.uscc,
            party_kind="organisation",
        )
        ListedEntryFactory(
            department=world.hz_market,
            party_type=ContentType.objects.get_for_model(Marketer),
            party_id=world.marketer.pk,
        )
        PlatformEntryFactory(  # the platform's own listing is the platform at work
            platform=world.platform,
            party_type=ContentType.objects.get_for_model(Marketer),
            party_id=world.marketer.pk,
        )
        ScreeningLog.objects.create(
            platform=world.platform, channel="api", queries=5, queries_with_hits=2, hits=3
        )
        old = ScreeningLog.objects.create(
            platform=world.platform, channel="api", queries=9, queries_with_hits=9, hits=10
        )
        ScreeningLog.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=120))
        _roster(world.platform, 2026, 2, ["xh-1"])
    return {"quiet": quiet, "room2": room2}


def test_platform_parts_and_score(world, signals, frozen):
    rows = {p.pk: p for p in risk.platform_risk(world.handler)}

    assert set(rows) == {world.platform.pk, signals["quiet"].pk}
    row = rows[world.platform.pk]
    parts = {p.key: getattr(row, p.key) for p in risk.PLATFORM_PARTS}
    assert parts == {
        "complaints_90": 2,
        "reports_90": 1,
        "filings_90": 1,
        "overdue_answers": 2,
        "blacklisted": 2,
        "screening_hits_90": 3,
        "roster_gaps": 1,
    }
    parts_of = risk.parts_of(row, risk.PLATFORM_PARTS)
    assert row.score == sum(count * p.weight for p, count, _w in parts_of)
    assert row.score == 2 + 2 + 1 + 10 + 10 + 3 + 10
    quiet = rows[signals["quiet"].pk]
    assert (quiet.roster_gaps, quiet.score) == (2, 20)


def test_live_room_parts(world, signals, frozen):
    rows = {r.pk: r for r in risk.live_room_risk(world.handler)}

    room = rows[world.room.pk]
    assert (
        room.complaints_90,
        room.reports_90,
        room.filings_90,
        room.blacklisted,
        room.roster_gaps,
    ) == (
        1,
        1,
        1,
        2,
        0,
    )
    assert room.score == 1 + 2 + 1 + 10
    other = rows[signals["room2"].pk]
    assert (other.roster_gaps, other.score) == (1, 3)


def test_categories_are_grouped_in_one_query(world, signals, frozen, django_assert_num_queries):
    with django_assert_num_queries(1):
        grouped = risk.categories_by("platform_id", [world.platform.pk])

    names = dict(grouped[world.platform.pk])
    assert names[ViolationCategory.objects.get(code="consumer-dispute").name] == 2
    assert names[ViolationCategory.objects.get(code="false-information").name] == 1


@pytest.mark.parametrize(
    ("sort", "first"),
    [("-score", "platform"), ("score", "quiet"), ("-roster_gaps", "quiet"), ("name", "quiet")],
)
def test_sorting(world, signals, frozen, sort, first):
    queryset, used = risk.ordered(risk.platform_risk(world.handler), sort, risk.PLATFORM_PARTS)

    expected = world.platform if first == "platform" else signals["quiet"]
    assert queryset.first() == expected
    assert used == sort


def test_unknown_sort_falls_back_to_score(world, signals, frozen):
    queryset, used = risk.ordered(
        risk.platform_risk(world.handler), "password", risk.PLATFORM_PARTS
    )

    assert used == "-score" and queryset.first() == world.platform


def test_page_shows_parts_formula_and_start_link(client, world, signals, frozen):
    client.force_login(world.handler)

    page = client.get(reverse("inspections:risk"))
    start = reverse("inspections:campaign-new") + f"?platform={world.platform.pk}"
    form = client.get(start)

    assert page.status_code == 200
    assert world.platform.label in page.text and world.other.label not in page.text
    assert 'id="formula"' in page.text
    assert f'href="{start}"' in page.text
    assert re.search(rf'name="platforms" value="{world.platform.pk}"[^>]*checked', form.text)
    assert not re.search(rf'value="{signals["quiet"].pk}"[^>]*checked', form.text)
    rooms = client.get(reverse("inspections:risk") + "?view=rooms&sort=-roster_gaps")
    assert rooms.status_code == 200
    assert rooms.text.index("鲜果坊") < rooms.text.index("西子优选直播间")


def test_csv_export(client, world, signals, frozen):
    client.force_login(world.handler)

    response = client.get(reverse("inspections:risk-export") + "?view=platforms&sort=-score")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    assert response["Content-Type"].startswith("text/csv")
    assert len(rows) == 3
    assert rows[1][0] == world.platform.name and rows[1][-1] == "38"
    assert rows[2][0] == signals["quiet"].name and rows[2][-1] == "20"
    assert any("×10" in cell for cell in rows[0])


def test_platform_officer_has_no_risk_view(client, world):
    client.force_login(world.officer)

    assert client.get(reverse("inspections:risk")).status_code == 403


def _measure(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("view", ["platforms", "rooms"])
def test_page_costs_a_fixed_number_of_queries(
    client, world, frozen, view, django_assert_max_num_queries
):
    client.force_login(world.handler)
    url = reverse("inspections:risk") + f"?view={view}"
    for _n in range(2):
        platform = PlatformFactory(domicile=world.regions["yuhang"])
        LiveRoomFactory(platform=platform)
        _complaint(world, platform=platform)
    few = _measure(client, url)

    for _n in range(12):
        platform = PlatformFactory(domicile=world.regions["xihu"])
        room = LiveRoomFactory(platform=platform)
        _complaint(world, platform=platform, room=room)
        _complaint(world, kind="report", platform=platform, room=room)
        _roster(platform, 2026, 2, [room.account_id])
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200
    assert few <= 15


def test_due_periods():
    assert risk.due_periods(date(2026, 11, 20)) == [(2026, 2), (2026, 1)]
    assert risk.due_periods(date(2026, 7, 15)) == [(2026, 1), (2025, 2)]
    assert risk.due_periods(date(2026, 1, 10)) == [(2025, 2), (2025, 1)]
