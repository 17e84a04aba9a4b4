"""Settings shared by every environment. Values come from the environment (.env.example)."""

from datetime import timedelta
from pathlib import Path
from typing import Any

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from config.settings.environment import BASE_DIR, ConfigurationError, read

SECRET_KEY = read("DJANGO_SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = read("DJANGO_DEBUG", bool, default=False)
ALLOWED_HOSTS = read("DJANGO_ALLOWED_HOSTS", list, default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = read("CSRF_TRUSTED_ORIGINS", list, default=[])
# APP_URL, when set, is the one base of absolute URLs; unset, links follow the request's host
# (config/site_url.py) and work outside a request uses the embedded default on PORT.
APP_URL = read("APP_URL", default="").rstrip("/")
SITE_URL = APP_URL or f"http://127.0.0.1:{read('PORT', default='8000')}"
SITE_NAME = read("APP_NAME", default="AGM Store Builder")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_htmx",
    "csp",
    "anymail",
    "django_prometheus",
    "accounts",
    "stores",
    "catalog",
    "orders",
    "payments",
    "notifications",
    "analytics",
    "outbox",
]

MIDDLEWARE = [
    # First and last: django-prometheus times the whole stack (config/metrics.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "config.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.BodySizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.compression.ShopperGZipMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.site_url.RequestSiteUrlMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "config.middleware.RateLimitedPageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.NotFoundMiddleware",
    "config.replica.ReplicaReadsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
                "csp.context_processors.nonce",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Database: DATABASE_URL or the seed's DB_* variables. Environments choose the fallback.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# DATABASE_REPLICA_URL adds a read replica that these views may read from (config/replica.py):
# GET pages whose figures may lag by a moment. After a write the browser reads the primary for
# DATABASE_REPLICA_PIN_SECONDS, longer than the replica is allowed to lag.
DATABASE_ROUTERS = ["config.replica.ReplicaRouter"]
DATABASE_REPLICA_VIEWS = [
    "dashboard:home",
    "dashboard:orders_dashboard:list",
    "dashboard:orders_dashboard:export",
    "dashboard:orders_dashboard:customers",
    "dashboard:orders_dashboard:invoice",
    "dashboard:catalog_dashboard:list",
    "dashboard:catalog_dashboard:export",
    "dashboard:payments_dashboard:overview",
]
DATABASE_REPLICA_PIN_SECONDS = read("DATABASE_REPLICA_PIN_SECONDS", int, default=10)

REDIS_URL = read("REDIS_URL", default="redis://127.0.0.1:6379/0")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailBackend"]
# Cost of new password hashes (accounts/passwords.py); the Node.js backend used 10.
BCRYPT_ROUNDS = read("BCRYPT_ROUNDS", int, default=12)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-ng"
TIME_ZONE = "Africa/Lagos"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT: Path | None = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Static files with a content hash in their name (the manifest storage) are cached for good
# by WhiteNoise; this is for the few without one (favicon, robots): a day.
WHITENOISE_MAX_AGE = read("STATIC_MAX_AGE", int, default=86400)
# The largest request body, in bytes (config.middleware.BodySizeLimitMiddleware answers 413):
# pages take an image upload (config.images: 10 MB) and its form; the API takes JSON, and the
# upload and import endpoints, the webhook and sign-in set their own `max_body_bytes`.
REQUEST_MAX_BODY_BYTES = read("REQUEST_MAX_BODY_BYTES", int, default=11 * 1024 * 1024)
API_MAX_BODY_BYTES = read("API_MAX_BODY_BYTES", int, default=1024 * 1024)

# Security headers that hold in every environment; production adds HTTPS ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp). Scripts come only from our own static files (there is no
# inline script or handler; an inline <style> carries the request's nonce). Style attributes
# stay allowed (style-src-attr): they cannot run code, and the templates use a few. Images may
# be any https URL (Cloudinary, a merchant's own host); nothing may frame a page.
# The API docs (/docs, /redoc) load Swagger UI and ReDoc, which need more: config/urls.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Powerful browser features no page uses (config.middleware.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), browsing-topics=()"
)
# Paths whose pages are one person's (dashboard, sign-in and account pages, admin): never stored
# by a browser or a shared cache, so Back on a shared phone after signing out shows nothing.
NO_STORE_PATH_PREFIXES = ("/dashboard/", "/auth/", "/admin/")
CSRF_FAILURE_VIEW = "config.views.csrf_failure"  # the branded 403 of the page's area
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free meta tag; forms post it

# --- Celery -----------------------------------------------------------------------------------
# Tasks take ids, are acknowledged late and are safe to run twice.
CELERY_BROKER_URL = read("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = read("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = read("CELERY_TASK_ALWAYS_EAGER", bool, default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# A publish to a broker that is down fails within seconds (the outbox keeps the task), instead
# of retrying for as long as a request can wait.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {"socket_connect_timeout": 2, "socket_timeout": 5}
# Workers log through LOGGING below (JSON, with the request id), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Seconds a storefront product-view count waits in Redis before it is written (stores).
STOREFRONT_VIEW_FLUSH_SECONDS = read("STOREFRONT_VIEW_FLUSH_SECONDS", int, default=300)
# An orders export larger than this is built by a task into a stored file (README "Scale").
ORDERS_EXPORT_INLINE_MAX = 10_000
# Every periodic job, in one place (`make beat` runs them).
CELERY_BEAT_SCHEDULE = {
    # Tasks written while the broker was down (outbox/services.py).
    "outbox-relay": {"task": "outbox.tasks.outbox_relay", "schedule": 30.0},
    "accounts-cleanup-expired": {"task": "accounts.tasks.cleanup_expired", "schedule": 3600.0},
    "notifications-alerts-daily-summaries": {
        "task": "notifications.tasks.alerts_daily_summaries",
        "schedule": 3600.0,
    },
    "notifications-requeue-stale": {
        "task": "notifications.tasks.requeue_stale_deliveries",
        "schedule": 15 * 60,
    },
    "stores-flush-product-views": {
        "task": "stores.flush_product_views",
        "schedule": STOREFRONT_VIEW_FLUSH_SECONDS,
    },
    "orders-customers-catch-up": {"task": "orders.tasks.customers_catch_up", "schedule": 60.0},
    "payments-requery-pending": {"task": "payments.tasks.payments_requery_pending", "schedule": 300.0},
    "payments-expire-stale": {"task": "payments.tasks.payments_expire_stale", "schedule": 300.0},
    "payments-payouts-requery": {"task": "payments.tasks.payouts_requery", "schedule": 300.0},
    "payments-refunds-requery": {"task": "payments.tasks.refunds_requery", "schedule": 300.0},
    # Daily analytics rollups follow the orders within a minute (analytics/services.py says why).
    "analytics-rollups-catch-up": {"task": "analytics.rollups_catch_up", "schedule": 60.0},
    # Unpaid-order reminders are due 30 minutes after the order by default: every 5 minutes
    # sends each within 5 minutes of its time, well before the 40-minute account lapses.
    "orders-recovery-run": {"task": "orders.tasks.recovery_run", "schedule": 300.0},
}
# Where no beat runs (the embedded defaults), the analytics pages catch up before they read.
ANALYTICS_CATCH_UP_ON_READ = False

# --- API (DRF, simplejwt, drf-spectacular, CORS) ---------------------------------------------------
REST_FRAMEWORK = {
    # simplejwt's check plus "the account is still active" (accounts/authentication.py).
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.ActiveUserJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["config.api.renderers.EnvelopeJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        # camelCase JSON, bounded in size and nesting (config/api/parsers.py)
        "config.api.parsers.LimitedJSONParser",
        "djangorestframework_camel_case.parser.CamelCaseFormParser",
        "djangorestframework_camel_case.parser.CamelCaseMultiPartParser",
    ],
    # OPTIONS answers 405: DRF's metadata would describe each view's form by loading its object,
    # which views with their own lookups do not support (a 500). CORS preflights never get here.
    "DEFAULT_METADATA_CLASS": None,
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.PagePagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "config.api.exceptions.envelope_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        # Name enquiry reveals the holder of any account: limit lookups per merchant.
        "bank_account_resolve": read("BANK_ACCOUNT_RESOLVE_RATE", default="20/hour"),
    },
    "COERCE_DECIMAL_TO_STRING": True,
    "JSON_UNDERSCOREIZE": {
        "no_underscore_before_number": True,
        # A variant selection's keys are the merchant's option names ("Size", "Shoe size"): the
        # camelCase/snake_case conversion must leave them as they are.
        "ignore_fields": ("variant_selection",),
    },
}
RATE_LIMIT_PER_MINUTE = read("RATE_LIMIT_PER_MINUTE", int, default=60)
# Order-tracking lookups by number per client IP and minute (the page and the API): numbers are
# random, this stops anyone walking through them.
TRACK_LOOKUPS_PER_MINUTE = read("TRACK_LOOKUPS_PER_MINUTE", int, default=30)

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=read("ACCESS_TOKEN_EXPIRE_MINUTES", int, default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=read("REFRESH_TOKEN_EXPIRE_DAYS", int, default=7)),
    "ALGORITHM": read("JWT_ALGORITHM", default="HS256"),
    "SIGNING_KEY": read("JWT_SECRET_KEY", default=SECRET_KEY),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "UPDATE_LAST_LOGIN": False,
    "AUTH_HEADER_TYPES": ("Bearer",),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "AGM Store Builder API",
    "DESCRIPTION": "Stores, products, orders and Monnify payments for Nigerian merchants.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "CAMELIZE_NAMES": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "drf_spectacular.contrib.djangorestframework_camel_case.camelize_serializer_fields",
        # last: the envelope and every error status around what the views describe
        "config.api.schema.envelope_postprocessing_hook",
    ],
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.models.OrderStatus",
        "PaymentStatusEnum": "orders.models.PaymentStatus",
        "PayoutStatusEnum": "payments.models.PayoutStatus",
    },
    # Swagger UI and ReDoc assets are served from the sidecar package: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

