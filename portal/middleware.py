"""Request id: taken from ``X-Request-ID`` when it looks like one, else made here.

It goes on the response and, through ``portal.logging.RequestIdFilter``, on
every log record written while the request is served, so that nginx's access
log, gunicorn's and the portal's lines of one request can be joined.
"""

import re
import uuid

from django.core.signals import request_finished

from .logging import request_id_var

HEADER = "X-Request-ID"
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _ACCEPTED.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Kept until the response is closed: Django logs 4xx answers ("Not Found: …")
        # after the middleware has returned.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def _forget_request_id(**kwargs) -> None:
    request_id_var.set("-")


request_finished.connect(_forget_request_id, dispatch_uid="portal.middleware.forget_request_id")
