"""The test suite: real MariaDB/MySQL and Redis (see README), local fakes for providers."""

from config.settings.base import *  # noqa: F403
from config.settings.base import REDIS_URL
from config.settings.environment import database, read

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
ALLOWED_HOSTS = ["*"]

DATABASES = {
    "default": database(default_url="mysql://agm_test:agm_test@127.0.0.1:3306/agm_store_builder"),
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": read("CACHE_KEY_PREFIX", default="agm-test"),
    }
}

# A test that runs a real worker starts it with CELERY_TASK_ALWAYS_EAGER=false.
CELERY_TASK_ALWAYS_EAGER = read("CELERY_TASK_ALWAYS_EAGER", bool, default=True)
BCRYPT_ROUNDS = 4  # the lowest cost bcrypt allows: hashing speed is not under test

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "notifications.sms.ConsoleBackend"

MONNIFY_SIMULATOR = read("MONNIFY_SIMULATOR", bool, default=not read("MONNIFY_API_KEY", default=""))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# Static files straight from static/ through WhiteNoise's finders: no collectstatic needed.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
