"""The public endpoints' per-address throttle (intake, tracking).

DRF's ``ScopedRateThrottle`` keeps each client address's request history in the
default cache, which fails open (``portal.cache``): while Redis is unreachable
nothing can be counted and the request is let through, because a throttle that
cannot count must never cost a consumer their complaint. The address is the
one ``portal.clients.client_address`` gives (``TRUSTED_PROXY_HOPS``), never the
whole ``X-Forwarded-For`` a client sends. Same rates (``DEFAULT_THROTTLE_RATES``).
"""

from django_ratelimit import core as ratelimit
from rest_framework.throttling import ScopedRateThrottle

from portal.clients import client_address


def is_ratelimited(request, *, group, **kwargs) -> bool:
    """``django_ratelimit``'s check for the public pages (intake, tracking). By
    address, it counts ``portal.clients.client_address`` (``RATELIMIT_IP_META_KEY``);
    it fails open with the cache (``RATELIMIT_FAIL_OPEN``)."""
    return ratelimit.is_ratelimited(request, group=group, **kwargs)


def rate_usage(request, *, group, key, rate, increment: bool) -> dict | None:
    """``django_ratelimit``'s count for ``group`` without deciding anything:
    ``{"count", "limit", "time_left"}`` (seconds to the end of the window), or
    ``None`` when the cache could not count (fail open)."""
    return ratelimit.get_usage(request, group=group, key=key, rate=rate, increment=increment)


def rate_exhausted(usage: dict | None) -> bool:
    """Whether one more counted request would go over the limit."""
    return usage is not None and usage["count"] >= usage["limit"]


class PublicRateThrottle(ScopedRateThrottle):
    """``ScopedRateThrottle`` per client address and ``throttle_scope``."""

    def get_ident(self, request):
        return client_address(request)
