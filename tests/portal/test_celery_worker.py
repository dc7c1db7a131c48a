"""A real Celery worker on Redis runs the overdue sweep against the real database."""

import os
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app as celery_app
from portal.services import deadline_start
from portal.tasks import deadlines_mark_overdue_task
from tests.factories import ComplaintFactory

REDIS_URL = os.environ.get("REDIS_URL")

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: no broker to test against"),
]


@pytest.fixture
def redis_worker():
    saved = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "broker_url": celery_app.conf.broker_url,
        "result_backend": celery_app.conf.result_backend,
    }
    celery_app.conf.update(task_always_eager=False, broker_url=REDIS_URL, result_backend=REDIS_URL)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        celery_app.conf.update(saved)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_marks_overdue_clocks(departments, redis_worker):
    case = ComplaintFactory(department=departments["xihu_market"])
    started = timezone.localdate() - timedelta(days=60)
    clock = deadline_start(subject=case, clock="complaint-accept", started_on=started, actor=None)
    assert clock.due_on < timezone.localdate()

    result = deadlines_mark_overdue_task.delay()

    assert result.get(timeout=60) == 1
    clock.refresh_from_db()
    assert clock.overdue_since == timezone.localdate()
