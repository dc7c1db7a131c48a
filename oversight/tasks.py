"""Celery tasks of the periodic reports: thin, idempotent, retried on transient errors."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def generate_report_task(report_id: int) -> bool:
    """Generate one statistical report: failed with its error unless the database
    was briefly unavailable, in which case it is retried."""
    from .models import StatisticalReport
    from .reports import report_fail, report_generate

    report = (
        StatisticalReport.objects.select_related("department__region").filter(pk=report_id).first()
    )
    if report is None:
        return False
    try:
        report_generate(report)
    except Exception as error:
        report_fail(report, error)
        if isinstance(error, OperationalError):
            raise
        return False
    return True


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def reports_schedule_task(today: str | None = None) -> int:
    """The monthly and quarterly reports of every department (idempotent; run daily).

    ``today`` (ISO date) is for a manual catch-up run; by default the local date."""
    from datetime import date

    from .reports import reports_schedule

    return reports_schedule(today=date.fromisoformat(today) if today else timezone.localdate())


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def summary_refresh_task() -> int:
    """Rebuild the cases' summary of the dashboards and statistics (idempotent; the
    beat runs it every ``SUMMARY_REFRESH_SECONDS``): the number of rows made."""
    from .summary import summary_refresh

    return summary_refresh()["rows"]
