"""The screening log: what was asked and found, and the department's page of
the screenings that hit its entries."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services import api_key_issue
from blacklist.models import ScreeningLog, ScreeningLogDepartment
from blacklist.screening.log import screening_run
from blacklist.screening.matching import ScreeningQuery
from demo.data import demo_ric, demo_uscc
from portal.identity import mask_ric

from .factories import ListedEntryFactory

pytestmark = pytest.mark.django_db

ID_NUMBER = demo_ric("330106", date(1990, 5, 17), 18)
USCC = demo_uscc("330106", 4243)
PAGE = "/blacklist/screenings/"


@pytest.fixture
def listed(world):
    """张伟 listed by Xihu (A) with an ID number; a namesake and 李娜 listed by Yuhang (B)."""
    return {
        "a": ListedEntryFactory(
            department=world.departments["xihu_market"], name="张伟", id_number=ID_NUMBER
        ),
        "b": ListedEntryFactory(department=world.departments["yuhang_market"], name="张伟"),
        "b2": ListedEntryFactory(department=world.departments["yuhang_market"], name="李娜"),
    }


@pytest.fixture
def api_key(world):
    _key, raw = api_key_issue(platform=world.platform, name="风控系统", actor=None)
    return {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}


def _batch(client, api_key, queries):
    response = client.post(
        "/api/v1/screening/batch/",
        {"queries": queries},
        content_type="application/json",
        **api_key,
    )
    assert response.status_code == 200
    return ScreeningLog.objects.latest("id")


def test_the_log_keeps_what_was_asked_masked_and_what_was_found(client, world, listed, api_key):
    log = _batch(
        client,
        api_key,
        [
            {"ref": "r1", "name": "张伟", "id_number": ID_NUMBER},
            {"ref": "r2", "name": "李娜"},
            {"ref": "r3", "uscc": USCC},
        ],
    )

    stored = json.dumps(log.asked, ensure_ascii=False)
    assert ID_NUMBER not in stored
    assert mask_ric(ID_NUMBER) in stored
    assert log.asked[0] == {"ref": "r1", "name": "张伟", "id_number": mask_ric(ID_NUMBER)}
    assert log.asked[1] == {"ref": "r2", "name": "李娜"}
    assert log.asked[2] == {"ref": "r3", "uscc": USCC}
    assert log.found[2] == []
    first = {pk: (score, fields) for pk, score, fields in log.found[0]}
    assert first[listed["a"].pk] == (1.0, ["id_number", "name"])
    assert first[listed["b"].pk] == (1.0, ["name"])
    assert [pk for pk, _score, _fields in log.found[1]] == [listed["b2"].pk]
    assert set(
        ScreeningLogDepartment.objects.filter(log=log).values_list("department", flat=True)
    ) == {world.departments["xihu_market"].pk, world.departments["yuhang_market"].pk}


def test_each_department_sees_the_screening_with_its_own_entries_only(
    client, world, listed, api_key
):
    _batch(client, api_key, [{"ref": "r1", "name": "张伟", "id_number": ID_NUMBER}])

    client.force_login(world.handler)  # Xihu (A)
    page_a = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.force_login(world.yuhang_handler)  # Yuhang (B)
    page_b = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "风控系统" in page_a and world.platform.name in page_a
    assert f"张** ({listed['a'].reference}" in page_a and "score 1.00" in page_a
    assert listed["b"].reference not in page_a
    assert f"张** ({listed['b'].reference}" in page_b
    assert listed["a"].reference not in page_b
    assert ID_NUMBER not in page_a + page_b


def test_a_screening_that_hit_another_department_only_is_not_shown(client, world, listed, api_key):
    _batch(client, api_key, [{"name": "李娜"}])  # Yuhang's entry only

    client.force_login(world.handler)
    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "风控系统" not in response.content.decode()
    assert "No screening has hit an entry of your department." in response.content.decode()


def test_the_page_costs_the_same_queries_with_2_and_20_screenings(client, world, listed):
    def screen(n):
        for _ in range(n):
            screening_run(actor=world.officer, queries=[ScreeningQuery(name="张伟")], channel="web")

    def count():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(PAGE)
        assert response.status_code == 200
        return len(captured.captured_queries), response.content.decode().count("<tr>")

    client.force_login(world.handler)
    screen(2)
    small = count()
    screen(18)
    large = count()

    assert large[1] == small[1] + 18
    assert large[0] == small[0]


def test_platform_officers_may_not_read_it(client, world):
    client.force_login(world.officer)
    assert client.get(PAGE).status_code in (403, 404)


def test_staff_find_it_in_the_navigation(client, world):
    client.force_login(world.handler)
    assert f'href="{PAGE}"' in client.get("/blacklist/").content.decode()
