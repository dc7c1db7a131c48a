"""Reference data each process keeps between requests, dropped when it changes.

The taxonomy, platforms, regions, departments, clock rules and the official
calendar change rarely (an admin edits them) but every intake reads them. A
process keeps what it has read in :data:`reference`; one version token in the
shared cache (Redis when ``REDIS_URL`` is set) says when to drop it:

- saving or deleting one of those rows bumps the token after commit (signals,
  connected by :func:`connect_signals`); the thread that made the change reads
  through the cache until its transaction ends, so that nobody keeps rows that
  were not committed;
- services that change them in bulk (``portal.services.calendar_load_year``)
  call :func:`reference_changed` themselves;
- each process compares its token with the shared one at most once a second
  (one cache read a second, not one per request), so another process's edit
  counts within a second of its commit; and drops everything after
  ``MAX_AGE_SECONDS`` whatever the token says, for edits made by SQL outside
  the portal.

Values are shared by every request of the process: callers must not change
the model instances they get.
"""

import logging
import threading
import time
import uuid
from collections.abc import Callable, Hashable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

VERSION_KEY = "portal:reference-data:version"
RECHECK_SECONDS = 1.0
MAX_AGE_SECONDS = 300.0
_MISSING = object()


class ReferenceCache:
    """A dict of loaded values, emptied when the shared version token changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[Hashable, Any] = {}
        self._version: object = _MISSING
        self._checked_at = float("-inf")
        self._loaded_at = float("-inf")
        # Set in a thread whose open transaction changed reference data: it reads
        # through (never keeps what only it can see) until that transaction ends.
        self._local = threading.local()

    def _current(self) -> dict | None:
        """The kept values, or ``None`` while this thread must read through."""
        if getattr(self._local, "changed", False):
            if transaction.get_connection().in_atomic_block:
                return None
            self._local.changed = False  # that transaction is over, kept or not
            self.clear()
        now = time.monotonic()
        if now - self._checked_at >= RECHECK_SECONDS:
            version = cache.get(VERSION_KEY)
            with self._lock:
                if version != self._version or now - self._loaded_at >= MAX_AGE_SECONDS:
                    self._data = {}
                    self._version, self._loaded_at = version, now
                self._checked_at = now
        return self._data

    def get(self, key: Hashable, load: Callable[[], Any], *, keep_none: bool = True) -> Any:
        """The value under ``key``, loaded once by ``load()``. ``keep_none=False``
        does not keep a ``None`` (a code nobody has, from a client's input)."""
        data = self._current()
        if data is None:
            # Reading through: what this thread loaded since its last change still
            # holds (every change it makes starts a new epoch), so one request does
            # not load the same rows again and again.
            data = self._through()
        value = data.get(key, _MISSING)
        if value is _MISSING:
            value = load()
            if value is not None or keep_none:
                data[key] = value
        return value

    def _through(self) -> dict:
        epoch = getattr(self._local, "epoch", 0)
        memo = getattr(self._local, "memo", None)
        if memo is None or memo[0] != epoch:
            memo = self._local.memo = (epoch, {})
        return memo[1]

    def recheck(self) -> None:
        """Compare the token again at the next read, not a second later."""
        self._checked_at = float("-inf")

    def clear(self) -> None:
        """Forget everything in this process, and reload at the next read."""
        with self._lock:
            self._data = {}
            self._version = _MISSING
            self._checked_at = float("-inf")
        self._local.epoch = getattr(self._local, "epoch", 0) + 1

    def reset(self) -> None:
        """Forget everything, including that this thread changed data (each test
        starts so: its predecessor's rows were rolled back)."""
        self.clear()
        self._local.changed = False

    def changed(self) -> None:
        """This thread changed reference data: forget it, and read through until
        its transaction ends."""
        self.clear()
        if transaction.get_connection().in_atomic_block:
            self._local.changed = True


reference = ReferenceCache()


def _bump() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # the edit is committed: the others catch up within MAX_AGE_SECONDS
        logger.warning("Could not tell the other processes that reference data changed")


def reference_changed() -> None:
    """Reference data changed: this process forgets it at once, every other one at
    its next check after the change is committed."""
    reference.changed()
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        func is _after_commit for _ids, func, _robust in connection.run_on_commit
    ):
        return  # one bump per transaction is enough
    transaction.on_commit(_after_commit)


def _after_commit() -> None:
    if not transaction.get_connection().in_atomic_block:
        reference.changed()  # clears; the transaction is over, so nothing is held back
    _bump()


def _on_change(sender, **kwargs) -> None:
    reference_changed()


def watch_reference(*models) -> None:
    """Bump the token when a row of one of ``models`` is saved or deleted. Each app
    names its own reference models in its ``apps.py``; the kernel names its own."""
    for model in models:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"reference-{model.__name__}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"reference-{model.__name__}-d")
