"""Listing, dropping, revoking, credit repair and appeal decisions cannot be undone:
a valid form first answers a page saying what will happen, and only the POST
that confirms it acts."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blacklist.models import Entry, EntryState, PlatformAppeal, RepairApplication, Status
from blacklist.services.listing import entry_notify, entry_propose, entry_record_statement
from blacklist.services.repair import entry_repair_accept, entry_repair_apply

from .conftest import category
from .factories import ListedEntryFactory, PlatformEntryFactory

pytestmark = pytest.mark.django_db

CONFIRM_FORM = r'<form method="post"[^>]*class="narrow-form confirm-form">.*?</form>'


def _heard(world) -> Entry:
    entry = entry_propose(
        actor=world.handler,
        party=world.marketer,
        category=category(),
        facts="2026年在直播中虚构商品功效，欺骗消费者。",
        legal_basis="《网络直播营销管理办法（试行）》第二十九条",
        decision_number="杭西市监罚〔2026〕12号",
        decision_date=date(2026, 1, 20),
    )
    entry_notify(actor=world.handler, entry=entry)
    entry_record_statement(
        actor=world.handler, entry=entry, received_on=timezone.localdate(), text="无异议。"
    )
    return Entry.objects.get(pk=entry.pk)


def _carried(page: str) -> dict:
    """What the confirm page's form sends back."""
    form = re.search(CONFIRM_FORM, page, re.S)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0)))


def _ask_then_confirm(client, url, data):
    """POST the form, note the entry's state rows, then POST what the page carries."""
    asked = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    rows_when_asked = EntryState.objects.count()
    assert asked.status_code == 200, asked.text
    assert 'id="confirm-button"' in asked.text and 'id="confirm-cancel"' in asked.text
    done = client.post(url, _carried(asked.text))
    return asked, rows_when_asked, done


@pytest.mark.parametrize(
    ("decision", "status", "said"),
    [("list", Status.LISTED, "for 36 months"), ("drop", Status.DROPPED, "a new proposal")],
)
def test_listing_or_dropping_asks_first(client, world, decision, status, said):
    entry = _heard(world)
    rows = EntryState.objects.count()
    client.force_login(world.supervisor)

    asked, rows_when_asked, done = _ask_then_confirm(
        client,
        reverse("blacklist:decide", args=[entry.pk]),
        {"decision": decision, "reason": "当事人陈述不足以免除列入。"},
    )

    assert said in asked.text and "当事人陈述不足以免除列入。" in asked.text
    assert rows_when_asked == rows  # nothing recorded before the confirming POST
    assert done.status_code == 302
    assert Entry.objects.get(pk=entry.pk).status == status


def test_the_listing_page_names_the_basis_from_the_rule_set(client, world):
    entry = _heard(world)
    client.force_login(world.supervisor)

    asked = client.post(
        reverse("blacklist:decide", args=[entry.pk]),
        {"decision": "list", "reason": "情节严重"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "Basis: Trial Art. 29" in asked.text


def test_revoking_asks_first(client, world):
    entry = ListedEntryFactory(department=world.departments["xihu_market"])
    client.force_login(world.supervisor)

    asked, rows_when_asked, done = _ask_then_confirm(
        client,
        reverse("blacklist:revoke", args=[entry.pk]),
        {"reason": "处罚决定经行政复议被撤销。"},
    )

    assert "cannot be restored" in asked.text
    assert rows_when_asked == 1 and done.status_code == 302
    assert Entry.objects.get(pk=entry.pk).status == Status.REVOKED


def test_a_repair_decision_asks_first(client, world):
    today = timezone.localdate()
    entry = ListedEntryFactory(
        department=world.departments["xihu_market"], listed_on=today - timedelta(days=400)
    )
    application = entry_repair_apply(
        actor=world.handler, entry=entry, applied_on=today, grounds="已履行处罚。"
    )
    entry_repair_accept(actor=world.handler, application=application)
    client.force_login(world.supervisor)

    asked, _rows, done = _ask_then_confirm(
        client,
        reverse("blacklist:repair-decide", args=[entry.pk]),
        {"granted": "yes", "reason": "符合信用修复条件。"},
    )

    assert "leaves the list today" in asked.text
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.outcome == RepairApplication.Outcome.GRANTED
    assert Entry.objects.get(pk=entry.pk).status == Status.REPAIRED


def test_an_appeal_decision_asks_first(client, world):
    entry = PlatformEntryFactory(platform=world.platform, name="陈静")
    client.force_login(world.officer)
    url = reverse("blacklist:appeal", args=[entry.pk])
    data = {
        "received_on": timezone.localdate().isoformat(),
        "grounds": "当事人称系他人冒用账号。",
        "upheld": "yes",
        "reason": "经核实申诉成立。",
    }

    asked = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    appeals_when_asked = PlatformAppeal.objects.count()
    done = client.post(url, _carried(asked.text))

    assert asked.status_code == 200 and "leaves your platform's list" in asked.text.replace(
        "&#x27;", "'"
    )
    assert appeals_when_asked == 0
    assert done.status_code == 302
    assert PlatformAppeal.objects.get().upheld is True
    assert Entry.objects.get(pk=entry.pk).status == Status.REVOKED
