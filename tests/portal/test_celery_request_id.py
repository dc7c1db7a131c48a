"""A task enqueued while a request is served logs with that request's id."""

import os

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app as celery_app
from portal.logging import request_id_var

REDIS_URL = os.environ.get("REDIS_URL")


@celery_app.task(name="tests.portal.request_id_probe")
def request_id_probe():
    return request_id_var.get()


@pytest.mark.broker
@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: no broker to test against")
def test_a_real_worker_takes_the_request_id_of_the_enqueuing_request():
    saved = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "broker_url": celery_app.conf.broker_url,
        "result_backend": celery_app.conf.result_backend,
    }
    celery_app.conf.update(task_always_eager=False, broker_url=REDIS_URL, result_backend=REDIS_URL)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            token = request_id_var.set("req-0123456789abcdef")
            try:
                result = request_id_probe.delay()
            finally:
                request_id_var.reset(token)
            assert result.get(timeout=60) == "req-0123456789abcdef"
            assert request_id_probe.delay().get(timeout=60) == "-"
    finally:
        celery_app.conf.update(saved)


def test_an_eager_task_runs_in_the_request_context():
    token = request_id_var.set("req-eager-0001")
    try:
        assert request_id_probe.apply().get() == "req-eager-0001"
    finally:
        request_id_var.reset(token)
