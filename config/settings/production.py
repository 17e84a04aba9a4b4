"""Production: refuses to start without a real secret key, database and hosts."""

from config.settings.base import *  # noqa: F403
from config.settings.base import REDIS_URL, STORAGES
from config.settings.environment import MYSQL_ENGINE, ConfigurationError, databases, read

DEBUG = False
SECRET_KEY = read("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("insecure", "change-me", "your-")):
    raise ConfigurationError("DJANGO_SECRET_KEY must be a random value of at least 50 characters")
ALLOWED_HOSTS = read("DJANGO_ALLOWED_HOSTS", list)

DATABASES = databases()
if DATABASES["default"]["ENGINE"] != MYSQL_ENGINE:
    raise ConfigurationError("DATABASE_URL must point at MySQL or MariaDB in production")
if "replica" in DATABASES and DATABASES["replica"]["ENGINE"] != MYSQL_ENGINE:
    raise ConfigurationError("DATABASE_REPLICA_URL must point at MySQL or MariaDB in production")

CACHES = {"default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}

# Real Monnify keys, never the built-in simulator: without them no payment can be taken.
MONNIFY_SIMULATOR = False
for _name in ("MONNIFY_API_KEY", "MONNIFY_SECRET_KEY", "MONNIFY_CONTRACT_CODE"):
    if not read(_name, default=""):
        raise ConfigurationError(f"{_name} is not set")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = read("SECURE_SSL_REDIRECT", bool, default=True)
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]
SECURE_HSTS_SECONDS = read("SECURE_HSTS_SECONDS", int, default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

if read("CLOUDINARY_CLOUD_NAME", default=""):
    STORAGES = {**STORAGES, "default": {"BACKEND": "catalog.storage.CloudinaryMediaStorage"}}
