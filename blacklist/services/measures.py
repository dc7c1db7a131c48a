"""Sharing and joint punishment: the measures other departments record against a
listed party (Trial Art. 14, 29)."""

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit import actor_user, audit_record
from portal.errors import Conflict, DomainError, NotAllowed
from portal.transitions import require_perm

from ..models import (
    ACTIVE_STATUSES,
    Entry,
    ListKind,
    Measure,
    MeasureImplementation,
)
from .common import _lock

# --- sharing and joint punishment ------------------------------------------------


@transaction.atomic
def measure_record(
    *,
    actor,
    entry: Entry,
    measures: Sequence[Measure],
    applied_on: date,
    note: str = "",
) -> list[MeasureImplementation]:
    """A department records the joint-punishment measures it applied to a listed entry
    (the feedback of Trial Art. 29). A measure already recorded by the department is
    left as it is."""
    require_perm(actor, "blacklist.record_measure")
    department = getattr(actor, "department", None)
    if department is None:
        raise NotAllowed(_("Only department staff record measures."))
    entry = _lock(entry)
    if entry.list != ListKind.DEPARTMENTS or entry.status not in ACTIVE_STATUSES:
        raise Conflict(_("Measures are recorded against listed entries of the departments' list."))
    if not measures:
        raise DomainError(_("Choose at least one measure."), code="measures")
    done = set(
        MeasureImplementation.objects.filter(entry=entry, department=department).values_list(
            "measure_id", flat=True
        )
    )
    created = []
    for measure in measures:
        if measure.pk in done:
            continue
        row = MeasureImplementation(
            entry=entry,
            department=department,
            measure=measure,
            applied_on=applied_on,
            note=note.strip(),
            recorded_by=actor_user(actor),
        )
        row.full_clean()
        row.save()
        created.append(row)
    if created:
        audit_record(
            actor=actor_user(actor),
            action="blacklist.measures_recorded",
            subject=entry,
            data={
                "department": department.pk,
                "measures": [row.measure.code for row in created],
                "applied_on": applied_on.isoformat(),
            },
        )
    return created
