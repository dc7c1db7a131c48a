"""/healthz reports the database, the cache and the broker."""

import pytest
from django.test import override_settings

from config.celery import app as celery_app

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: a real connection that is refused.
DEAD_REDIS = "redis://127.0.0.1:1/0"


def test_all_up_answers_200(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "broker": True,
    }


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
        }
    }
)
def test_cache_down_answers_503(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True


def test_broker_down_answers_503(client):
    eager, broker = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = DEAD_REDIS
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = eager, broker

    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
