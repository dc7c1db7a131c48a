"""Listing with due process: each transition, its document and its guard."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from blacklist.models import Entry, EntryState, Measure, RepairApplication, Status
from blacklist.pdf import decision_pdf, notice_pdf, repair_decision_pdf
from blacklist.services.listing import (
    entry_decide,
    entry_expire_due,
    entry_notify,
    entry_propose,
    entry_record_statement,
    entry_revoke,
)
from blacklist.services.repair import entry_repair_accept, entry_repair_apply, entry_repair_decide
from blacklist.tasks import blacklist_expire_due_task
from portal.errors import Conflict, DomainError, NotAllowed
from portal.models import AuditEvent, Deadline
from tests.pdftools import pdf_fonts, pdf_text

from .conftest import category
from .factories import ExpiredTermEntryFactory, ListedEntryFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
PROPOSED_ON = datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)  # a Monday


def _propose(world, **overrides):
    fields = {
        "actor": world.handler,
        "party": world.marketer,
        "category": category("false-information"),
        "facts": "2026年1月在直播中虚构减肥产品功效，欺骗消费者。",
        "legal_basis": "《网络直播营销管理办法（试行）》第二十九条；"
        "《直播电商监督管理办法》第五十一条",
        "decision_number": "杭西市监罚〔2026〕12号",
        "decision_date": date(2026, 1, 20),
        "measures": Measure.objects.filter(code__in=["key-supervision", "credit-publicity"]),
    }
    return entry_propose(**(fields | overrides))


def _read(content: bytes) -> str:
    """The PDF's text without the line breaks and spaces its layout puts in."""
    return "".join(pdf_text(content).split())


def _statuses(entry):
    return list(EntryState.objects.filter(entry=entry).values_list("status", flat=True))


@pytest.fixture
def listed(world):
    """An entry taken through notice, statement and decision on the first days of March 2026."""
    with time_machine.travel(PROPOSED_ON, tick=False):
        entry = _propose(world)
        entry_notify(actor=world.handler, entry=entry)
        entry_record_statement(
            actor=world.handler,
            entry=entry,
            received_on=date(2026, 3, 5),
            text="我方已下架涉事商品并退款，请求从轻处理。",
        )
        entry_decide(
            actor=world.supervisor,
            entry=entry,
            list_entry=True,
            reason="当事人陈述未提出新的事实和理由，不予采纳。",
        )
    return Entry.objects.get(pk=entry.pk)


def test_proposal_copies_the_party_identifiers_and_never_the_clear_number(world):
    entry = _propose(world)

    assert entry.status == Status.PROPOSED
    assert entry.name == "张伟" and entry.name_masked == "张**"
    assert entry.id_number_hash == world.marketer.id_number_hash
    assert entry.id_number_masked == world.marketer.id_number_masked
    assert entry.party == world.marketer
    assert entry.reference.startswith("D")
    keys = set(entry.name_keys.values_list("key", flat=True))
    assert {"h:张伟", "p:wei zhang", "pj:weizhang"} <= keys
    assert AuditEvent.objects.filter(action="blacklist.proposed", object_id=str(entry.pk)).exists()


def test_notice_starts_a_ten_working_day_window_and_prints_the_notice(world):
    with time_machine.travel(PROPOSED_ON, tick=False):
        entry = _propose(world)
        entry = entry_notify(actor=world.handler, entry=entry)

    deadline = Deadline.objects.for_object(entry).get(clock="blacklist-statement")
    assert entry.status == Status.NOTIFIED
    assert deadline.working_days == 10
    assert deadline.due_on == date(2026, 3, 16)  # ten working days after Monday 2 March
    content = notice_pdf(entry)  # a fresh read, as the page does
    text = _read(content)
    for expected in (
        "张伟",
        "虚构减肥产品功效",
        world.departments["xihu_market"].name,
        "2026-03-16",
    ):
        assert expected in text
    assert world.marketer.id_number_masked in text
    assert "CJK" in pdf_fonts(content)
    # 张伟 is a natural person: addressed as 你, never as 你（单位） or 你单位.
    flat = "".join(text.split())
    assert "拟将你列入" in flat and "你（单位）" not in flat and "你单位" not in flat


def test_notifying_twice_is_a_no_op(world):
    entry = _propose(world)
    entry_notify(actor=world.handler, entry=entry)
    entry_notify(actor=world.handler, entry=entry)

    assert _statuses(entry) == [Status.PROPOSED, Status.NOTIFIED]
    assert Deadline.objects.for_object(entry).count() == 1


