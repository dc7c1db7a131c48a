"""Acting on many cases at once from a queue: each selected case is taken or
assigned on its own, as from its page, and the answer says what happened to
each. One refusal (a case taken by a colleague meanwhile, a case closed since)
leaves the others done."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from portal.errors import DomainError

from ..selectors import complaints_visible_to
from .workflow import complaint_assign

BULK_LIMIT = 100  # cases in one bulk action: a page of the queue and then some


@dataclass(frozen=True)
class RowResult:
    pk: int
    tracking_code: str
    done: bool
    message: str


def complaints_bulk_assign(*, actor, ids: Sequence[int], assignee) -> list[RowResult]:
    """Assign each case of ``ids`` to ``assignee`` (take it, when that is ``actor``),
    in the order given, each in its own transaction. A case ``actor`` may not see
    is reported as not found, as its page would answer."""
    ids = list(dict.fromkeys(ids))[:BULK_LIMIT]
    cases = {c.pk: c for c in complaints_visible_to(actor).filter(pk__in=ids)}
    taking = assignee == actor
    results = []
    for pk in ids:
        case = cases.get(pk)
        if case is None:
            results.append(RowResult(pk, "", False, _("No such case among those you may see.")))
            continue
        if case.assignee_id == assignee.pk:
            results.append(RowResult(pk, case.tracking_code, False, _("Already assigned so.")))
            continue
        try:
            with transaction.atomic():
                complaint_assign(complaint=case, actor=actor, assignee=assignee)
        except DomainError as exc:
            results.append(RowResult(pk, case.tracking_code, False, str(exc.message)))
        else:
            done = (
                _("Taken.")
                if taking
                else _("Assigned to %(name)s.") % {"name": assignee.get_full_name() or assignee}
            )
            results.append(RowResult(pk, case.tracking_code, True, done))
    return results


def complaints_selected(actor, ids: Sequence[int]):
    """The cases of ``ids`` that ``actor`` may see (for an export of a selection)."""
    return complaints_visible_to(actor).filter(pk__in=list(ids)[:BULK_LIMIT])
