"""Searching the register by a name in any of its forms (the screening normaliser)."""

import pytest

from portal.search import MAX_QUERY_LENGTH
from tests.factories import LiveRoomFactory, MarketerFactory, OperatorFactory, PlatformFactory
from tests.filings.conftest import platforms  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def names(platforms):  # noqa: F811 - the fixture
    traditional = MarketerFactory(name="張偉")
    latin = MarketerFactory(name="Zhang Wei")
    other = MarketerFactory(name="李四")
    platforms.room.marketers.add(traditional, latin, other)
    far = LiveRoomFactory(
        platform=PlatformFactory(domicile=platforms.regions["tianhe"]),
        account_id="gd-1",
        operator=OperatorFactory(business_region=platforms.regions["tianhe"]),
    )
    far.marketers.add(MarketerFactory(name="张伟"))
    return traditional, latin


def marketers(client, q):
    response = client.get("/registry/search/", {"q": q})
    return response.status_code, {m.name for m in response.context["hits"].marketers}


@pytest.mark.parametrize("q", ["张伟", "張偉", "Zhang Wei", "wei zhang", "ZHANG wei"])
def test_a_name_finds_its_variants_in_scope(client, platforms, names, q):  # noqa: F811
    client.force_login(platforms.xihu_handler)
    # Guangdong's 张伟 is out of a Xihu handler's scope.
    expected = {"張偉", "Zhang Wei"} if q in ("张伟", "張偉") else {"Zhang Wei"}
    assert marketers(client, q) == (200, expected)


def test_live_rooms_and_operators_by_name(client, platforms, names):  # noqa: F811
    client.force_login(platforms.xihu_handler)
    hits = client.get("/registry/search/", {"q": "杭州西子"}).context["hits"]
    assert [o.name for o in hits.operators] == ["杭州西子有限公司"]
    assert [r.account_id for r in hits.live_rooms] == ["xh-1"]
    assert [
        r.account_id
        for r in client.get("/registry/search/", {"q": "gd-1"}).context["hits"].live_rooms
    ] == []


def test_empty_and_too_long(client, platforms, names):  # noqa: F811
    client.force_login(platforms.xihu_handler)
    assert marketers(client, "") == (200, set())
    assert marketers(client, "张" * (MAX_QUERY_LENGTH + 1)) == (400, set())