def test_department_sets_a_longer_window_in_the_notice(world):
    with time_machine.travel(PROPOSED_ON, tick=False):
        entry = _propose(world)
        entry_notify(actor=world.handler, entry=entry, working_days=15)

    assert Deadline.objects.for_object(entry).get().due_on == date(2026, 3, 23)


def test_listing_waits_for_the_statement_window_unless_the_party_was_heard(world):
    with time_machine.travel(PROPOSED_ON, tick=False):
        entry = _propose(world)
        entry_notify(actor=world.handler, entry=entry)
        with pytest.raises(Conflict, match="2026-03-16"):
            entry_decide(actor=world.supervisor, entry=entry, list_entry=True, reason="情节严重")
    with time_machine.travel(datetime(2026, 3, 17, 9, tzinfo=SHANGHAI), tick=False):
        entry_decide(
            actor=world.supervisor, entry=entry, list_entry=True, reason="期限内未陈述申辩"
        )

    entry.refresh_from_db()
    assert entry.status == Status.LISTED
    assert entry.listed_on == date(2026, 3, 17)
    assert entry.term_ends_on == date(2029, 3, 17)


def test_statement_is_recorded_and_the_decision_prints_it(listed, world):
    assert _statuses(listed) == [Status.PROPOSED, Status.NOTIFIED, Status.HEARD, Status.LISTED]
    assert listed.term_ends_on == date(2029, 3, 2)
    assert Deadline.objects.for_object(listed).get().state == Deadline.State.MET

    content = decision_pdf(listed)
    text = _read(content)
    for expected in (
        "张伟",
        "下架涉事商品并退款",
        "不予采纳",
        "2029-03-02",
        "杭西市监罚〔2026〕12号",
    ):
        assert expected in text
    assert "CJK" in pdf_fonts(content)


def test_supervisor_drops_a_proposal_and_it_cannot_be_listed_afterwards(world):
    entry = _propose(world)
    entry_decide(actor=world.supervisor, entry=entry, list_entry=False, reason="证据不足")
    entry_decide(actor=world.supervisor, entry=entry, list_entry=False, reason="重复")

    assert _statuses(entry) == [Status.PROPOSED, Status.DROPPED]
    with pytest.raises(Conflict):
        entry_decide(actor=world.supervisor, entry=entry, list_entry=True, reason="x")


def test_a_proposal_is_not_listed_without_a_notice(world):
    entry = _propose(world)

    with pytest.raises(Conflict):
        entry_decide(actor=world.supervisor, entry=entry, list_entry=True, reason="x")
    with pytest.raises(Conflict):
        entry_record_statement(
            actor=world.handler, entry=entry, received_on=date(2026, 3, 5), text="陈述"
        )


def test_handler_proposes_but_only_a_supervisor_of_the_lister_decides(world):
    entry = _propose(world)
    entry_notify(actor=world.handler, entry=entry)

    with pytest.raises(NotAllowed):
        entry_decide(actor=world.handler, entry=entry, list_entry=False, reason="x")
    with pytest.raises(NotAllowed):
        entry_record_statement(
            actor=world.yuhang_handler, entry=entry, received_on=date(2026, 3, 5), text="陈述"
        )
    with pytest.raises(NotAllowed):
        _propose(world, actor=world.officer)


def test_state_rows_are_never_changed_or_deleted(listed):
    state = listed.current

    state.reason = "改写"
    with pytest.raises(ValidationError):
        state.save()
    with pytest.raises(ValidationError):
        state.delete()


def test_credit_repair_needs_one_year_on_the_list(listed, world):
    with pytest.raises(DomainError, match="2027-03-02"):
        entry_repair_apply(
            actor=world.handler, entry=listed, applied_on=date(2027, 3, 1), grounds="已履行"
        )
    assert Entry.objects.get(pk=listed.pk).status == Status.LISTED


