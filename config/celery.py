"""The Celery app: configured from Django settings (``CELERY_*``)."""

import os

from celery import Celery
from celery.signals import before_task_publish, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# The request id of the request that enqueued a task goes with it, so the
# worker's log lines of that task carry the same id (portal.logging).
@before_task_publish.connect(dispatch_uid="config.celery.send_request_id")
def _send_request_id(headers=None, **kwargs):
    from portal.logging import request_id_var

    if headers is not None and "request_id" not in headers:
        headers["request_id"] = request_id_var.get()


@task_prerun.connect(dispatch_uid="config.celery.take_request_id")
def _take_request_id(task=None, **kwargs):
    from portal.logging import request_id_var

    if not task.request.is_eager:  # an eager task runs inside the request itself
        request_id_var.set(getattr(task.request, "request_id", None) or "-")
