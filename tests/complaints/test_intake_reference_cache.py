"""The intake reads taxonomy, platforms, regions, departments, clock rules and the
calendar from a per-process cache (``portal.lookups``): an admin's edit must still
take effect on the next submission, in this process and in the others."""

from datetime import date

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import DepartmentType
from complaints.models import Complaint
from portal.lookups import VERSION_KEY, reference
from portal.models import CalendarDay
from portal.services import calendar_day_save
from registry.models import ViolationCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    cache.clear()
    return APIClient()


def body(world, **overrides):
    data = {
        "kind": "complaint",
        "category": "consumer-dispute",
        "platform": world.platform.uscc,
        "live_room_account": world.room.account_id,
        "description": "承诺七天无理由退货，收货后拒绝退货。",
        "consumer_region": "330106",
        "contact_name": "陈女士",
        "contact_phone": "13800000001",
    }
    data.update(overrides)
    return data


def submit(api, world, **overrides):
    response = api.post("/api/v1/complaints/", body(world, **overrides), format="json")
    assert response.status_code == 201, response.content
    return response.json()


def as_if_committed_earlier():
    """The fixtures' rows count as committed long ago: forget that this test's
    thread wrote them, so that the intake reads through the cache as in production."""
    reference.reset()


def another_process_changed_reference_data():
    """What another process's admin edit leaves behind once it commits: a new
    version token in the shared cache (the edit itself came with no signal here);
    this process looks at the token again within a second."""
    cache.set(VERSION_KEY, "edited-elsewhere", timeout=None)
    reference.recheck()  # instead of waiting for that second


def test_second_intake_reads_no_reference_rows(api, world):
    as_if_committed_earlier()
    submit(api, world)

    with CaptureQueriesContext(connection) as ctx:
        submit(api, world, contact_phone="13800000002")

    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    for table in (
        "registry_violationcategory",
        "accounts_region",
        "accounts_department",
        "portal_clockrule",
        "portal_calendarday",
        "portal_calendaryear",
    ):
        assert f'FROM "{table}"' not in tables, table
    # The live room, the duplicate check and the writes: a fixed handful.
    assert len(ctx.captured_queries) <= 10, [q["sql"][:80] for q in ctx.captured_queries]


def test_deactivating_a_department_in_this_process_reroutes_the_next_case(api, world):
    as_if_committed_earlier()
    first = submit(api, world)
    xihu = world.departments["xihu_market"]
    assert first["department"] == xihu.name

    xihu.is_active = False
    xihu.save()  # as the admin does: the signal drops this process's cache

    second = submit(api, world, contact_phone="13800000002")
    # The next active market supervision department above Xihu: Zhejiang's.
    assert second["department"] == world.departments["zj_market"].name


def test_an_edit_committed_by_another_process_reroutes_the_next_case(api, world):
    as_if_committed_earlier()
    assert submit(api, world)["department"] == world.departments["xihu_market"].name

    ViolationCategory.objects.filter(code="consumer-dispute").update(
        department_types=[DepartmentType.CYBERSPACE]
    )
    another_process_changed_reference_data()

    second = submit(api, world, contact_phone="13800000002")
    assert second["department"] == world.departments["zj_cyber"].name
    assert (
        Complaint.objects.get(tracking_code=second["tracking_code"]).department
        == (world.departments["zj_cyber"])
    )


def test_a_category_added_after_a_refused_code_is_accepted(api, world):
    as_if_committed_earlier()
    refused = api.post("/api/v1/complaints/", body(world, category="live-lottery"), format="json")
    assert refused.status_code == 400
    assert "category" in refused.json()

    source = ViolationCategory.objects.get(code="consumer-dispute")
    ViolationCategory.objects.create(
        code="live-lottery",
        name="直播抽奖",
        department_types=source.department_types,
        articles=source.articles,
    )

    assert submit(api, world, category="live-lottery")["kind"] == "complaint"


@time_machine.travel(date(2026, 3, 2), tick=False)  # a Monday
def test_a_calendar_day_changed_by_the_admin_moves_the_next_due_date(api, world):
    as_if_committed_earlier()
    before = submit(api, world)["decision_due"]
    # 7 working days from Monday 2 March 2026: Wednesday 11 March.
    assert before == "2026-03-11"

    day = CalendarDay.objects.filter(date=date(2026, 3, 4)).first() or CalendarDay(
        date=date(2026, 3, 4)
    )
    day.is_workday, day.name = False, "测试调休"
    calendar_day_save(day=day, actor=None)

    after = submit(api, world, contact_phone="13800000002")["decision_due"]
    assert after == "2026-03-12"
