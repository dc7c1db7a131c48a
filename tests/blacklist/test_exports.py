"""Exports: the list as JSON/CSV, the changes feed, FollowTheMoney entities."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.services import api_key_issue
from blacklist.models import EntryState, Status
from demo.data import demo_ric, demo_uscc
from registry.models import PartyKind

from .factories import EntryFactory, ListedEntryFactory, PlatformEntryFactory

pytestmark = pytest.mark.django_db

ID_NUMBER = demo_ric("330106", date(1990, 5, 17), 1)
ORG_USCC = demo_uscc("330106", 4711)


@pytest.fixture
def entries(world):
    xihu = world.departments["xihu_market"]
    return {
        "listed": ListedEntryFactory(department=xihu, name="李娜", id_number=ID_NUMBER),
        "proposed": EntryFactory(department=xihu, name="刘洋"),
        "organisation": ListedEntryFactory(
            department=xihu,
            name="杭州星光文化传媒有限公司",
            party_kind=PartyKind.ORGANISATION,
            id_number_hash="",
            id_number_masked="",
            uscc=ORG_USCC,
        ),
        "own_platform": PlatformEntryFactory(platform=world.platform, name="陈静"),
        "other_platform": PlatformEntryFactory(platform=world.other_platform, name="杨帆"),
        "other_platform_expired": PlatformEntryFactory(
            platform=world.other_platform, name="赵磊", status=Status.EXPIRED
        ),
    }


@pytest.fixture
def key_client(world):
    _key, raw = api_key_issue(platform=world.platform, name="风控系统", actor=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


def staff_client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _refs(rows):
    return {row["reference"] for row in rows}


# --- JSON / CSV -----------------------------------------------------------------------


def test_a_platform_key_exports_the_platforms_list_only(key_client, entries):
    response = key_client.get("/api/v1/blacklist/export.json")

    assert response.status_code == 200
    assert _refs(response.json()) == {
        entries["own_platform"].reference,
        entries["other_platform"].reference,
    }
    names = {row["reference"]: row["name"] for row in response.json()}
    assert names[entries["own_platform"].reference] == "陈静"  # its own entry in full
    assert names[entries["other_platform"].reference] == "杨**"  # another platform's masked


def test_staff_export_follows_their_scope(world, entries):
    xihu = staff_client(world.handler).get("/api/v1/blacklist/export.json").json()
    guangdong = staff_client(world.gd_handler).get("/api/v1/blacklist/export.json").json()

    assert _refs(xihu) == {
        entries[name].reference for name in ("listed", "proposed", "organisation")
    }
    # Another province: no proposal of Xihu's.
    assert entries["proposed"].reference not in _refs(guangdong)
    assert entries["listed"].reference in _refs(guangdong)


def test_anonymous_callers_get_nothing(entries):
    assert APIClient().get("/api/v1/blacklist/export.json").status_code == 401
    assert APIClient().get("/api/v1/blacklist/export.ftm.json").status_code == 401


def test_csv_export_has_a_header_and_masked_id_numbers(world, entries):
    response = staff_client(world.handler).get("/api/v1/blacklist/export.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    header, *lines = text.splitlines()
    assert header.startswith("id,reference,list,status,party_kind,name,id_number_masked")
    assert len(lines) == 3
    assert entries["listed"].id_number_masked in text
    assert ID_NUMBER not in text
    assert "false-information" in text


def test_format_query_parameter_chooses_csv(world, entries):
    response = staff_client(world.handler).get("/api/v1/blacklist/export/?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_no_export_holds_a_clear_id_number(world, entries, key_client):
    since = "2000-01-01T00:00:00Z"
    bodies = []
    for client in (staff_client(world.handler), key_client):
        for url in (
            "/api/v1/blacklist/export.json",
            "/api/v1/blacklist/export.csv",
            "/api/v1/blacklist/export.ftm.json",
            f"/api/v1/blacklist/changes/?since={since}",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            bodies.append(response.content.decode("utf-8"))
    assert entries["listed"].id_number_masked in "".join(bodies)
    for body in bodies:
        assert ID_NUMBER not in body


# --- changes ------------------------------------------------------------------------


T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def _move(entry, status):
    state = EntryState.objects.create(entry=entry, status=status, actor_label="test")
    entry.current = state
    entry.save(update_fields=["current"])


def _changes(client, since):
    response = client.get("/api/v1/blacklist/changes/", {"since": since.isoformat()})
    assert response.status_code == 200, response.content
    return response.json()


def test_changes_feed_classifies_added_changed_removed(world):
    xihu = world.departments["xihu_market"]
    with time_machine.travel(T0, tick=False):
        stays = ListedEntryFactory(department=xihu, name="李娜")
        leaves = ListedEntryFactory(department=xihu, name="王芳")
        proposal = EntryFactory(department=xihu, name="刘洋")
        unchanged = ListedEntryFactory(department=xihu, name="赵磊")
    since = T0 + timedelta(hours=1)
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        _move(stays, Status.REPAIR_PENDING)
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        _move(leaves, Status.REVOKED)
    with time_machine.travel(T0 + timedelta(hours=4), tick=False):
        _move(proposal, Status.NOTIFIED)
        _move(proposal, Status.LISTED)
    client = staff_client(world.handler)

    body = _changes(client, since)

    assert [(c["reference"], c["change"]) for c in body["changes"]] == [
        (stays.reference, "changed"),
        (leaves.reference, "removed"),
        (proposal.reference, "added"),
    ]
    assert unchanged.reference not in _refs(body["changes"])
    assert body["changes"][1]["status"] == Status.REVOKED
    assert body["count"] == 3
    next_since = datetime.fromisoformat(body["next_since"])
    assert next_since == T0 + timedelta(hours=4)
    # Asked again from next_since: nothing new.
    assert _changes(client, next_since)["changes"] == []
    # From before everything: all four were added.
    everything = _changes(client, T0 - timedelta(hours=1))["changes"]
    assert {c["reference"]: c["change"] for c in everything} == {
        stays.reference: "added",
        leaves.reference: "removed",  # listed and removed since then
        proposal.reference: "added",
        unchanged.reference: "added",
    }


def test_a_platform_learns_that_another_platforms_entry_left_the_list(world, key_client):
    with time_machine.travel(T0, tick=False):
        entry = PlatformEntryFactory(platform=world.other_platform, name="杨帆")
        proposal = EntryFactory(department=world.departments["xihu_market"], name="刘洋")
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        _move(entry, Status.REVOKED)
        _move(proposal, Status.NOTIFIED)

    body = _changes(key_client, T0 + timedelta(hours=1))

    [change] = body["changes"]  # not the departments' proposal
    assert change["reference"] == entry.reference
    assert change["change"] == "removed"
    assert change["name"] == "杨**"


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01T00:00:00", ""])
def test_a_bad_timestamp_is_a_field_error(world, since):
    response = staff_client(world.handler).get("/api/v1/blacklist/changes/", {"since": since})

    assert response.status_code == 400
    assert "since" in response.json()


def test_an_unencoded_plus_in_the_timestamp_is_read(world):
    response = staff_client(world.handler).get(
        "/api/v1/blacklist/changes/?since=2026-03-01T10:00:00+08:00"
    )

    assert response.status_code == 200
    assert response.json()["since"] == "2026-03-01T10:00:00+08:00"


# --- FollowTheMoney -----------------------------------------------------------------


def _ftm(client):
    response = client.get("/api/v1/blacklist/export.ftm.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in response.content.decode().splitlines()]


def test_ftm_lines_are_entities_with_a_sanction_each(world, entries):
    lines = _ftm(staff_client(world.handler))
    by_id = {line["id"]: line for line in lines}

    # Listed entries only: no proposal.
    assert f"lmp-entry-{entries['proposed'].pk}" not in by_id
    person = by_id[f"lmp-entry-{entries['listed'].pk}"]
    assert person["schema"] == "Person"
    assert person["properties"] == {"name": ["李娜"], "country": ["cn"]}
    organisation = by_id[f"lmp-entry-{entries['organisation'].pk}"]
    assert organisation["schema"] in ("Company", "Organization")
    assert organisation["properties"]["registrationNumber"] == [ORG_USCC]
    sanctions = [line for line in lines if line["schema"] == "Sanction"]
    assert len(sanctions) == 2
    for sanction in sanctions:
        [entity] = sanction["properties"]["entity"]
        assert entity in by_id
        assert by_id[entity]["schema"] != "Sanction"
    sanction = by_id[f"lmp-sanction-{entries['listed'].pk}"]["properties"]
    assert sanction["authority"] == [world.departments["xihu_market"].name]
    assert sanction["startDate"] == [entries["listed"].listed_on.isoformat()]
    assert sanction["endDate"] == [entries["listed"].term_ends_on.isoformat()]
    assert sanction["reason"] and sanction["program"]
    assert "sourceUrl" not in sanction


def test_ftm_for_a_platform_key_masks_other_platforms_names(entries, key_client):
    lines = _ftm(key_client)
    by_id = {line["id"]: line for line in lines}

    assert set(by_id) == {
        f"lmp-{kind}-{entries[name].pk}"
        for kind in ("entry", "sanction")
        for name in ("own_platform", "other_platform")
    }
    assert by_id[f"lmp-entry-{entries['other_platform'].pk}"]["properties"]["name"] == ["杨**"]
    assert by_id[f"lmp-sanction-{entries['own_platform'].pk}"]["properties"]["authority"] == [
        entries["own_platform"].platform.name
    ]
