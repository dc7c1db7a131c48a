"""gunicorn for the portal's web tier: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Stateless workers: sessions and cache live in Redis, uploads in object storage,
so a tier grows by starting this unit on more machines behind nginx.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the portal's views are short database round trips; PDF
# rendering and mail go to Celery. 2 × cores + 1 is gunicorn's own rule.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then: bounded memory whatever a library leaks.
max_requests = 2000
max_requests_jitter = 200
# Only nginx on this machine talks to us; it sets X-Forwarded-For/-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access log as JSON lines with the request id nginx passed (X-Request-ID), so
# that nginx's, gunicorn's and the portal's lines of one request join up.
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "request_id": "%({x-request-id}i)s", '
    '"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", '
    '"duration_us": %(D)s, "remote": "%({x-forwarded-for}i)s"}'
)
# Query strings are not logged: a search may carry a name or an ID number.