CORS_ALLOWED_ORIGINS = read("CORS_ORIGINS", list, default=[])
CORS_URLS_REGEX = r"^/api/.*$"

# How many proxies in front of the app append to X-Forwarded-For (config.http.client_ip: per-IP
# throttles and the Monnify webhook allow-list). MONNIFY_WEBHOOK_TRUSTED_PROXIES is its old name.
MONNIFY_WEBHOOK_TRUSTED_PROXIES = read("MONNIFY_WEBHOOK_TRUSTED_PROXIES", int, default=0)
TRUSTED_PROXY_COUNT = read("TRUSTED_PROXY_COUNT", int, default=MONNIFY_WEBHOOK_TRUSTED_PROXIES)

# --- accounts ------------------------------------------------------------------------------------
# Attempts per minute at login, sign-up, code checks and password resets, per email/phone
# and per client IP (many Nigerian mobile users share one carrier IP, hence the higher default).
AUTH_RATE_LIMIT_PER_MINUTE = read("AUTH_RATE_LIMIT_PER_MINUTE", int, default=10)
AUTH_IP_RATE_LIMIT_PER_MINUTE = read("AUTH_IP_RATE_LIMIT_PER_MINUTE", int, default=RATE_LIMIT_PER_MINUTE)
# One-time codes: lifetime, wrong tries before a code is burned, resend cool-down, hourly caps.
OTP_EXPIRE_MINUTES = read("OTP_EXPIRE_MINUTES", int, default=10)
OTP_MAX_ATTEMPTS = read("OTP_MAX_ATTEMPTS", int, default=5)
OTP_RESEND_COOLDOWN_SECONDS = read("OTP_RESEND_COOLDOWN_SECONDS", int, default=60)
OTP_SENDS_PER_HOUR = read("OTP_SENDS_PER_HOUR", int, default=5)
OTP_SENDS_PER_HOUR_PER_IP = read("OTP_SENDS_PER_HOUR_PER_IP", int, default=30)
# Without "remember me" the session ends when the browser closes; with it, it lasts this long.
SESSION_COOKIE_AGE = read("SESSION_REMEMBER_DAYS", int, default=30) * 24 * 3600
# Sessions live in the database (MariaDB), in every environment: every web process sees the same
# ones, a Redis outage signs nobody out, and a logout is final. SESSION_ENGINE=config.sessions
# reads them from Redis first (written through to the database), at the cost its docstring
# names: a session ended while Redis is down can come back from Redis until it expires.
SESSION_ENGINE = read("SESSION_ENGINE", default="django.contrib.sessions.backends.db")
AVATAR_MAX_BYTES = read("AVATAR_MAX_MB", int, default=5) * 1024 * 1024

