"""The supervisor's inbox holds the listing decisions of the department: an entry
whose party has been heard waits for the decision, and leaves once it is made."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from blacklist.services.listing import entry_decide, entry_notify, entry_record_statement
from tests.blacklist.test_lifecycle import PROPOSED_ON, _propose

pytestmark = pytest.mark.django_db


def test_a_heard_entry_waits_for_the_supervisors_decision(client, world):
    with time_machine.travel(PROPOSED_ON, tick=False):
        entry = entry_notify(actor=world.handler, entry=_propose(world))
        entry_record_statement(
            actor=world.handler, entry=entry, received_on=date(2026, 3, 5), text="不服。"
        )
    client.force_login(world.supervisor)
    waiting = client.get(reverse("approvals")).text
    client.force_login(world.handler)
    handlers = client.get(reverse("approvals")).text

    entry_decide(actor=world.supervisor, entry=entry, list_entry=True, reason="事实清楚。")
    client.force_login(world.supervisor)
    after = client.get(reverse("approvals")).text

    assert entry.reference in waiting
    assert entry.reference not in handlers  # a handler proposes; the supervisor decides
    assert entry.reference not in after
