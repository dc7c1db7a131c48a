"""The address a request came from, trusting exactly ``TRUSTED_PROXY_HOPS`` proxies.

Each proxy in front of the portal (nginx, a load balancer) appends the address
it received the request from to ``X-Forwarded-For``. With ``N`` trusted hops the
client is the ``N``-th address from the right: what lies further left was
written by the client itself (or by a proxy we do not run) and is never
trusted. With 0 hops (the default, gunicorn facing the clients) the header is
ignored and ``REMOTE_ADDR`` is the client.

One function for everyone who counts by address: the API throttles
(``complaints.api.throttling``), django-ratelimit (``RATELIMIT_IP_META_KEY``) and
django-axes (``AXES_CLIENT_IP_CALLABLE``).
"""

import ipaddress

from django.conf import settings


def _address(text: str) -> str | None:
    """``text`` as a normalised IP address, or ``None`` when it is not one."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_address(request) -> str:
    """The client's IP address (see the module's docstring); ``REMOTE_ADDR`` when
    the trusted proxy's entry is missing or is not an address."""
    remote = request.META.get("REMOTE_ADDR") or ""
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    if hops <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part for part in header.split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than hops: the request skipped a proxy; the leftmost entry was
    # still written by one of ours (a client cannot write to the right of it).
    entry = forwarded[-min(hops, len(forwarded))]
    return _address(entry) or remote
