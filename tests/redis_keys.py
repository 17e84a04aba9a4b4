"""This run's Redis keys (config/settings/test.py names their prefixes), and only those.

Django's RedisCache.clear() is FLUSHDB: it would wipe the keys of a run beside this one, of
the Celery broker and of any dev server on the same Redis database. The suite deletes by
prefix instead.
"""

import re

from django.conf import settings
from django.core.cache import caches


def _glob_literal(text: str) -> str:
    """`text` matched literally in a Redis MATCH pattern."""
    return re.sub(r"([\\*?\[\]])", r"\\\1", text)


def run_patterns() -> list[str]:
    return [
        f"{_glob_literal(settings.CACHE_KEY_PREFIX)}:*",
        f"{_glob_literal(settings.CELERY_KEY_PREFIX)}*",
    ]


def redis_client():
    return caches["default"]._cache.get_client(write=True)


def run_keys() -> list[bytes]:
    client = redis_client()
    return [key for pattern in run_patterns() for key in client.scan_iter(match=pattern, count=1000)]


def run_keys_delete() -> int:
    """Deletes every key of this run (cache and Celery); returns how many there were."""
    keys = run_keys()
    client = redis_client()
    for start in range(0, len(keys), 500):
        client.unlink(*keys[start : start + 500])
    return len(keys)
