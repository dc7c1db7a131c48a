"""Site admins keep the law as data: a new instrument is rows added in the admin,
a set already used is corrected by a new version, and a calendar year loaded
later moves due dates on the cases' timelines."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from complaints.services.common import case_rule_set
from portal.calendar_notice import NoticeDay
from portal.models import Deadline, RuleClock, RuleSet
from portal.services import calendar_load_year
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, regions):
    admin = UserFactory(role=Role.SITE_ADMIN, is_staff=True)
    client.force_login(admin)
    client.admin = admin
    return client


def _inline(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{k}": v for k, v in row.items()})
    return data


def _clock(code, days, unit, starts_on, source):
    return {
        "code": code,
        "name": code,
        "days": str(days),
        "unit": unit,
        "starts_on": starts_on,
        "pauses_in": "[]",
        "excludes": "[]",
        "extensions": "0",
        "extension_days": "0",
        "source": source,
        "certainty": "secondary",
    }


def test_a_set_added_in_the_admin_with_a_future_date_applies_only_from_that_date(
    admin_client, world, file_case
):
    data = {
        "code": "order-200",
        "matter": "complaint",
        "title": "《市场监督管理投诉举报处理办法》（2027年修订）",
        "in_force_from": "2027-03-01",
        **_inline(
            "ruleclock_set",
            [
                _clock("complaint-accept", 5, "working", "receipt", "（2027）第十五条"),
                _clock("complaint-mediation", 30, "calendar", "acceptance", "（2027）第二十三条"),
                _clock("report-verify", 15, "working", "receipt", "处罚程序规定第十八条"),
            ],
        ),
        **_inline("ruleground_set", []),
        **_inline("rulecitation_set", []),
    }

    response = admin_client.post(reverse("admin:portal_ruleset_add"), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    added = RuleSet.objects.get(code="order-200")
    assert added.ruleclock_set.count() == 3
    with time_machine.travel(date(2027, 2, 28), tick=False):
        assert file_case().rule_set.code == "order-121"
    with time_machine.travel(date(2027, 3, 1), tick=False):
        case = file_case()
    assert case.rule_set == added
    accept = Deadline.objects.for_object(case).get(clock="complaint-accept")
    assert (accept.working_days, accept.source) == (5, "（2027）第十五条")


def test_a_set_in_use_is_read_only_and_corrected_by_a_new_version(admin_client, file_case):
    case = file_case()
    order_121 = case.rule_set

    page = admin_client.get(reverse("admin:portal_ruleset_change", args=[order_121.pk]))
    assert page.status_code == 200
    assert 'name="ruleclock_set-0-days"' not in page.content.decode()
    response = admin_client.post(
        reverse("admin:portal_ruleset_changelist"),
        {"action": "make_new_version", "_selected_action": [order_121.pk]},
    )

    assert response.status_code == 302
    copy = RuleSet.objects.get(code="order-121", version=2)
    assert copy.ruleclock_set.count() == order_121.ruleclock_set.count()
    edit = admin_client.get(reverse("admin:portal_ruleset_change", args=[copy.pk]))
    assert 'name="ruleclock_set-0-days"' in edit.content.decode()
    RuleClock.objects.filter(rule_set=copy, code="complaint-accept").update(days=6)
    from portal.lookups import reference

    reference.clear()
    # The open case keeps version 1; a new case gets version 2.
    assert Deadline.objects.for_object(case).get(clock="complaint-accept").working_days == 7
    newer = file_case()
    assert newer.rule_set == copy
    assert Deadline.objects.for_object(newer).get(clock="complaint-accept").working_days == 6


def test_loading_a_calendar_year_puts_the_moved_due_date_on_the_case(admin_client, file_case):
    with time_machine.travel(date(2027, 1, 25), tick=False):
        case = file_case(kind="report", category="false-information")
    verify = Deadline.objects.for_object(case).get()
    assert verify.provisional
    old = verify.due_on

    with time_machine.travel(date(2027, 1, 26), tick=False):
        calendar_load_year(
            year=2027,
            days=[
                NoticeDay(day=date(2027, 2, d), is_workday=False, name="春节") for d in range(1, 6)
            ],
            source="国务院办公厅通知（测试）",
            actor=admin_client.admin,
        )

    verify.refresh_from_db()
    assert not verify.provisional and verify.due_on != old
    line = case.events.get(action="due_date_moved")
    assert line.public
    assert old.isoformat() in line.message and verify.due_on.isoformat() in line.message
    assert case_rule_set(case).code == "order-121"
