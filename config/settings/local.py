"""The embedded default: SQLite, eager tasks, simulated Monnify, console email and SMS.

Every choice here can be overridden from the environment, so a developer can point the
local server at MySQL and Redis without touching this file.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import LOGGING, REDIS_URL
from config.settings.environment import BASE_DIR, databases, read

DEBUG = read("DJANGO_DEBUG", bool, default=True)
ALLOWED_HOSTS = read("DJANGO_ALLOWED_HOSTS", list, default=["127.0.0.1", "localhost", "[::1]"])

DATABASES = databases(default_url=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Logs for a person at a terminal unless LOG_FORMAT=json asks for what production writes.
LOGGING["handlers"]["console"]["formatter"] = read("LOG_FORMAT", default="plain")

USE_REDIS = read("USE_REDIS", bool, default=False)
if USE_REDIS:
    CACHES = {"default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = read("CELERY_TASK_ALWAYS_EAGER", bool, default=not USE_REDIS)

EMAIL_BACKEND = read("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
SMS_BACKEND = read("SMS_BACKEND", default="notifications.sms.ConsoleBackend")

# The built-in Monnify simulator while no keys are set, so the whole flow runs on one machine.
MONNIFY_SIMULATOR = read("MONNIFY_SIMULATOR", bool, default=not read("MONNIFY_API_KEY", default=""))

# `make run` collects static files as production does: hashed names, gzip and Brotli copies,
# served by WhiteNoise with a year-long immutable cache, so the demo measures like the real
# thing. STATIC_FROM_FINDERS=true serves static/ as it is (no collectstatic) while editing
# CSS or JavaScript, uncached.
if read("STATIC_FROM_FINDERS", bool, default=False):
    STATIC_ROOT = None
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    WHITENOISE_MAX_AGE = 0
    STATICFILES_BACKEND = "django.contrib.staticfiles.storage.StaticFilesStorage"
else:
    # from STATIC_ROOT only (DEBUG would have WhiteNoise serve static/ as found, uncompressed)
    WHITENOISE_USE_FINDERS = False
    WHITENOISE_AUTOREFRESH = False
    STATICFILES_BACKEND = "config.static_files.HashedStaticFilesStorage"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": STATICFILES_BACKEND},
}

# No beat on the embedded defaults: the analytics pages bring their rollups up to date themselves.
ANALYTICS_CATCH_UP_ON_READ = not USE_REDIS
