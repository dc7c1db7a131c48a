"""What a clue's evidence package (or a consultation) can link to: a complaint or
report, a platform's disposal filing, an inspection finding.

Each kind is found through the actor's own scope: nobody links what they may
not see.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import Complaint
from complaints.selectors import complaints_visible_to
from filings.models import DisposalFiling
from filings.selectors import filings_visible_to

from .models import InspectionItem

SUMMARY_LENGTH = 800


@dataclass(frozen=True)
class Linked:
    obj: models.Model
    label: str
    summary: str


def _complaint(user, reference: str) -> Linked | None:
    complaint = complaints_visible_to(user).filter(tracking_code=reference.strip().upper()).first()
    if complaint is None:
        return None
    return Linked(
        complaint,
        f"{complaint.get_kind_display()} {complaint.tracking_code}",
        f"{complaint.category.label} · {complaint.platform_label or '—'}"
        f"{' · ' + complaint.live_room_name if complaint.live_room_name else ''}: "
        f"{complaint.description}"[:SUMMARY_LENGTH],
    )


def _filing(user, reference: str) -> Linked | None:
    if not reference.strip().isdigit():
        return None
    filing = filings_visible_to(user).filter(pk=int(reference)).first()
    if filing is None:
        return None
    measures = ", ".join(getattr(filing, "measure_labels", []) or [])
    return Linked(
        filing,
        _("Disposal filing %(id)s") % {"id": getattr(filing, "external_id", filing.pk)},
        f"{filing.platform} · {getattr(filing, 'party_name', '')} · {measures}: "
        f"{getattr(filing, 'facts', '')}"[:SUMMARY_LENGTH],
    )


def _finding(user, reference: str) -> Linked | None:
    from .selectors import inspections_visible_to

    if not reference.strip().isdigit():
        return None
    item = (
        InspectionItem.objects.select_related("inspection__platform", "inspection__campaign")
        .filter(pk=int(reference), inspection__in=inspections_visible_to(user))
        .first()
    )
    if item is None:
        return None
    return Linked(
        item,
        _("Finding %(code)s of inspection %(number)s")
        % {"code": item.code, "number": item.inspection.number},
        f"{item.inspection.platform} · {item.text} ({item.article}) · "
        f"{item.get_result_display()}: {item.note}"[:SUMMARY_LENGTH],
    )


LINK_KINDS = {
    "complaint": (gettext_lazy("complaint or report (tracking code)"), _complaint),
    "filing": (gettext_lazy("disposal filing (number)"), _filing),
    "finding": (gettext_lazy("inspection finding (number)"), _finding),
}


def link_kind_choices() -> list[tuple[str, str]]:
    return [(code, label) for code, (label, _find) in LINK_KINDS.items()]


def find_linkable(user, kind: str, reference: str) -> Linked | None:
    """The record ``user`` may link under ``kind`` and ``reference``, else None."""
    if kind not in LINK_KINDS or not reference.strip():
        return None
    return LINK_KINDS[kind][1](user, reference)


def describe(obj) -> Linked | None:
    """Label and summary of an object already found (e.g. by a service's caller)."""
    if obj is None:
        return None
    if isinstance(obj, Complaint):
        return Linked(
            obj,
            f"{obj.get_kind_display()} {obj.tracking_code}",
            f"{obj.category.label}: {obj.description}"[:SUMMARY_LENGTH],
        )
    if isinstance(obj, InspectionItem):
        return Linked(
            obj,
            _("Finding %(code)s of inspection %(number)s")
            % {"code": obj.code, "number": obj.inspection.number},
            f"{obj.text} ({obj.article}) · {obj.get_result_display()}: {obj.note}"[:SUMMARY_LENGTH],
        )
    return Linked(obj, str(obj)[:200], getattr(obj, "facts", "")[:SUMMARY_LENGTH])


def may_link(user, obj) -> bool:
    """Whether ``obj`` is within what ``user`` may see, by its own selector."""
    if isinstance(obj, Complaint):
        return complaints_visible_to(user).filter(pk=obj.pk).exists()
    if isinstance(obj, InspectionItem):
        from .selectors import inspections_visible_to

        return inspections_visible_to(user).filter(pk=obj.inspection_id).exists()
    if isinstance(obj, DisposalFiling):
        return filings_visible_to(user).filter(pk=obj.pk).exists()
    return False
