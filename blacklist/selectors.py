"""Reads of the blacklist, scoped by :func:`accounts.scoping.jurisdiction_of`.

Who sees which entries (pages, API, PDFs and screening all use these):

- **Department staff**, of any type (joint punishment across departments is
  the point, Trial Art. 29):
  - departments' list entries once listed (listed, and removed ones as
    history) that the lister shared with all departments, or with its
    province when the viewer's department lies in that province or above it;
  - proposals (before and without listing) only within the lister's
    jurisdiction chain: the listing department and the departments of its
    type above it (DESIGN.md, "Jurisdiction and roles");
  - the platforms' shared blacklist entries of platforms domiciled in their
    region or below (those filings come to them: Order 117 Art. 12 ¶3).
- **Platform officers** (and API keys): the platforms' shared blacklist
  (Order 117 Art. 14 ¶4): every entry of their own platform, and the entries
  of other platforms while on the list. The departments' list reaches them
  only as screening hits (:func:`screening_pool`), shown masked.
- Site administrators see everything; anybody else nothing. Out of scope
  answers 404.
"""

from datetime import date

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.scoping import jurisdiction_of

from .models import (
    ACTIVE_STATUSES,
    PRE_LISTING_STATUSES,
    Entry,
    EntryState,
    ListKind,
    MeasureImplementation,
    ScreeningJob,
    ScreeningJobError,
    ScreeningJobHit,
    ScreeningLog,
    ShareScope,
)


def _ancestor_paths(path: str) -> list[str]:
    """``/100000/330000/330100/`` → the paths of the region and every region above it."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _base() -> QuerySet[Entry]:
    return Entry.objects.select_related(
        "current", "category", "department", "department__region", "platform"
    )


def entries_visible_to(user) -> QuerySet[Entry]:
    """Every entry ``user`` may open (see the module docstring)."""
    jurisdiction = jurisdiction_of(user)
    queryset = _base()
    if jurisdiction.everything:
        return queryset
    if jurisdiction.platform_id:
        return queryset.filter(list=ListKind.PLATFORMS).filter(
            Q(platform_id=jurisdiction.platform_id) | Q(current__status__in=ACTIVE_STATUSES)
        )
    if jurisdiction.region_path:
        own_path = jurisdiction.region_path
        shared = Q(list=ListKind.DEPARTMENTS) & ~Q(current__status__in=PRE_LISTING_STATUSES)
        shared &= (
            Q(share_scope=ShareScope.ALL)
            | Q(share_region_path="")
            | Q(share_region_path__in=_ancestor_paths(own_path))
            | Q(share_region_path__startswith=own_path)
        )
        own_chain = Q(
            list=ListKind.DEPARTMENTS,
            department__region__path__startswith=own_path,
            department__type=jurisdiction.department_type,
        )
        platforms = Q(list=ListKind.PLATFORMS, platform__domicile__path__startswith=own_path)
        return queryset.filter(shared | own_chain | platforms)
    return queryset.none()


def screening_pool(user, today: date | None = None) -> QuerySet[Entry]:
    """The entries on the list today that a screening by ``user`` may hit.

    Staff screen against what they may see; platform officers against the whole
    platforms' list and the departments' list (hits shown masked: the platform
    must know the party is listed, Order 117 Art. 8, 14, not who else is).
    """
    today = today or timezone.localdate()
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.platform_id or jurisdiction.everything:
        return Entry.objects.active(today)
    if jurisdiction.region_path:
        return entries_visible_to(user).active(today)
    return Entry.objects.none()


def may_see_full_name(user, entry: Entry) -> bool:
    """Staff and the listing platform see the name; other platforms see it masked."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.platform_id:
        return entry.platform_id == jurisdiction.platform_id
    return jurisdiction.everything or bool(jurisdiction.region_path)


def public_entries(today: date | None = None) -> QuerySet[Entry]:
    """The departments' list as the public publicity page shows it: on the list today only."""
    return (
        Entry.objects.filter(list=ListKind.DEPARTMENTS)
        .active(today or timezone.localdate())
        .select_related("category", "department")
        .order_by("-listed_on", "-pk")
    )


def implementations_for(entry: Entry, user) -> QuerySet[MeasureImplementation]:
    """The lister (and site administrators) see every department's feedback; another
    department sees its own."""
    queryset = MeasureImplementation.objects.filter(entry=entry).select_related(
        "department", "measure", "recorded_by"
    )
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.everything:
        return queryset
    department_id = getattr(user, "department_id", None)
    if department_id is None:
        return queryset.none()
    if entry.department_id == department_id:
        return queryset
    return queryset.filter(department_id=department_id)


def entries_in_feed_of(user) -> QuerySet[Entry]:
    """The entries whose changes ``user``'s changes feed reports: what they may see,
    and for platforms also other platforms' entries that were ever on the list, so
    that a removal reaches them (they could see the entry while it was listed)."""
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.platform_id and not jurisdiction.everything:
        ever_listed = EntryState.objects.filter(status__in=ACTIVE_STATUSES).values("entry_id")
        return (
            _base()
            .filter(list=ListKind.PLATFORMS)
            .filter(Q(platform_id=jurisdiction.platform_id) | Q(pk__in=ever_listed))
        )
    return entries_visible_to(user)


