"""The Redis cache, degraded instead of failing when Redis cannot be reached.

Nothing the cache holds is the only copy of anything that matters (pages, store ids, tokens
from Monnify, counters): with Redis down a read is a miss, so callers fall through to the
database, and a write is skipped. A connection error opens a short circuit (`DOWN_SECONDS`)
during which no call even tries Redis, so a request pays the socket timeout at most once per
process per circuit instead of once per cache call (the webhook took 19 s before). The warning
is logged at most once a minute per process, not per request.

Counters are the exception: `incr` cannot invent a value, so it raises `CacheUnavailable` and
the caller decides (accounts/throttles.py: login and one-time codes fail closed, everything
else open). README "Operations and failure modes" has the policy.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Seconds without trying Redis after a failure, and between two "Redis is down" warnings.
DOWN_SECONDS = 5.0
WARN_INTERVAL_SECONDS = 60.0
# redis-py's socket timeouts for this backend: a down Redis answers within this, never 19 s.
SOCKET_TIMEOUT_SECONDS = 0.5

CACHE_ERRORS: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError, OSError)

T = TypeVar("T")


class CacheUnavailable(Exception):
    """The cache could not be reached for an operation that has no safe stand-in (a counter)."""


class _Circuit:
    """When this process last saw Redis fail, and when it last said so."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.warned_at = -WARN_INTERVAL_SECONDS

    def is_open(self) -> bool:
        return time.monotonic() < self.down_until

    def trip(self, error: BaseException) -> None:
        now = time.monotonic()
        with self.lock:
            self.down_until = now + DOWN_SECONDS
            warn = now - self.warned_at >= WARN_INTERVAL_SECONDS
            if warn:
                self.warned_at = now
        if warn:
            logger.warning(
                "cache: Redis is unavailable (%s); reads fall through to the database, writes are "
                "skipped (next warning in a minute at the earliest)",
                error,
            )

    def close(self) -> None:
        self.down_until = 0.0


circuit = _Circuit()


def cache_down_noted(error: BaseException) -> None:
    """For code that talks to the cache's Redis client itself (stores/view_counts.py)."""
    circuit.trip(error)


def cache_is_down() -> bool:
    return circuit.is_open()


class ResilientRedisCache(RedisCache):
    """Django's RedisCache with short socket timeouts that treats an unreachable Redis as a miss."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = {
            "socket_connect_timeout": SOCKET_TIMEOUT_SECONDS,
            "socket_timeout": SOCKET_TIMEOUT_SECONDS,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})

    def _guard(self, call: Callable[[], T], fallback: T) -> T:
        if circuit.is_open():
            return fallback
        try:
            return call()
        except CACHE_ERRORS as error:
            circuit.trip(error)
            return fallback

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False)

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._guard(lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._guard(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._guard(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        return self._guard(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._guard(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def set_many(
        self, data: dict[str, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[str]:
        return self._guard(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        self._guard(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        self._guard(lambda: super(ResilientRedisCache, self).clear(), None)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        if circuit.is_open():
            raise CacheUnavailable("the cache is unavailable")
        try:
            return super().incr(key, delta, version)
        except CACHE_ERRORS as error:
            circuit.trip(error)
            raise CacheUnavailable("the cache is unavailable") from error


def cache_check() -> str:
    """The health check's probe: "ok", or raises. Goes to Redis even while the circuit is open,
    and closes it when Redis answers, so recovery is noticed by the first probe."""
    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):
        backend._cache.get_client(write=True).ping()
        circuit.close()
        return "ok"
    backend.set("health:probe", "ok", timeout=5)
    if backend.get("health:probe") != "ok":
        raise RuntimeError("cache did not return what was written")
    return "ok"
