"""One meaning for a move in every app: to the state a thing is in, nothing happens;
a move its table does not hold is a 409 conflict naming both states."""

import pytest
from django.utils import translation

from blacklist.models import Entry, Status
from blacklist.services.common import TRANSITIONS, _may_move
from complaints.models import Complaint
from complaints.services.common import _move
from inspections.models import ClueStatus, ClueTransfer
from inspections.services.clues import CLUE_MOVES
from portal.errors import Conflict
from portal.models import Deadline
from portal.services import DEADLINE_MOVES
from portal.services import _move as deadline_may_move
from portal.transitions import may_move, transition


def test_a_move_to_the_state_it_is_in_does_nothing_in_every_app():
    case = Complaint(kind=Complaint.Kind.COMPLAINT, status=Complaint.Status.CLOSED)
    transfer = ClueTransfer(status=ClueStatus.ACCEPTED)

    assert _move(case, Complaint.Status.CLOSED) is False
    assert transition(transfer, ClueStatus.ACCEPTED, CLUE_MOVES) is False
    assert deadline_may_move(Deadline(state=Deadline.State.MET), Deadline.State.MET) is False
    assert may_move(Status.LISTED, Status.LISTED, TRANSITIONS, labels={}) is False
    assert (case.status, transfer.status) == (Complaint.Status.CLOSED, ClueStatus.ACCEPTED)


@translation.override("zh-hans")  # whatever language an earlier test left active
def test_a_move_the_table_does_not_hold_is_a_conflict_naming_both_states():
    case = Complaint(kind=Complaint.Kind.COMPLAINT, status=Complaint.Status.CLOSED)
    with pytest.raises(Conflict) as refused:
        _move(case, Complaint.Status.ACCEPTED)
    assert refused.value.code == "invalid_transition"
    assert str(refused.value) == "处于“已办结”状态的案件不能变更为“已受理，办理中”。"
    assert case.status == Complaint.Status.CLOSED

    transfer = ClueTransfer(status=ClueStatus.SENT)
    with pytest.raises(Conflict) as refused:
        transition(transfer, ClueStatus.ACCEPTED, CLUE_MOVES)
    assert refused.value.code == "invalid_transition"
    assert transfer.status == ClueStatus.SENT

    with pytest.raises(Conflict) as refused:
        deadline_may_move(Deadline(state=Deadline.State.MET), Deadline.State.RUNNING)
    assert refused.value.code == "invalid_transition"
    assert DEADLINE_MOVES[Deadline.State.MET] == set()


@pytest.mark.django_db
@translation.override("zh-hans")
def test_an_entry_moves_only_along_its_table(departments):
    from tests.blacklist.factories import ListedEntryFactory

    entry = ListedEntryFactory(department=departments["xihu_market"])
    assert entry.status == Status.LISTED
    assert _may_move(entry, Status.LISTED) is False
    with pytest.raises(Conflict) as refused:
        _may_move(entry, Status.PROPOSED)
    assert refused.value.code == "invalid_transition"
    assert str(refused.value) == "处于“已列入”状态的条目不能变更为“拟列入”。"
    assert Entry.objects.get(pk=entry.pk).status == Status.LISTED
