"""Settings of bench/storefront.py: the embedded defaults (config.settings.local) on a
seeded SQLite file, with the bench URLconf. BENCH_PAGE_CACHE=off swaps the cache for a
dummy one to measure pages rendered from the database on every request."""

from config.settings.environment import read
from config.settings.local import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
LOGGING["root"]["level"] = "ERROR"  # noqa: F405

if read("BENCH_PAGE_CACHE", default="on") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": read("REDIS_URL", default="redis://127.0.0.1:6379/0"),
            "KEY_PREFIX": "bench-storefront",
        }
    }
