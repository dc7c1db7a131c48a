"""Celery tasks of the blacklist: thin, idempotent, retried on transient errors."""

from celery import Task, shared_task
from django.db import OperationalError
from django.utils import timezone


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def blacklist_expire_due_task() -> int:
    """The periodic sweep: entries whose term has ended leave the list (idempotent)."""
    from .services.listing import entry_expire_due

    return entry_expire_due(today=timezone.localdate())


class ScreeningJobTask(Task):
    """A roster job's task: when it fails for good (its retries on database errors run
    out), the job ends as failed with the reason, its roster deleted, instead of
    staying "running"."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from .screening.jobs import screening_job_fail

        job_id = kwargs.get("job_id", args[0] if args else None)
        if job_id is not None:
            reason = "retries_exhausted" if isinstance(exc, OperationalError) else "error"
            screening_job_fail(job_id=job_id, reason=reason)


@shared_task(
    base=ScreeningJobTask,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def screening_job_run_task(job_id: int) -> int:
    """Screen a roster job (``blacklist.screening.jobs``): taken up again, it goes on
    after the last chunk written."""
    from .screening.jobs import screening_job_run

    return screening_job_run(job_id=job_id).rows_done
