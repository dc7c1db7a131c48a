"""The logged screening (Order 117 Art. 8, 14): who screened, when, what was asked
(the resident ID number masked, never in clear), what was found, and which
departments' entries were hit, so that each reads the screenings of its entries."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from portal.audit import actor_label, actor_user
from portal.errors import DomainError
from portal.identity import mask_ric
from portal.transitions import require_perm

from ..models import ScreeningJob, ScreeningJobHit, ScreeningLog
from ._sql import asynchronous_commit_if_opted, log_store
from .matching import Answer, ScreeningQuery, screening_match


@dataclass
class ScreeningResult:
    log: ScreeningLog
    answers: list[Answer]


def _asked(query: ScreeningQuery) -> dict[str, str]:
    """What was asked about one party, for the log: the name and USCC as given, the
    resident ID number masked (``mask_ric``), never in clear; empty parts left out."""
    asked = {"name": query.name.strip(), "uscc": query.uscc.strip(), "ref": query.ref}
    if query.id_number.strip():
        asked["id_number"] = mask_ric(query.id_number)
    return {key: value for key, value in asked.items() if value}


@transaction.atomic
def screening_run(
    *, actor, queries: Sequence[ScreeningQuery], channel: str, pool=None
) -> ScreeningResult:
    """Screen parties (``screening_match``) and log it: who, when, what was asked (the
    resident ID number masked, never in clear) and what was found (entry ids, scores and
    matched fields), and which departments' entries were hit (Order 117 Art. 8, 14)."""
    require_perm(actor, "blacklist.screen_parties")
    if not queries:
        raise DomainError(_("Give at least one party to screen."), code="empty")
    answers = screening_match(actor=actor, queries=queries, pool=pool)
    asynchronous_commit_if_opted()
    jurisdiction_department = getattr(actor, "department", None)
    log = ScreeningLog(
        actor=actor_user(actor),
        actor_label=actor_label(actor),
        department=jurisdiction_department if isinstance(actor, User) else None,
        platform_id=getattr(actor, "platform_id", None),
        channel=channel,
        queries=len(answers),
        queries_with_hits=sum(1 for a in answers if a.matches),
        hits=sum(len(a.matches) for a in answers),
        asked=[_asked(query) for query in queries],
        found=[
            [[m.entry_id, m.score, m.matched_fields] for m in answer.matches] for answer in answers
        ],
    )
    # The actor, department and platform come from the authenticated caller, not from
    # input, and what was asked and found is built here: validating them would cost a
    # query (or another JSON encoding of hundreds of hits) per screening for nothing.
    log.full_clean(exclude=["actor", "department", "platform", "asked", "found"])
    # The departments whose entries were hit (usually none to three), from the hits
    # already built, so that each reads the screenings that hit its entries.
    hit_departments = sorted({m.department_id for a in answers for m in a.matches} - {None})
    data = {
        "by": actor_label(actor),
        "queries": log.queries,
        "queries_with_hits": log.queries_with_hits,
        "hits": log.hits,
    }
    log_store(log, hit_departments, actor=actor, data=data)
    return ScreeningResult(log=log, answers=answers)


def screening_job_log(*, job: ScreeningJob, actor) -> ScreeningLog:
    """The one screening log of a roster job, written when it is done (call it inside
    the job's transaction): who, when, the counts, and the departments whose entries
    it hit, read from the job's hits in one query. What was asked and found is the
    job's own (its file, its hit rows, which ``selectors.department_hits`` reads), not
    copied into the log a million times over."""
    log = ScreeningLog(
        actor=actor_user(actor),
        actor_label=actor_label(actor),
        department=None,
        platform_id=job.platform_id,
        channel=ScreeningLog.Channel.JOB,
        queries=job.queries,
        queries_with_hits=job.queries_with_hits,
        hits=job.hits,
        asked=[],
        found=[],
    )
    log.full_clean(exclude=["actor", "department", "platform", "asked", "found"])
    hit_departments = sorted(
        set(
            ScreeningJobHit.objects.filter(job=job, entry__department__isnull=False)
            .values_list("entry__department_id", flat=True)
            .distinct()
        )
    )
    data = {
        "by": actor_label(actor),
        "job": job.pk,
        "queries": log.queries,
        "queries_with_hits": log.queries_with_hits,
        "hits": log.hits,
        "rows_with_errors": job.error_count,
    }
    log_store(log, hit_departments, actor=actor, data=data)
    return log
