"""Reads of complaints and reports, scoped by jurisdiction; queues and due dates."""

import re
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.scoping import jurisdiction_of, scope_queryset
from portal.codes import READABLE_ALPHABET
from portal.identity import phone_hash
from portal.models import Deadline
from portal.requests import with_answer_due
from portal.search import search_words, substring_searchable
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


#: The fewest digits taken for a phone number (a fixed line without area code has 7).
MIN_PHONE_DIGITS = 7
_PHONE_CHARACTERS = re.compile(r"[+\d()\-]+")
_PHONE_TYPED = re.compile(r"[+\d()\-\s]+")
_TRACKING_CODE = re.compile(rf"LM[{READABLE_ALPHABET}]{{10}}", re.IGNORECASE)


def _word_matches(word: str) -> Q:
    """The cases one word of the search box finds, on top of the list's scope.

    Exact, by index: the tracking code, the consumer's phone (normalised as intake
    stores it, and found by its keyed hash, ``portal.identity.phone_hash``), the
    order number and the live room's account id. By substring from three characters
    on (trigram indexes ``complaint_search_*`` on PostgreSQL, which serve the whole-
    name comparison too): the consumer's name, the live room's name and the
    description as stored (masked: an identity number in it is not found, and no row
    is decrypted). A shorter word matches a whole name only. Every branch has an
    index, so PostgreSQL combines them (BitmapOr) and never scans the scope.

    A phone number or a tracking code is looked up as itself (or as an order number
    or account id spelt so), by B-tree indexes alone, not inside names and prose:
    PostgreSQL, costing the trigram indexes high, would otherwise walk the whole
    scope by date for the one case it names (1.3 s at 1,000,000 cases instead of a
    millisecond, docs/performance.md).
    """
    exact = Q(tracking_code=word.upper()) | Q(order_number=word) | Q(live_room_account=word)
    phone = normalise_phone(word)
    if len(phone) >= MIN_PHONE_DIGITS and _PHONE_CHARACTERS.fullmatch(word):
        return exact | Q(contact_phone_hash=phone_hash(phone))
    if _TRACKING_CODE.fullmatch(word):
        return exact
    matches = exact | Q(contact_name__iexact=word) | Q(live_room_name__iexact=word)
    if substring_searchable(word):
        matches |= (
            Q(description__icontains=word)
            | Q(contact_name__icontains=word)
            | Q(live_room_name__icontains=word)
        )
    return matches


def case_search(queryset: QuerySet[Complaint], q: str) -> QuerySet[Complaint]:
    """The cases of ``queryset`` (already scoped) that every word of ``q`` finds; a
    phone number typed with spaces (139 1234 5678) is one word."""
    words = [re.sub(r"\s", "", q)] if _PHONE_TYPED.fullmatch(q) else search_words(q)
    for word in words:
        queryset = queryset.filter(_word_matches(word))
    return queryset


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
