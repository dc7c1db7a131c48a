"""The upgrade to rule sets: a database at the migrations before them, with open
cases, migrates to the new head. Cases received before 2026-04-15 get the 2019
rules and keep their due dates; those received from 2026-04-15 get Order 121 and
their clocks are recomputed, each change on the case's timeline."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.migrator import head as _head
from tests.migrator import migrate as _migrate
from tests.migrator import old_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SHANGHAI = ZoneInfo("Asia/Shanghai")

# The leaf migrations before rule sets existed.
BEFORE = [
    ("accounts", "0003_department_type_judicial"),
    ("registry", "0003_rosters"),
    ("portal", "0006_statistical_report_schedule_queue_indexes"),
    ("complaints", "0006_filing_routes"),
    ("blacklist", "0004_entry_name_form"),
    ("inspections", "0002_seed_checklist_and_clocks"),
]


def test_open_cases_are_pinned_and_order_121_clocks_recomputed_on_the_timeline():
    apps = _migrate(BEFORE)
    try:
        Category = apps.get_model("registry", "ViolationCategory")
        Complaint = apps.get_model("complaints", "Complaint")
        Deadline = apps.get_model("portal", "Deadline")
        ContentType = apps.get_model("contenttypes", "ContentType")
        world = old_world(apps, "339902", region="升级区", department="升级局")
        region, department = world.region, world.department
        category = Category.objects.order_by("pk").first()
        case_type, _ = ContentType.objects.get_or_create(app_label="complaints", model="complaint")

        def case(code, received, status, clock, started, days, due, state="running"):
            complaint = Complaint.objects.create(
                tracking_code=code,
                kind="complaint",
                category=category,
                description="描述",
                consumer_region=region,
                department=department,
                region=region,
                status=status,
                language="zh-hans",
            )
            Complaint.objects.filter(pk=complaint.pk).update(received_at=received)
            Deadline.objects.create(
                content_type=case_type,
                object_id=complaint.pk,
                clock=clock,
                source="《市场监督管理投诉举报处理暂行办法》（2019）",
                started_on=started,
                working_days=days,
                due_on=due,
                state=state,
                paused_on=started if state == "paused" else None,
            )
            return complaint.pk

        before = case(
            "UPGRADE00001",
            datetime(2026, 4, 14, 23, 30, tzinfo=SHANGHAI),
            "accepted",
            "complaint-mediation",
            date(2026, 4, 16),
            45,
            date(2026, 6, 22),
        )
        after = case(
            "UPGRADE00002",
            datetime(2026, 4, 15, 0, 10, tzinfo=SHANGHAI),
            "accepted",
            "complaint-mediation",
            date(2026, 5, 11),
            45,
            date(2026, 7, 13),
        )
        waiting = case(
            "UPGRADE00003",
            datetime(2026, 5, 11, 9, 0, tzinfo=SHANGHAI),
            "awaiting_material",
            "complaint-accept",
            date(2026, 5, 11),
            7,
            date(2026, 5, 20),
            state="paused",
        )
        closed = case(
            "UPGRADE00004",
            datetime(2026, 5, 11, 9, 0, tzinfo=SHANGHAI),
            "closed",
            "complaint-mediation",
            date(2026, 5, 11),
            45,
            date(2026, 7, 13),
            state="met",
        )
    finally:
        apps = _migrate(_head())

    Complaint = apps.get_model("complaints", "Complaint")
    Deadline = apps.get_model("portal", "Deadline")
    CaseEvent = apps.get_model("complaints", "CaseEvent")

    def clock(pk):
        return Deadline.objects.get(object_id=pk, content_type__model="complaint")

    sets = dict(
        Complaint.objects.filter(pk__in=[before, after, waiting, closed]).values_list(
            "pk", "rule_set__code"
        )
    )
    assert sets == {
        before: "complaints-2019",
        after: "order-121",
        waiting: "order-121",
        closed: "order-121",
    }
    # Before the boundary: same due date, no line on the timeline.
    assert (clock(before).due_on, clock(before).unit) == (date(2026, 6, 22), "working")
    assert clock(before).rule_set.code == "complaints-2019"
    assert not CaseEvent.objects.filter(complaint_id=before, action="due_date_moved").exists()
    # From the boundary: 60 calendar days from 11 May 2026 end on Friday 10 July.
    moved = clock(after)
    assert (moved.working_days, moved.unit, moved.due_on) == (60, "calendar", date(2026, 7, 10))
    line = CaseEvent.objects.get(complaint_id=after, action="due_date_moved")
    assert line.public and "2026-07-13" in line.message and "2026-07-10" in line.message
    # Asking for material no longer stops the acceptance clock.
    running = clock(waiting)
    assert (running.state, running.due_on) == ("running", date(2026, 5, 20))
    # A finished case keeps its clocks as they were.
    assert clock(closed).due_on == date(2026, 7, 13)
    assert clock(closed).unit == "working"
