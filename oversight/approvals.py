"""What waits for the signed-in user's decision, across the domains: extensions of
a case's time limit, listing decisions, credit repair applications and reported
rectifications. The page ``/approvals/`` and the counts on the home page use the
same querysets, so the two always agree.

It looks across apps as the dashboards do (it belongs with them, above the
domains)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from blacklist.models import Entry, ListKind, RepairApplication, Status
from blacklist.selectors import entries_visible_to
from complaints.models import Complaint
from complaints.permissions import allowed_actions
from complaints.selectors import complaints_visible_to, with_due
from inspections.models import InspectionStatus, PlatformInspection
from inspections.permissions import inspection_actions
from inspections.selectors import inspections_visible_to
from portal.models import Deadline

LIMIT = 200  # rows a section lists; the count stays exact


@dataclass
class Waiting:
    extensions: list
    listings: list
    repairs: list
    rectifications: list

    @property
    def total(self) -> int:
        return sum(map(len, (self.extensions, self.listings, self.repairs, self.rectifications)))


def _extensions(user) -> list[Complaint]:
    requested = with_due(complaints_visible_to(user).filter(extension_state="requested")).order_by(
        "received_at", "pk"
    )
    return [c for c in requested[:LIMIT] if "approve_extension" in allowed_actions(user, c)]


def _listings(user) -> QuerySet[Entry]:
    """Entries of the user's department heard, or whose statement window is over."""
    if not (user.department_id and user.has_perm("blacklist.decide_entry")):
        return Entry.objects.none()
    today = timezone.localdate()
    window_over = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Entry),
        clock="blacklist-statement",
        due_on__lt=today,
    ).values("object_id")
    return (
        entries_visible_to(user)
        .filter(list=ListKind.DEPARTMENTS, department_id=user.department_id)
        .filter(
            Q(current__status=Status.HEARD) | Q(current__status=Status.NOTIFIED, pk__in=window_over)
        )
        .order_by("pk")
    )


def _repairs(user) -> QuerySet[RepairApplication]:
    """Applications of the department's entries awaiting acceptance or a decision."""
    if not (user.department_id and user.has_perm("blacklist.decide_entry")):
        return RepairApplication.objects.none()
    return (
        RepairApplication.objects.filter(
            outcome=RepairApplication.Outcome.PENDING,
            entry__in=entries_visible_to(user).filter(department_id=user.department_id),
        )
        .select_related("entry")
        .order_by("applied_on", "pk")
    )


def _rectifications(user) -> list[PlatformInspection]:
    reported = (
        inspections_visible_to(user)
        .filter(status=InspectionStatus.RECTIFICATION_REPORTED)
        .select_related("platform", "campaign")
        .order_by("pk")
    )
    return [i for i in reported[:LIMIT] if "verify" in inspection_actions(user, i)]


def waiting_for(user) -> Waiting:
    """Everything waiting for ``user``'s decision, each list in scope."""
    return Waiting(
        extensions=_extensions(user),
        listings=list(_listings(user)[:LIMIT]),
        repairs=list(_repairs(user)[:LIMIT]),
        rectifications=_rectifications(user),
    )