def test_credit_repair_granted_removes_the_entry_and_prints_the_decision(listed, world, client):
    with time_machine.travel(datetime(2027, 3, 3, 9, tzinfo=SHANGHAI), tick=False):
        application = entry_repair_apply(
            actor=world.handler,
            entry=listed,
            applied_on=date(2027, 3, 3),
            grounds="已缴清罚款，已主动消除不良影响，一年内未再受较重行政处罚。",
        )
        assert not Deadline.objects.for_object(application).exists()  # runs from acceptance
        assert Entry.objects.get(pk=listed.pk).status == Status.REPAIR_PENDING
        entry_repair_accept(actor=world.handler, application=application)
        deadline = Deadline.objects.for_object(application).get()
        assert (deadline.clock, deadline.working_days) == ("credit-repair-decision", 7)
        assert "第107号" in deadline.source
        assert Entry.objects.get(pk=listed.pk).status == Status.REPAIR_ACCEPTED

        entry_repair_decide(
            actor=world.supervisor,
            application=application,
            granted=True,
            reason="符合提前移出条件。",
        )
        public = client.get(reverse("blacklist:public"))

    entry = Entry.objects.get(pk=listed.pk)
    assert entry.status == Status.REPAIRED
    assert "张*" not in public.text
    application.refresh_from_db()
    assert application.outcome == RepairApplication.Outcome.GRANTED
    text = _read(repair_decision_pdf(application))
    assert "符合提前移出条件" in text and "张伟" in text
    assert "2027-03-03" in text and "第107号" in text  # accepted on, and the rules applied


def test_credit_repair_refused_keeps_the_entry_listed(listed, world):
    with time_machine.travel(datetime(2027, 3, 3, 9, tzinfo=SHANGHAI), tick=False):
        application = entry_repair_apply(
            actor=world.handler, entry=listed, applied_on=date(2027, 3, 3), grounds="已整改"
        )
        entry_repair_accept(actor=world.handler, application=application)
        entry_repair_decide(
            actor=world.supervisor, application=application, granted=False, reason="仍有投诉"
        )
        entry_repair_decide(
            actor=world.supervisor, application=application, granted=False, reason="重复提交"
        )
        with pytest.raises(Conflict):
            entry_repair_decide(
                actor=world.supervisor, application=application, granted=True, reason="改判"
            )

    assert _statuses(listed)[-3:] == [Status.REPAIR_PENDING, Status.REPAIR_ACCEPTED, Status.LISTED]
    application.refresh_from_db()
    assert "仍有投诉" in _read(repair_decision_pdf(application))


def test_revoked_on_review_leaves_the_list(listed, world, client):
    entry_revoke(actor=world.supervisor, entry=listed, reason="处罚决定经行政复议被撤销")

    assert Entry.objects.get(pk=listed.pk).status == Status.REVOKED
    assert "张*" not in client.get(reverse("blacklist:public")).text
    with pytest.raises(Conflict):
        entry_repair_apply(
            actor=world.handler, entry=listed, applied_on=date(2027, 3, 3), grounds="x"
        )


def test_periodic_sweep_expires_entries_whose_term_ended_once(world, client):
    xihu = world.departments["xihu_market"]
    ended = ExpiredTermEntryFactory(department=xihu, name="李娜")
    running = ListedEntryFactory(department=xihu, name="王芳")

    assert "李*" not in client.get(reverse("blacklist:public")).text  # gone even before the sweep
    assert blacklist_expire_due_task() == 1
    assert blacklist_expire_due_task() == 0

    assert _statuses(ended) == [Status.LISTED, Status.EXPIRED]
    assert Entry.objects.get(pk=running.pk).status == Status.LISTED
    page = client.get(reverse("blacklist:public")).text
    assert "王*" in page and "李*" not in page
    assert AuditEvent.objects.filter(action="blacklist.expired").count() == 1


def test_sweep_closes_a_pending_repair_of_an_expired_entry(world):
    entry = ExpiredTermEntryFactory(department=world.departments["xihu_market"])
    application = RepairApplication.objects.create(
        entry=entry, applied_on=timezone.localdate() - timedelta(days=3), grounds="x"
    )
    EntryState.objects.create(entry=entry, status=Status.REPAIR_PENDING)
    entry.current = entry.states.last()
    entry.save(update_fields=["current"])

    entry_expire_due(today=timezone.localdate())

    application.refresh_from_db()
    assert application.outcome == RepairApplication.Outcome.MOOT


@pytest.mark.parametrize(
    ("kind", "addressed"),
    [("person", "你"), ("sole_trader", "你"), ("organisation", "你单位")],
)
def test_documents_address_the_party_by_its_kind(kind, addressed):
    from blacklist.models import Entry
    from blacklist.pdf import _addressed

    html = _addressed("拟将你（单位）列入名单。", Entry(party_kind=kind))

    assert html == f"拟将{addressed}列入名单。"
