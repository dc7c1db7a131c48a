"""Reads of complaints and reports, scoped by jurisdiction; queues and due dates."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.scoping import jurisdiction_of, scope_queryset
from portal.models import Deadline
from portal.requests import with_answer_due
from portal.workdays import WorkingCalendar

from .models import FINISHED_STATUSES, Complaint, PlatformForward
from .services.intake import normalise_phone


def complaints_visible_to(user) -> QuerySet[Complaint]:
    """Staff see the cases held by departments of their own type in their region
    and below; a platform officer sees only the cases forwarded to their platform."""
    queryset = Complaint.objects.select_related(
        "category", "platform", "department", "department__region", "assignee", "consumer_region"
    )
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.platform_id:
        forwarded = PlatformForward.objects.filter(
            complaint=OuterRef("pk"), platform_id=jurisdiction.platform_id
        )
        return queryset.filter(Exists(forwarded))
    return scope_queryset(
        queryset,
        user,
        region_path="department__region__path",
        department_type="department__type",
        platform=None,
    )


def _running_clocks() -> QuerySet[Deadline]:
    """The running clocks of the case ``OuterRef("pk")``."""
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint),
        object_id=OuterRef("pk"),
        state=Deadline.State.RUNNING,
    )


def with_due(queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Annotate ``next_due``: the earliest running clock of each case.

    A correlated subquery (index ``deadline_running_of_object``), not a
    ``Min()`` over a join: the join made every list page group all the cases in
    scope before it could take the 50 it shows (6 s for a provincial department
    with 700,000 cases, bench/pages.py); the subquery runs for those 50 only.
    """
    first_due = _running_clocks().order_by("due_on").values("due_on")[:1]
    return queryset.annotate(next_due=Subquery(first_due)).order_by("-received_at", "-pk")


QUEUES = ("mine", "unassigned", "due_soon", "overdue", "open", "all", "triage")


def queue(user, name: str, *, today: date | None = None, within: int = 3) -> QuerySet[Complaint]:
    """One of the staff queues, on top of the user's scope."""
    today = today or timezone.localdate()
    cases = with_due(complaints_visible_to(user))
    open_cases = cases.exclude(status__in=FINISHED_STATUSES)
    if name == "mine":
        return open_cases.filter(assignee=user)
    if name == "unassigned":
        return open_cases.filter(assignee__isnull=True, department_id=user.department_id)
    # Filters on the earliest running clock, written as EXISTS so that the
    # database starts from the few clocks due (index ``deadline_running_due``):
    # earliest < today  <=>  some running clock is past;
    # today <= earliest <= until  <=>  one is in the window and none is past.
    overdue = Exists(_running_clocks().filter(due_on__lt=today))
    if name == "due_soon":
        until = WorkingCalendar().add_working_days(today, within)
        soon = Exists(_running_clocks().filter(due_on__gte=today, due_on__lte=until))
        return open_cases.filter(soon).exclude(overdue)
    if name == "overdue":
        return open_cases.filter(overdue)
    if name == "triage":
        return open_cases.filter(in_triage=True)
    if name == "open":
        return open_cases
    return cases


def decision_due(complaint: Complaint) -> Deadline | None:
    """The clock the consumer is told about: the decision, else the mediation clock."""
    clocks = {
        d.clock: d
        for d in Deadline.objects.for_object(complaint).filter(
            state__in=[Deadline.State.RUNNING, Deadline.State.PAUSED]
        )
    }
    return (
        clocks.get("complaint-accept")
        or clocks.get("report-verify")
        or clocks.get("complaint-mediation")
    )


def deadlines_of(complaint: Complaint) -> list[Deadline]:
    return list(
        Deadline.objects.for_object(complaint)
        .order_by("started_on", "pk")
        .prefetch_related("exclusions")
    )


def forwards_for_platform(user) -> QuerySet[PlatformForward]:
    jurisdiction = jurisdiction_of(user)
    if not jurisdiction.platform_id:
        return with_answer_due(PlatformForward.objects.none())
    return with_answer_due(
        PlatformForward.objects.filter(platform_id=jurisdiction.platform_id).select_related(
            "complaint", "complaint__category", "platform"
        )
    )


def find_tracked(code: str, contact: str) -> Complaint | None:
    """The case with this tracking code whose contact (phone, email or access key) matches."""
    code = (code or "").strip().upper()
    contact = (contact or "").strip()
    if not code or not contact:
        return None
    complaint = (
        Complaint.objects.select_related("department", "category")
        .filter(tracking_code=code)
        .first()
    )
    if complaint is None:
        return None
    matches = (
        (complaint.contact_phone and normalise_phone(contact) == complaint.contact_phone)
        or (complaint.contact_email and contact.lower() == complaint.contact_email)
        or (complaint.access_key and contact.upper() == complaint.access_key)
    )
    return complaint if matches else None
