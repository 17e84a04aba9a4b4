"""The embedded default: SQLite, eager tasks, simulated Monnify, console email and SMS.

Every choice here can be overridden from the environment, so a developer can point the
local server at MySQL and Redis without touching this file.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, LOGGING, REDIS_URL
from config.settings.environment import databases, read

DEBUG = read("DJANGO_DEBUG", bool, default=True)
ALLOWED_HOSTS = read("DJANGO_ALLOWED_HOSTS", list, default=["127.0.0.1", "localhost", "[::1]"])

DATABASES = databases(default_url=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Logs for a person at a terminal unless LOG_FORMAT=json asks for what production writes.
LOGGING["handlers"]["console"]["formatter"] = read("LOG_FORMAT", default="plain")

USE_REDIS = read("USE_REDIS", bool, default=False)
if USE_REDIS:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = read("CELERY_TASK_ALWAYS_EAGER", bool, default=not USE_REDIS)

EMAIL_BACKEND = read("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
SMS_BACKEND = read("SMS_BACKEND", default="notifications.sms.ConsoleBackend")

# The built-in Monnify simulator while no keys are set, so the whole flow runs on one machine.
MONNIFY_SIMULATOR = read("MONNIFY_SIMULATOR", bool, default=not read("MONNIFY_API_KEY", default=""))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files straight from static/ through WhiteNoise's finders: no collectstatic needed.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
