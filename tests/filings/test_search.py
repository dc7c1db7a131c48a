"""The filings list's search box: by the party's name and the platform's id, in scope."""

import pytest

from filings.services.filings import filing_submit
from portal.search import MAX_QUERY_LENGTH
from tests.filings.conftest import item, platforms  # noqa: F401

pytestmark = pytest.mark.django_db


def found(client, q):
    response = client.get("/filings/", {"q": q})
    return response.status_code, {f.external_id for f in response.context["page"].object_list}


@pytest.fixture
def filings(platforms):  # noqa: F811 - the fixture
    def submit(platform, officer, n, **overrides):
        return filing_submit(
            platform=platform, item=item(n, **overrides), channel="api", actor=officer
        )

    a = platforms.a, platforms.officer_a
    return [
        submit(*a, 1, party_name="李佳怡"),
        submit(*a, 2, party_name="王小明"),
        submit(platforms.b, platforms.officer_b, 3, party_name="李佳怡", live_room_account="b-1"),
    ]


def test_by_external_id_and_party_name_in_scope(client, platforms, filings):  # noqa: F811
    client.force_login(platforms.yuhang_handler)
    assert found(client, "XH-000002") == (200, {"XH-000002"})
    assert found(client, "李佳怡") == (200, {"XH-000001"})  # platform B's is out of scope
    assert found(client, "XH-000003") == (200, set())
    assert found(client, "王小") == (200, set())  # two characters: the whole name only
    assert found(client, "") == (200, {"XH-000001", "XH-000002"})


def test_a_too_long_search_shows_no_filing_and_says_why(client, platforms, filings):  # noqa: F811
    client.force_login(platforms.yuhang_handler)
    status, shown = found(client, "X" * (MAX_QUERY_LENGTH + 1))
    assert (status, shown) == (400, set())


def test_a_platform_searches_only_its_own(client, platforms, filings):  # noqa: F811
    client.force_login(platforms.officer_b)
    assert found(client, "李佳怡") == (200, {"XH-000003"})