def entry_roles(user, entry) -> dict[str, bool]:
    """Which actions the user's role allows on this entry, whatever its state: the
    listing department's staff by permission, the listing platform's officers."""
    lister_department = entry.list == ListKind.DEPARTMENTS and (
        user.department_id == entry.department_id
    )
    lister_platform = entry.list == ListKind.PLATFORMS and (
        getattr(user, "platform_id", None) == entry.platform_id
    )
    propose = lister_department and user.has_perm("blacklist.propose_entry")
    decide = lister_department and user.has_perm("blacklist.decide_entry")
    platform = lister_platform and user.has_perm("blacklist.add_platform_entry")
    return {
        "notify": propose,
        "statement": propose,
        "decide": decide,
        "repair_apply": propose,
        "repair_accept": propose,
        "repair_decide": decide,
        "revoke": decide or platform,
        "measures": entry.list == ListKind.DEPARTMENTS
        and bool(user.department_id)
        and user.has_perm("blacklist.record_measure"),
        "appeal": platform,
    }


def screenings_hitting(department) -> QuerySet[ScreeningLog]:
    """The screenings that hit an entry of ``department`` (its screening-log page),
    newest first, with who screened."""
    return (
        ScreeningLog.objects.filter(hit_departments__department=department)
        .select_related("platform", "department")
        .order_by("-at", "-id")
    )


#: A screening's hits on a department's entries shown on its screenings page; the rest
#: are on the screening's own page (:func:`department_log_hits`), 50 a page.
HITS_SHOWN = 20


def _job_hits_of(department) -> QuerySet[ScreeningJobHit]:
    return (
        ScreeningJobHit.objects.filter(entry__department=department)
        .select_related("entry")
        .order_by("row", "-score", "entry_id")
    )


def _job_hit(hit) -> dict:
    return {"party": hit.row, "entry": hit.entry, "score": hit.score, "fields": hit.matched_fields}


def _log_hits(log, entries) -> list[dict]:
    return [
        {"party": party, "entry": entries[pk], "score": score, "fields": fields}
        for party, found in enumerate(log.found, start=1)
        for pk, score, fields in found
        if pk in entries
    ]


def department_hits(
    department, logs, *, limit: int = HITS_SHOWN
) -> list[tuple[ScreeningLog, list[dict], int]]:
    """Each of ``logs`` with its first ``limit`` hits on ``department``'s entries only
    and how many there are, in one read (and one more for roster jobs' logs, whose hits
    are the job's rows, numbered by the roster's row, the first ``limit`` of each job
    chosen in SQL): the entries of other departments that the same screening hit are
    never loaded, nor a job's hits past the ``limit``."""
    wanted = {hit[0] for log in logs for party in log.found for hit in party}
    entries = Entry.objects.filter(pk__in=wanted, department=department).in_bulk() if wanted else {}
    job_logs = [log.pk for log in logs if log.channel == ScreeningLog.Channel.JOB]
    job_hits: dict[int, list[dict]] = {}
    job_counts: dict[int, int] = {}
    if job_logs:
        order = [F("row").asc(), F("score").desc(), F("entry_id").asc()]
        rows = (
            _job_hits_of(department)
            .filter(job__log__in=job_logs)
            .annotate(
                log_id=F("job__log_id"),
                place=Window(RowNumber(), partition_by=[F("job_id")], order_by=order),
                total=Window(Count("pk"), partition_by=[F("job_id")]),
            )
            .filter(place__lte=limit)
        )
        for hit in rows:
            job_hits.setdefault(hit.log_id, []).append(_job_hit(hit))
            job_counts[hit.log_id] = hit.total
    rows = []
    for log in logs:
        if log.channel == ScreeningLog.Channel.JOB:
            rows.append((log, job_hits.get(log.pk, []), job_counts.get(log.pk, 0)))
        else:
            hits = _log_hits(log, entries)
            rows.append((log, hits[:limit], len(hits)))
    return rows


def department_log_hits(department, log: ScreeningLog):
    """Every hit of one screening on ``department``'s entries, in the order of its
    parties: a roster job's as a query set (to be paged), another screening's as a list
    (its hits are in the log's row, already read)."""
    if log.channel == ScreeningLog.Channel.JOB:
        return _job_hits_of(department).filter(job__log=log)
    wanted = {hit[0] for party in log.found for hit in party}
    entries = Entry.objects.filter(pk__in=wanted, department=department).in_bulk() if wanted else {}
    return _log_hits(log, entries)


def as_department_hits(rows) -> list[dict]:
    """A page of :func:`department_log_hits` as the hits the pages show."""
    return [row if isinstance(row, dict) else _job_hit(row) for row in rows]


def screening_jobs_of(user) -> QuerySet[ScreeningJob]:
    """The roster screening jobs of the caller's platform (none for anyone else)."""
    platform_id = getattr(user, "platform_id", None)
    if not platform_id:
        return ScreeningJob.objects.none()
    return ScreeningJob.objects.filter(platform_id=platform_id).order_by("-created_at", "-id")


def screening_job_hits(job: ScreeningJob) -> QuerySet[ScreeningJobHit]:
    """A job's hits in roster order, with what a result line shows of the entry."""
    return (
        ScreeningJobHit.objects.filter(job=job)
        .select_related("entry")
        .only(
            "row",
            "reference",
            "score",
            "matched_fields",
            "why",
            "entry__reference",
            "entry__list",
        )
        .order_by("row", "-score", "entry_id")
    )


def screening_job_errors(job: ScreeningJob) -> QuerySet[ScreeningJobError]:
    return ScreeningJobError.objects.filter(job=job).order_by("row", "id")


def screening_logs_of(user) -> QuerySet[ScreeningLog]:
    """The screening logs the caller made: a platform's (its officers' and its API keys'),
    or a staff user's own; none for anyone else."""
    platform_id = getattr(user, "platform_id", None)
    if platform_id:
        return ScreeningLog.objects.filter(platform_id=platform_id)
    if getattr(user, "pk", None):
        return ScreeningLog.objects.filter(actor=user)
    return ScreeningLog.objects.none()


def found_entries(ids) -> dict[int, Entry]:
    """Entries a screening found, with what an answer shows of them, by id."""
    return _base().in_bulk(list(ids))
