"""The public endpoints' per-address throttle (intake, tracking), with cheaper cache calls.

DRF's ``ScopedRateThrottle`` reads and writes the request history of the
client's address in the default cache. Django's Redis backend builds a new
``redis.Redis`` client object for every call, which cost as much CPU as the
rest of the throttle (bench/intake.py); here both calls go through one client
per backend instance (per process and thread), on the same connection pool,
with the backend's own keys, serializer and timeouts. Any other cache backend
is used as it is. Same algorithm, same rates (``DEFAULT_THROTTLE_RATES``).

The throttle fails open: when the cache cannot be reached (Redis restarting,
a network blip) the request is let through and a warning is logged, because a
throttle that cannot count must never cost a consumer their complaint.
"""

import logging

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django_ratelimit import core as ratelimit
from rest_framework.throttling import ScopedRateThrottle


def _redis_client(backend):
    """One client for ``backend`` (a ``RedisCache``), made at its first use."""
    raw = backend._cache  # Django's RedisCacheClient: its pools and serializer
    client = getattr(raw, "_throttle_client", None)
    if client is None:
        client = raw._throttle_client = raw.get_client(write=True)
    return client


class _HistoryCache:
    """The two calls the throttle makes, on the default cache."""

    def get(self, key, default=None):
        backend = caches["default"]
        if not isinstance(backend, RedisCache):
            return backend.get(key, default)
        value = _redis_client(backend).get(backend.make_and_validate_key(key))
        return default if value is None else backend._cache._serializer.loads(value)

    def set(self, key, value, timeout=None):
        backend = caches["default"]
        if not isinstance(backend, RedisCache):
            return backend.set(key, value, timeout)
        key = backend.make_and_validate_key(key)
        seconds = backend.get_backend_timeout(timeout)
        client = _redis_client(backend)
        if seconds == 0:
            client.delete(key)
        else:
            client.set(key, backend._cache._serializer.dumps(value), ex=seconds)
        return None


logger = logging.getLogger(__name__)


def is_ratelimited(request, *, group, **kwargs) -> bool:
    """``django_ratelimit``'s check for the public pages (intake, tracking), failing
    open like :class:`PublicRateThrottle` when the cache cannot be reached."""
    try:
        return ratelimit.is_ratelimited(request, group=group, **kwargs)
    except Exception as exc:  # redis.ConnectionError, TimeoutError, OSError …
        logger.warning(
            "Rate limit %s not checked, request let through: the cache is unreachable (%s).",
            group,
            type(exc).__name__,
        )
        return False


class PublicRateThrottle(ScopedRateThrottle):
    """``ScopedRateThrottle`` (per client address and ``throttle_scope``) on
    :class:`_HistoryCache`; lets the request through when the cache is down."""

    cache = _HistoryCache()

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # redis.ConnectionError, TimeoutError, OSError …
            logger.warning(
                "Throttle %s not checked, request let through: the cache is unreachable (%s).",
                getattr(view, "throttle_scope", "-"),
                type(exc).__name__,
            )
            return True