# --- stores --------------------------------------------------------------------------------------
# Seconds a rendered storefront page stays cached; writes invalidate it sooner.
STOREFRONT_CACHE_SECONDS = read("STOREFRONT_CACHE_SECONDS", int, default=600)

# --- money, orders and payouts -------------------------------------------------------------------
AGM_FEE_PERCENTAGE = read("AGM_FEE_PERCENTAGE", "decimal", default="2.5")
AGM_FEE_BEARER = read("AGM_FEE_BEARER", default="merchant")
# A pending payment expires this long after its Monnify account lapsed (late webhooks first).
PAYMENT_EXPIRY_GRACE_SECONDS = read("PAYMENT_EXPIRY_GRACE_SECONDS", int, default=600)
PAYOUT_MINIMUM_AMOUNT = read("PAYOUT_MINIMUM_AMOUNT", "decimal", default="1000")
# Staff approve each payout in Django admin before it is sent.
PAYOUT_REQUIRE_APPROVAL = read("PAYOUT_REQUIRE_APPROVAL", bool, default=False)

# --- Monnify (payments) -------------------------------------------------------------------------
# Monnify signs webhooks with the secret key: there is no separate webhook secret.
# The built-in simulator answers only where MONNIFY_SIMULATOR is on (local and test, without keys).
MONNIFY_BASE_URL = read("MONNIFY_BASE_URL", default="https://sandbox.monnify.com")
MONNIFY_API_KEY = read("MONNIFY_API_KEY", default="")
MONNIFY_SECRET_KEY = read("MONNIFY_SECRET_KEY", default="")
MONNIFY_CONTRACT_CODE = read("MONNIFY_CONTRACT_CODE", default="")
MONNIFY_WALLET_ACCOUNT_NUMBER = read("MONNIFY_WALLET_ACCOUNT_NUMBER", default="")
MONNIFY_WEBHOOK_ALLOWED_IPS = read("MONNIFY_WEBHOOK_ALLOWED_IPS", list, default=[])
MONNIFY_TIMEOUT_SECONDS = read("MONNIFY_TIMEOUT_SECONDS", int, default=15)
MONNIFY_SIMULATOR = read("MONNIFY_SIMULATOR", bool, default=False)
# Where the built-in simulator posts its webhooks (default: this site's webhook at APP_URL).
MONNIFY_SIMULATOR_WEBHOOK_URL = read("MONNIFY_SIMULATOR_WEBHOOK_URL", default="")

