"""The register's periodic work."""

from celery import shared_task

from .rosters.services import rosters_pending_expire


@shared_task
def rosters_expire_pending_task() -> int:
    """Uploads never confirmed lose their rows once their preview has expired."""
    return rosters_pending_expire()
