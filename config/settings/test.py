"""The test suite: real MariaDB/MySQL and Redis (see README), local fakes for providers.

Every run gets its own id (AGM_TEST_RUN_ID, generated once and exported so the worker and
servers a test starts inherit it): it names the test database and prefixes every Redis key the
run writes (cache and Celery), so two runs at once and a dev server on the same MariaDB and
Redis never see each other's data. tests/conftest.py deletes only keys under these prefixes.
"""

import os
import secrets

from config.settings.base import *  # noqa: F403
from config.settings.base import REDIS_URL
from config.settings.environment import database, read

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
ALLOWED_HOSTS = ["*"]

TEST_RUN_ID = os.environ.setdefault("AGM_TEST_RUN_ID", secrets.token_hex(4))

DATABASES = {
    "default": database(default_url="mysql://agm_test:agm_test@127.0.0.1:3306/agm_store_builder"),
}
DATABASES["default"].setdefault("TEST", {})["NAME"] = read(
    "TEST_DATABASE_NAME", default=f"test_agm_{TEST_RUN_ID}"
)

# Django writes cache keys as "<KEY_PREFIX>:<version>:<key>"; Celery's keys start with
# CELERY_KEY_PREFIX. Both are this run's alone.
CACHE_KEY_PREFIX = f"{read('CACHE_KEY_PREFIX', default='agm-test')}-{TEST_RUN_ID}"
CELERY_KEY_PREFIX = f"{CACHE_KEY_PREFIX}-celery:"
CACHES = {
    "default": {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
    }
}
CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "global_keyprefix": CELERY_KEY_PREFIX}  # noqa: F405
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": CELERY_KEY_PREFIX}

# A test that runs a real worker starts it with CELERY_TASK_ALWAYS_EAGER=false.
CELERY_TASK_ALWAYS_EAGER = read("CELERY_TASK_ALWAYS_EAGER", bool, default=True)
# Sessions in the database, as everywhere (base); the tests of config/sessions.py, the opt-in
# Redis-first engine, and the processes they start choose it with TEST_SESSION_ENGINE.
SESSION_ENGINE = read("TEST_SESSION_ENGINE", default="django.contrib.sessions.backends.db")
BCRYPT_ROUNDS = 4  # the lowest cost bcrypt allows: hashing speed is not under test

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "notifications.sms.ConsoleBackend"

MONNIFY_SIMULATOR = read("MONNIFY_SIMULATOR", bool, default=not read("MONNIFY_API_KEY", default=""))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Quiet unless asked: the processes a test starts get TEST_LOG_LEVEL=INFO to log every request.
LOGGING["root"]["level"] = read("TEST_LOG_LEVEL", default="WARNING")  # noqa: F405

# Static files straight from static/ through WhiteNoise's finders: no collectstatic needed.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
