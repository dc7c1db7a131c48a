"""Listings and credit repairs under their dated rule sets: a listing keeps the
listing set in force on the day of its notice, a credit repair application the
repair set in force on the day it is accepted (Order 107 from 2025-12-25: 7
working days; the 2021 measures before: 15), and the documents cite them."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from blacklist.models import Entry, EntryState, Measure, RepairApplication, Status
from blacklist.pdf import decision_pdf, notice_pdf, repair_decision_pdf
from blacklist.services.listing import (
    entry_decide,
    entry_notify,
    entry_propose,
    entry_record_statement,
)
from blacklist.services.repair import entry_repair_accept, entry_repair_apply, entry_repair_decide
from portal.errors import Conflict
from portal.models import ClockRule, Deadline, RuleClock, RuleSet
from portal.rules import rule_set_new_version
from tests.pdftools import pdf_text

from .conftest import category

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI))


def _read(content: bytes) -> str:
    return "".join(pdf_text(content).split())


def _list(world, day: date) -> Entry:
    """An entry proposed, notified, heard and listed on ``day`` (a working day)."""
    with _at(day):
        entry = entry_propose(
            actor=world.handler,
            party=world.marketer,
            category=category("false-information"),
            facts="在直播中虚构产品功效。",
            legal_basis="《网络直播营销管理办法（试行）》第二十九条",
            decision_number="杭西市监罚〔2024〕3号",
            decision_date=day,
            measures=Measure.objects.filter(code="credit-publicity"),
        )
        entry_notify(actor=world.handler, entry=entry)
        entry_record_statement(actor=world.handler, entry=entry, received_on=day, text="无异议。")
        entry_decide(actor=world.supervisor, entry=entry, list_entry=True, reason="事实清楚。")
    return Entry.objects.get(pk=entry.pk)


def _apply(world, entry: Entry, day: date) -> RepairApplication:
    with _at(day):
        return entry_repair_apply(
            actor=world.handler, entry=entry, applied_on=day, grounds="已履行处罚，消除影响。"
        )


def test_the_notice_pins_the_listing_set_and_the_documents_cite_its_basis(world):
    entry = _list(world, date(2026, 3, 2))

    assert entry.rule_set.code == "list-rules-2021"
    deadline = Deadline.objects.for_object(entry).get(clock="blacklist-statement")
    assert deadline.rule_set == entry.rule_set
    for document in (notice_pdf(entry), decision_pdf(entry)):
        text = _read(document)
        # the departments' list rests on Trial Art. 29 and Order 117 Art. 51 ...
        assert (
            "《网络直播营销管理办法（试行）》第二十九条；《直播电商监督管理办法》第五十一条" in text
        )
        assert "《市场监督管理严重违法失信名单管理办法》" in text
        # ... not on the platform's blacklist of Trial Art. 14 ¶3
        assert "第十四条第三款" not in text
    # the statement window is the department's own, not a legal clock
    assert "由部门确定" in _read(notice_pdf(entry))


def test_a_new_listing_set_governs_notices_from_its_day_and_leaves_served_ones(world, client):
    served = _list(world, date(2026, 3, 2))
    old = served.rule_set
    new = rule_set_new_version(rule_set=old, actor=None)
    new.in_force_from = date(2026, 6, 1)
    new.title = "《市场监督管理严重违法失信名单管理办法》（2026年修订）"
    new.save()
    RuleClock.objects.filter(rule_set=new, code="blacklist-statement").update(days=7)
    from portal.lookups import reference

    reference.reset()

    before = _list(world, date(2026, 5, 29))
    after = _list(world, date(2026, 6, 1))

    assert served.rule_set == old and before.rule_set == old
    assert after.rule_set == new
    assert Deadline.objects.for_object(after).get().working_days == 7
    assert Deadline.objects.for_object(served).get().working_days == 10
    assert "2026年修订" in _read(notice_pdf(after))
    assert "2026年修订" not in _read(notice_pdf(served))
    client.force_login(world.handler)
    page = client.get(reverse("blacklist:entry", args=[after.pk])).text
    assert "2026年修订" in page


def test_a_department_sets_its_own_statement_window_shown_as_set_by_it(world, client):
    ClockRule.objects.create(
        code="blacklist-statement", department=world.departments["xihu_market"], working_days=12
    )
    entry = entry_propose(
        actor=world.handler,
        party=world.marketer,
        category=category("false-information"),
        facts="事实",
        legal_basis="依据",
        decision_number="1",
        decision_date=date(2026, 3, 2),
    )
    client.force_login(world.handler)
    page = client.get(reverse("blacklist:notify", args=[entry.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "12 working days" in text
    assert "set by the department; the rules set no time" in text


@pytest.mark.parametrize(
    ("accepted_on", "code", "days", "due_on"),
    [
        # the 2021 measures: 15 working days from acceptance
        (date(2025, 12, 24), "credit-repair-2021", 15, date(2026, 1, 15)),
        # Order 107 from 2025-12-25: 7 working days from acceptance (Sunday 4 January
        # 2026 is a working day of the official calendar)
        (date(2025, 12, 25), "order-107", 7, date(2026, 1, 6)),
    ],
)
def test_credit_repair_is_timed_from_acceptance_under_the_set_in_force_that_day(
    world, accepted_on, code, days, due_on
):
    entry = _list(world, date(2024, 12, 2))
    application = _apply(world, entry, date(2025, 12, 22))
    assert not Deadline.objects.for_object(application).exists()
    with _at(accepted_on, 15):
        with pytest.raises(Conflict) as refused:
            entry_repair_decide(
                actor=world.supervisor, application=application, granted=True, reason="符合"
            )
        assert refused.value.code == "not_accepted"
        entry_repair_accept(actor=world.handler, application=application)
        entry_repair_accept(actor=world.handler, application=application)  # no-op

    application.refresh_from_db()
    assert application.accepted_on == accepted_on
    assert application.rule_set.code == code
    deadline = Deadline.objects.for_object(application).get()
    assert (deadline.started_on, deadline.working_days, deadline.due_on) == (
        accepted_on,
        days,
        due_on,
    )
    assert deadline.rule_set == application.rule_set
    assert list(EntryState.objects.filter(entry=entry).values_list("status", flat=True))[-2:] == [
        Status.REPAIR_PENDING,
        Status.REPAIR_ACCEPTED,
    ]
    with _at(due_on):
        entry_repair_decide(
            actor=world.supervisor, application=application, granted=True, reason="符合条件。"
        )
    application.refresh_from_db()
    text = _read(repair_decision_pdf(application))
    assert accepted_on.isoformat() in text
    assert ("第107号" in text) == (code == "order-107")
    assert ("（2021）" in text) == (code == "credit-repair-2021")


def test_acceptance_on_the_page_starts_the_clock_and_a_future_day_is_a_field_error(world, client):
    entry = _list(world, date(2025, 3, 3))
    application = _apply(world, entry, date(2026, 3, 9))
    client.force_login(world.handler)
    url = reverse("blacklist:repair-accept", args=[entry.pk])
    with _at(date(2026, 3, 10)):
        detail = client.get(reverse("blacklist:entry", args=[entry.pk])).text
        assert url in detail
        refused = client.post(url, {"accepted_on": "2026-03-11"})
        assert refused.status_code == 200
        assert "accepted_on" in refused.context["form"].errors
        assert not Deadline.objects.for_object(application).exists()
        done = client.post(url, {"accepted_on": "2026-03-10"})
    assert done.status_code == 302
    deadline = Deadline.objects.for_object(application).get()
    assert (deadline.started_on, deadline.working_days) == (date(2026, 3, 10), 7)
    assert Entry.objects.get(pk=entry.pk).status == Status.REPAIR_ACCEPTED


def test_only_the_listing_department_accepts(world, client):
    entry = _list(world, date(2025, 3, 3))
    _apply(world, entry, date(2026, 3, 9))
    client.force_login(world.yuhang_handler)
    assert client.post(reverse("blacklist:repair-accept", args=[entry.pk])).status_code in (
        403,
        404,
    )
    assert Entry.objects.get(pk=entry.pk).status == Status.REPAIR_PENDING


def test_rule_sets_in_use_by_a_listing_cannot_be_edited_in_place(world):
    entry = _list(world, date(2026, 3, 2))
    from django.core.exceptions import ValidationError

    rule_set = RuleSet.objects.get(pk=entry.rule_set_id)
    rule_set.title = "改写"
    with pytest.raises(ValidationError):
        rule_set.full_clean()