# --- Email: SendGrid through django-anymail (EMAIL_BACKEND picks another ESP) ---------------------
SENDGRID_API_KEY = read("SENDGRID_API_KEY", default="")
SENDGRID_FROM_EMAIL = read("SENDGRID_FROM_EMAIL", default="noreply@agmshops.com")
SENDGRID_FROM_NAME = read("SENDGRID_FROM_NAME", default="AGM Store Builder")
DEFAULT_FROM_EMAIL = f"{SENDGRID_FROM_NAME} <{SENDGRID_FROM_EMAIL}>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = read("EMAIL_BACKEND", default="anymail.backends.sendgrid.EmailBackend")
ANYMAIL = {
    "SENDGRID_API_KEY": SENDGRID_API_KEY,
    "SENDGRID_API_URL": read("SENDGRID_API_URL", default="https://api.sendgrid.com/v3/"),
    "REQUESTS_TIMEOUT": read("EMAIL_TIMEOUT_SECONDS", int, default=15),
}

# --- SMS: Termii ---------------------------------------------------------------------------------
TERMII_API_KEY = read("TERMII_API_KEY", default="")
TERMII_SENDER_ID = read("TERMII_SENDER_ID", default="AGM Store")
TERMII_BASE_URL = read("TERMII_BASE_URL", default="https://api.ng.termii.com")
TERMII_CHANNEL = read("TERMII_CHANNEL", default="generic")
TERMII_TIMEOUT_SECONDS = read("TERMII_TIMEOUT_SECONDS", int, default=10)
SMS_BACKEND = read("SMS_BACKEND", default="notifications.sms.TermiiBackend")

# --- Cloudinary (media in production) ------------------------------------------------------------
CLOUDINARY_CLOUD_NAME = read("CLOUDINARY_CLOUD_NAME", default="")
CLOUDINARY_API_KEY = read("CLOUDINARY_API_KEY", default="")
CLOUDINARY_API_SECRET = read("CLOUDINARY_API_SECRET", default="")

# --- system checks and logging -------------------------------------------------------------------
# anymail.W003: anymail dropped official SendGrid support in 13.0.1 but its backend still works
# (its run-time warning is silenced in NotificationsConfig.ready()).
# models.E030: the seed reuses index names across tables (MySQL scopes them per table);
# config.db.SeedIndex prefixes them on databases that scope them globally.
SILENCED_SYSTEM_CHECKS = ["anymail.W003", "models.E030"]

# One JSON object a line (python-json-logger) with the request id of the request, or of the
# request that queued the Celery task (config/request_id.py); LOG_FORMAT=plain for people.
LOG_LEVEL = read("LOG_LEVEL", default="INFO").upper()
LOG_FORMAT = read("LOG_FORMAT", default="json")
if LOG_FORMAT not in ("json", "plain"):
    raise ConfigurationError("LOG_FORMAT must be json or plain")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_id.RequestIdLogFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": LOG_LEVEL},
    },
}

# --- metrics (config/metrics.py) -----------------------------------------------------------------
# GET /metrics answers staff, or `Authorization: Bearer $METRICS_TOKEN` (Prometheus' scrape).
# PROMETHEUS_MULTIPROC_DIR and METRICS_MULTIPROC_ROOT are read from the environment by
# prometheus_client itself, before settings load (README, "Running many processes").
METRICS_TOKEN = read("METRICS_TOKEN", default="")
# Migrations are not exported: the check would query every database at every process start.
PROMETHEUS_EXPORT_MIGRATIONS = False
