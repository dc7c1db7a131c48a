"""The shared cache, failing open: an unreachable Redis never fails a request.

Everything the portal keeps in the cache can be done without: the reference
data version token (``portal.lookups``), the dashboard figures
(``cached_figures``, for the dashboards), the API throttles and the public form's rate limit.
:class:`FailOpenRedisCache` is Django's ``RedisCache`` whose every call, when
Redis cannot be reached or does not answer within the socket timeout, answers
as a cache miss (``get`` gives the default, ``add``/``incr`` give nothing, so
django-ratelimit with ``RATELIMIT_FAIL_OPEN`` lets the request through) and
logs a warning at most once a minute per kind of failure.

After a failure the backend does not try Redis again for ``RETRY_SECONDS``, so
that a Redis that drops packets costs one request one socket timeout, not
every cache call of every request.

Each backend instance also keeps one ``redis.Redis`` client per connection pool
instead of building one per call as Django does (that cost as much CPU as the
rest of the API throttle, bench/intake.py); a client is thread-safe.
"""

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What "Redis is not there" looks like (redis-py wraps socket errors in these).
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0


class FaultLog:
    """Warnings about one kind of fault, at most one a minute per kind; the next
    one says how many were left out."""

    def __init__(self, log: logging.Logger, every: float = LOG_EVERY_SECONDS) -> None:
        self._log = log
        self._every = every
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._skipped: dict[str, int] = {}

    def warning(self, kind: str, message: str, *args) -> bool:
        """Log ``message % args`` unless ``kind`` was logged less than a minute ago.
        Returns whether it was logged."""
        now = time.monotonic()
        with self._lock:
            last = self._last.get(kind)
            if last is not None and now - last < self._every:
                self._skipped[kind] = self._skipped.get(kind, 0) + 1
                return False
            self._last[kind] = now
            skipped = self._skipped.pop(kind, 0)
        if skipped:
            message += " (%s more like it in the last minute were not logged)"
            args = (*args, skipped)
        self._log.warning(message, *args)
        return True

    def reset(self) -> None:
        with self._lock:
            self._last.clear()
            self._skipped.clear()


faults = FaultLog(logger)

# What each call answers when Redis cannot be reached: a miss, nothing stored.
_FALLBACK = {
    "add": False,
    "get": None,  # replaced by the caller's default
    "set": None,
    "touch": False,
    "delete": False,
    "get_many": {},
    "has_key": False,
    "incr": None,
    "set_many": None,
    "delete_many": None,
    "clear": False,
}


class FailOpenRedisCacheClient(RedisCacheClient):
    """Django's Redis client, with one ``redis.Redis`` per pool and every
    operation answering as a miss while Redis is unreachable."""

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients: dict[int, object] = {}
        self._down_until = float("-inf")
        self._location = ",".join(servers)

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client

    def _guarded(self, operation: str, call, fallback):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return call()
        except UNREACHABLE as exc:
            self._down_until = time.monotonic() + RETRY_SECONDS
            faults.warning(
                f"cache:{type(exc).__name__}",
                "Cache %s unreachable (%s during %s): carrying on without it.",
                self._location.rsplit("@", 1)[-1],  # never the password in a URL
                type(exc).__name__,
                operation,
            )
            return fallback


def _fail_open(operation: str):
    method = getattr(RedisCacheClient, operation)

    def guarded(self, *args, **kwargs):
        fallback = _FALLBACK[operation]
        if operation == "get":
            fallback = args[1] if len(args) > 1 else kwargs.get("default")
        elif operation == "get_many":
            fallback = {}
        return self._guarded(operation, lambda: method(self, *args, **kwargs), fallback)

    guarded.__name__ = operation
    guarded.__doc__ = f"``RedisCacheClient.{operation}``, failing open."
    return guarded


for _operation in _FALLBACK:
    setattr(FailOpenRedisCacheClient, _operation, _fail_open(_operation))


class FailOpenRedisCache(RedisCache):
    """``RedisCache`` on :class:`FailOpenRedisCacheClient` (``CACHES`` in settings)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailOpenRedisCacheClient


#: How long the figures of a dashboard or of the statistics page are kept before
#: they are counted again (seconds, setting ``STATISTICS_CACHE_SECONDS``); the page
#: says when they were counted.
FIGURES_CACHE_SECONDS = 600


def cached_figures(parts: tuple, compute: Callable[[], dict]) -> dict:
    """``compute()``, kept in the cache under ``parts`` (the scope, the filters, the
    language) for ``STATISTICS_CACHE_SECONDS`` (0: not kept), with ``counted_at``."""
    seconds = getattr(settings, "STATISTICS_CACHE_SECONDS", FIGURES_CACHE_SECONDS)
    if seconds <= 0:
        return {**compute(), "counted_at": timezone.now()}
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
    key = f"figures:{digest}"
    figures = cache.get(key)
    if figures is None:
        figures = {**compute(), "counted_at": timezone.now()}
        cache.set(key, figures, seconds)
    return figures
