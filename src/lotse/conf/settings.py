"""Lotse settings: one module, read from the environment through ``lotse.conf.env``.

Development is the default (``LOTSE_DEBUG`` unset means debug on a developer's machine only
when ``LOTSE_ENV=development``). Production (``LOTSE_ENV=production``) refuses to start without
a secret key and allowed hosts.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from lotse.conf.env import (
    ConfigurationError,
    env_bool,
    env_int,
    env_list,
    env_required,
    env_str,
    parse_database_url,
)
from lotse.filecheck.crypto import KeyConfigError, parse_keys
from lotse.ops.logs import logging_config

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(env_str("LOTSE_BASE_DIR", str(PACKAGE_DIR.parent.parent)))
VAR_DIR = Path(env_str("LOTSE_VAR_DIR", str(BASE_DIR / "var")))

LOTSE_ENV = env_str("LOTSE_ENV", "development")
if LOTSE_ENV not in {"development", "production", "test"}:
    raise ConfigurationError("LOTSE_ENV must be development, production or test")
PRODUCTION = LOTSE_ENV == "production"

DEBUG = env_bool("LOTSE_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ConfigurationError("LOTSE_DEBUG must not be true when LOTSE_ENV=production")

if PRODUCTION:
    SECRET_KEY = env_required(
        "LOTSE_SECRET_KEY", why="production needs a long random secret (or LOTSE_SECRET_KEY_FILE)"
    )
    ALLOWED_HOSTS = env_list("LOTSE_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ConfigurationError(
            "The environment variable LOTSE_ALLOWED_HOSTS must be set in production: "
            "a comma-separated list of the host names Lotse is served under"
        )
else:
    SECRET_KEY = env_str("LOTSE_SECRET_KEY", "development-only-not-secret-" + "x" * 32)
    ALLOWED_HOSTS = env_list("LOTSE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

CSRF_TRUSTED_ORIGINS = env_list("LOTSE_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "axes",
    "csp",
    # Second factor: TOTP apps and one-time recovery codes (ADR 0019).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # ninja serves its Swagger UI from our own static files only when it is installed as an app.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # Country names in German and English for the nationality select (ADR 0007).
    "django_countries",
    "lotse.core",
    "lotse.audit",
    "lotse.organisations",
    "lotse.accounts",
    "lotse.web",
    "lotse.api",
    "lotse.cases",
    "lotse.documents",
    "lotse.letters",
    "lotse.advice",
    "lotse.conversations",
    "lotse.calendars",
    "lotse.notifications",
    "lotse.ops",
    "lotse.insights",
    "lotse.privacy",
]

MIDDLEWARE = [
    "lotse.core.middleware.RequestIdMiddleware",
    # Outside the others, so that it sees every answer, also the ones they give themselves.
    "lotse.core.middleware.PrivacyHeadersMiddleware",
    "lotse.ops.middleware.ObservabilityMiddleware",
    # Before anything reads the body (CSRF reads POST): an oversized upload is refused unread.
    "lotse.core.bodylimit.BodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's session middleware with a sliding expiry written at most once a minute.
    "lotse.core.sessions.SlidingSessionMiddleware",
    "lotse.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After OTPMiddleware: sends a signed-in person without the required second factor to
    # enrol or verify it, and shortens the idle time of authority staff.
    "lotse.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # axes must come last: it answers locked-out logins before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lotse.urls"
WSGI_APPLICATION = "lotse.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "lotse.web.context_processors.shell",
                "lotse.notifications.context_processors.unread",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------------
# SQLite, whether the default or named by DATABASE_URL=sqlite:///…: WAL lets the background worker
# write while the web process reads; IMMEDIATE takes the write lock when a transaction starts (so
# two writers queue instead of failing on the lock upgrade); the timeout is how long they queue.
SQLITE_OPTIONS: dict[str, Any] = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def database_from_url(url: str | None) -> dict[str, Any]:
    """The default database: ``DATABASE_URL`` or var/lotse.sqlite3, with the SQLite options."""
    config: dict[str, Any] = (
        parse_database_url(url).as_django()
        if url
        else {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "lotse.sqlite3"}
    )
    if config["ENGINE"].endswith("sqlite3"):
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


DATABASES: dict[str, dict[str, Any]] = {"default": database_from_url(env_str("DATABASE_URL"))}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("LOTSE_DB_CONN_MAX_AGE", 60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The statistics' covering indexes (insights.CaseFacts) carry INCLUDE columns for PostgreSQL's
# index-only scans; SQLite builds the same index without them, which is all it needs. Django
# warns about that on every command (models.W040), so a newcomer's `make run` would start with a
# warning about nothing they could change.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Accounts and security ----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the organisation with the user (one query per request).
    "lotse.accounts.backends.OrganisationModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = env_int("LOTSE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOTSE_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "lotse.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("LOTSE_AXES_ENABLED", True)
# Behind a reverse proxy every request comes from the proxy; lockouts, rate limits and audit
# events must see the client (lotse.core.client). Empty: no proxy, REMOTE_ADDR is the client.
LOTSE_TRUSTED_PROXIES = env_list("LOTSE_TRUSTED_PROXIES")
try:
    for _proxy in LOTSE_TRUSTED_PROXIES:
        ipaddress.ip_network(_proxy, strict=False)
except ValueError as _exc:
    raise ConfigurationError(
        f"LOTSE_TRUSTED_PROXIES must list IP addresses or networks (CIDR): {_exc}"
    ) from None
AXES_CLIENT_IP_CALLABLE = "lotse.core.client.axes_client_ip"
# Throttles on top of the lockout (lotse.accounts.throttle), counted in the shared cache:
# failed logins per account (any address), per client address (a spray over many names) and
# over the whole system per minute; reset requests per address and per client address.
LOTSE_LOGIN_FAILURES_PER_ACCOUNT = env_int("LOTSE_LOGIN_FAILURES_PER_ACCOUNT", 20)
LOTSE_LOGIN_FAILURES_PER_IP = env_int("LOTSE_LOGIN_FAILURES_PER_IP", 20)
LOTSE_LOGIN_FAILURES_GLOBAL_PER_MINUTE = env_int("LOTSE_LOGIN_FAILURES_GLOBAL_PER_MINUTE", 300)
LOTSE_PASSWORD_RESETS_PER_ADDRESS = env_int("LOTSE_PASSWORD_RESETS_PER_ADDRESS", 3)
LOTSE_PASSWORD_RESETS_PER_IP = env_int("LOTSE_PASSWORD_RESETS_PER_IP", 10)
LOTSE_API_REQUESTS_PER_MINUTE = env_int("LOTSE_API_REQUESTS_PER_MINUTE", 600)
# Second factor: staff of chambers and authorities must have one. On in production; off by
# default elsewhere so that the demo world and development sign in with a password only
# (a person who has enrolled is still asked, and an organisation's own requirement holds).
LOTSE_REQUIRE_2FA = env_bool("LOTSE_REQUIRE_2FA", PRODUCTION)
OTP_TOTP_ISSUER = env_str("LOTSE_OTP_ISSUER", "Lotse")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("LOTSE_SESSION_SECONDS", 8 * 60 * 60)
# A sliding session: every request restarts the clock, so the page can warn before it ends.
# The session row is written when the session changed or its last write is older than
# LOTSE_SESSION_REFRESH_SECONDS (lotse.core.sessions), not on every request: a session ends
# between that many seconds before the idle time and the idle time after the last request.
SESSION_SAVE_EVERY_REQUEST = False
LOTSE_SESSION_REFRESH_SECONDS = env_int("LOTSE_SESSION_REFRESH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Authority staff work on the most sensitive files: their session ends sooner when idle.
LOTSE_AUTHORITY_SESSION_IDLE_MINUTES = env_int("LOTSE_AUTHORITY_SESSION_IDLE_MINUTES", 30)
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("LOTSE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("LOTSE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Probes and scrapers talk to the server directly, not through the TLS proxy.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

from csp.constants import NONCE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": ["'none'"],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "lotse_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Berlin"
FORMAT_MODULE_PATH = ["lotse.formats"]

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("LOTSE_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# `make assets` copies KERN UX, htmx and axe-core from node_modules here; no asset comes from a CDN.
ASSETS_DIR = Path(env_str("LOTSE_ASSETS_DIR", str(BASE_DIR / "assets")))
STATICFILES_DIRS = [("vendor", ASSETS_DIR)] if ASSETS_DIR.exists() else []
STORAGES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "media"},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- E-mail -------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("LOTSE_FROM_EMAIL", "Lotse <lotse@localhost>")
if env_str("LOTSE_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("LOTSE_SMTP_HOST")
    EMAIL_PORT = env_int("LOTSE_SMTP_PORT", 587)
    EMAIL_HOST_USER = env_str("LOTSE_SMTP_USER")
    EMAIL_HOST_PASSWORD = env_str("LOTSE_SMTP_PASSWORD")
    EMAIL_USE_TLS = env_bool("LOTSE_SMTP_TLS", True)
elif env_str("LOTSE_MAIL_DIR"):
    # Every mail as a file in this folder instead of sending it: a staging system, and the
    # cluster test, which counts that each mail went out exactly once.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env_str("LOTSE_MAIL_DIR")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Seconds a connection to the mail server may block the worker (never a request: mail is sent
# by `lotse worker` from the outbox, lotse.notifications.delivery).
EMAIL_TIMEOUT = env_int("LOTSE_SMTP_TIMEOUT", 15)
LOTSE_MAIL_MAX_ATTEMPTS = env_int("LOTSE_MAIL_MAX_ATTEMPTS", 15)
LOTSE_MAIL_RETRY_BASE_SECONDS = env_int("LOTSE_MAIL_RETRY_BASE_SECONDS", 30)
# Reminders (lotse.notifications.reminders): working days before a statutory deadline, and the
# interval in days of reminders about documents still missing; the hour of the daily summary.
LOTSE_REMINDER_WORKING_DAYS = tuple(
    int(days) for days in env_list("LOTSE_REMINDER_WORKING_DAYS", ["3", "1"])
)
LOTSE_MISSING_DOCUMENTS_DAYS = env_int("LOTSE_MISSING_DOCUMENTS_DAYS", 14)
LOTSE_DIGEST_HOUR = env_int("LOTSE_DIGEST_HOUR", 7)
# Open statistics: a published count under this is suppressed (docs/statistics.md).
LOTSE_STATISTICS_MIN_COUNT = env_int("LOTSE_STATISTICS_MIN_COUNT", 5)

# --- Cache: the shared store of rate limits -------------------------------------------------
# With LOTSE_REDIS_URL every process counts into one Redis (django-redis, ADR 0018); without it
# each process has its own memory, and the limits hold per process only.
LOTSE_REDIS_URL = env_str("LOTSE_REDIS_URL")
if LOTSE_REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": LOTSE_REDIS_URL,
            "KEY_PREFIX": env_str("LOTSE_CACHE_PREFIX", "lotse"),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions: with Redis, read from the shared cache and written through to the database (ADR
# 0027), so a signed-in request costs no session query and a flushed Redis loses no session.
# Without it, the database alone: a cache of each process's own memory would keep a session
# alive in one process after it was signed out in another.
SESSION_ENGINE = (
    "lotse.core.cached_sessions" if LOTSE_REDIS_URL else "django.contrib.sessions.backends.db"
)

# --- Background work ----------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Logging ------------------------------------------------------------------------------------
# JSON lines in production (one object per line: time, level, logger, message, request id, user id,
# organisation id; lotse.ops.logs), readable text on a developer's terminal.
LOTSE_LOG_FORMAT = env_str("LOTSE_LOG_FORMAT", "json" if PRODUCTION else "text")
if LOTSE_LOG_FORMAT not in {"json", "text"}:
    raise ConfigurationError("LOTSE_LOG_FORMAT must be json or text")
LOGGING: dict[str, Any] = logging_config(
    log_format=LOTSE_LOG_FORMAT, level=env_str("LOTSE_LOG_LEVEL", "INFO")
)

# --- Running: `lotse serve`, workers, health and metrics (lotse.ops, docs/operations.md) --------
LOTSE_WEB_BIND = env_str("LOTSE_WEB_BIND", "127.0.0.1:8000")
# One process per core, eight threads each: on the 2-core benchmark machine 2 × 8 served three
# times the mixed load of 3 × 4 (docs/performance.md, "CPU per request"); the threads overlap
# the waits on the database, the processes use the cores.
LOTSE_WEB_WORKERS = env_int("LOTSE_WEB_WORKERS", 2)
LOTSE_WEB_THREADS = env_int("LOTSE_WEB_THREADS", 8)
LOTSE_WEB_TIMEOUT = env_int("LOTSE_WEB_TIMEOUT", 60)
if min(LOTSE_WEB_WORKERS, LOTSE_WEB_THREADS, LOTSE_WEB_TIMEOUT) < 1:
    raise ConfigurationError(
        "LOTSE_WEB_WORKERS, LOTSE_WEB_THREADS and LOTSE_WEB_TIMEOUT must be at least 1"
    )
# Each `lotse worker` writes a heartbeat this often; /readyz fails after three missed beats.
LOTSE_WORKER_HEARTBEAT_SECONDS = env_int("LOTSE_WORKER_HEARTBEAT_SECONDS", 10)
# /metrics answers only with this bearer token, and is absent (404) when it is not set.
LOTSE_METRICS_TOKEN = env_str("LOTSE_METRICS_TOKEN")

# --- Lotse --------------------------------------------------------------------------------------
LOTSE_SITE_URL = env_str("LOTSE_SITE_URL", "http://127.0.0.1:8000")

# --- WebAuthn: security keys and passkeys as a second factor (ADR 0026) ------------------------
# The relying party is the host name the browser binds a key to; every origin the sign-in page is
# served from must be that host or below it. Both default to LOTSE_SITE_URL, which production sets.
_site = urlsplit(LOTSE_SITE_URL)
LOTSE_WEBAUTHN_RP_ID = env_str("LOTSE_WEBAUTHN_RP_ID", _site.hostname or "localhost").lower()
LOTSE_WEBAUTHN_ORIGINS = env_list(
    "LOTSE_WEBAUTHN_ORIGINS", [f"{_site.scheme}://{_site.netloc}".lower()]
)
for _origin in LOTSE_WEBAUTHN_ORIGINS:
    _host = (urlsplit(_origin).hostname or "").lower()
    if _host != LOTSE_WEBAUTHN_RP_ID and not _host.endswith("." + LOTSE_WEBAUTHN_RP_ID):
        raise ConfigurationError(
            f"LOTSE_WEBAUTHN_ORIGINS: the origin {_origin} is not on LOTSE_WEBAUTHN_RP_ID "
            f"({LOTSE_WEBAUTHN_RP_ID}) or one of its subdomains"
        )
# A challenge is answered within this many seconds, or the ceremony starts again.
LOTSE_WEBAUTHN_CHALLENGE_SECONDS = env_int("LOTSE_WEBAUTHN_CHALLENGE_SECONDS", 300)
# --- end WebAuthn -------------------------------------------------------------------------------
LOTSE_DEMO_PASSWORD = env_str("LOTSE_DEMO_PASSWORD", "Lotse-Demo-2026!")
LOTSE_INVITATION_DAYS = env_int("LOTSE_INVITATION_DAYS", 7)
LOTSE_API_TOKEN_DEFAULT_DAYS = env_int("LOTSE_API_TOKEN_DEFAULT_DAYS", 90)
LOTSE_API_TOKEN_MAX_DAYS = env_int("LOTSE_API_TOKEN_MAX_DAYS", 365)
# Serves /benchmark/floor/<id> (one case row by primary key, no session) for benchmarks/bench_http.py;
# never set it on a live system.
LOTSE_BENCHMARK_FLOOR = env_bool("LOTSE_BENCHMARK_FLOOR", False)
FORM_RENDERER = "lotse.web.forms.KernFormRenderer"

# --- Documents ----------------------------------------------------------------------------------
LOTSE_UPLOAD_MAX_BYTES = env_int("LOTSE_UPLOAD_MAX_MB", 20) * 1024 * 1024
# Caps of one upload check (lotse.filecheck.uploads.Limits, ADR 0017): each refuses before the
# work it guards is done, so a small hostile file cannot keep a web worker busy.
LOTSE_UPLOAD_MAX_PIXELS = env_int("LOTSE_UPLOAD_MAX_MEGAPIXELS", 50) * 1_000_000
LOTSE_UPLOAD_MAX_TOTAL_PIXELS = env_int("LOTSE_UPLOAD_MAX_TOTAL_MEGAPIXELS", 400) * 1_000_000
LOTSE_UPLOAD_MAX_FRAMES = env_int("LOTSE_UPLOAD_MAX_FRAMES", 100)
LOTSE_UPLOAD_MAX_PDF_PAGES = env_int("LOTSE_UPLOAD_MAX_PDF_PAGES", 500)
LOTSE_UPLOAD_MAX_DECOMPRESSED_BYTES = env_int("LOTSE_UPLOAD_MAX_DECOMPRESSED_MB", 256) * 1024 * 1024
LOTSE_UPLOAD_CHECK_SECONDS = float(env_int("LOTSE_UPLOAD_CHECK_SECONDS", 10))
# The whole request body (all files and fields of one upload, e.g. a batch): refused from its
# Content-Length before it is read, and while it streams in (lotse.core.bodylimit). The proxy in
# front must allow at least this much (docs/security.md, client_max_body_size).
LOTSE_REQUEST_MAX_BYTES = env_int("LOTSE_REQUEST_MAX_MB", 100) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "lotse.core.bodylimit.BodyLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Django must not refuse a 20 MB upload before our own check can say why (its default is 2.5 MB
# for in-memory files); the request body may carry the file plus a few form fields.
DATA_UPLOAD_MAX_MEMORY_SIZE = LOTSE_UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = LOTSE_UPLOAD_MAX_BYTES + 1024 * 1024
# Encryption at rest: "id1:base64key,id2:base64key" (32-byte AES keys); the first is primary
# unless LOTSE_STORAGE_PRIMARY_KEY names another. Rotation: put the new key first, run
# `lotse documents_rotate_keys`, then remove the old key.
if PRODUCTION:
    _storage_keys = env_required(
        "LOTSE_STORAGE_KEYS",
        why="documents are encrypted at rest; `lotse documents_new_key k1` prints a new "
        "entry of the form id:base64key",
    )
else:
    # A fixed key so that a developer's stored files survive restarts; never used in production.
    _storage_keys = env_str(
        "LOTSE_STORAGE_KEYS", "dev-only-not-secret:bG90c2UtZGV2ZWxvcG1lbnQta2V5LW5vdC1zZWNyZXQ="
    )
try:
    LOTSE_STORAGE_KEYS: dict[str, bytes] = parse_keys(_storage_keys)
except KeyConfigError as exc:
    raise ConfigurationError(f"LOTSE_STORAGE_KEYS is malformed: {exc}") from None
LOTSE_STORAGE_PRIMARY_KEY = env_str("LOTSE_STORAGE_PRIMARY_KEY") or next(iter(LOTSE_STORAGE_KEYS))
if LOTSE_STORAGE_PRIMARY_KEY not in LOTSE_STORAGE_KEYS:
    raise ConfigurationError(
        "LOTSE_STORAGE_PRIMARY_KEY names a key id that LOTSE_STORAGE_KEYS lacks"
    )
if env_str("LOTSE_DOCUMENTS_S3_BUCKET"):
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("LOTSE_DOCUMENTS_S3_BUCKET"),
            "endpoint_url": env_str("LOTSE_DOCUMENTS_S3_ENDPOINT") or None,
            "region_name": env_str("LOTSE_DOCUMENTS_S3_REGION") or None,
            "access_key": env_str("LOTSE_DOCUMENTS_S3_ACCESS_KEY") or None,
            "secret_key": env_str("LOTSE_DOCUMENTS_S3_SECRET_KEY") or None,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    STORAGES["documents"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": Path(env_str("LOTSE_DOCUMENTS_DIR", str(VAR_DIR / "documents"))),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
# ClamAV (clamd) is optional: when a host or a socket is set, every upload is scanned and refused
# when the scanner cannot give a verdict.
LOTSE_CLAMAV_HOST = env_str("LOTSE_CLAMAV_HOST")
LOTSE_CLAMAV_PORT = env_int("LOTSE_CLAMAV_PORT", 3310)
LOTSE_CLAMAV_SOCKET = env_str("LOTSE_CLAMAV_SOCKET")
LOTSE_CLAMAV_TIMEOUT = float(env_int("LOTSE_CLAMAV_TIMEOUT", 30))
# The worker's personal upload link.
LOTSE_UPLOAD_LINK_DAYS = env_int("LOTSE_UPLOAD_LINK_DAYS", 14)
LOTSE_UPLOAD_LINK_UPLOADS_PER_HOUR = env_int("LOTSE_UPLOAD_LINK_UPLOADS_PER_HOUR", 30)
LOTSE_UPLOAD_LINK_VIEWS_PER_HOUR = env_int("LOTSE_UPLOAD_LINK_VIEWS_PER_HOUR", 300)
# Data protection (docs/security.md, docs/privacy.md). The OpenAPI document and the API docs are
# public only when this says so; otherwise signed-in people and API tokens only.
LOTSE_PUBLIC_API_DOCS = env_bool("LOTSE_PUBLIC_API_DOCS", default=not PRODUCTION)
# Days after a case ended before retention deletes its documents and personal data (the
# skeleton, its history and the audit trail stay, without personal data; lotse.privacy).
LOTSE_RETENTION_DAYS_CLOSED = env_int("LOTSE_RETENTION_DAYS_CLOSED", 365)
LOTSE_RETENTION_DAYS_WITHDRAWN = env_int("LOTSE_RETENTION_DAYS_WITHDRAWN", 180)
LOTSE_RETENTION_DAYS_REFUSED = env_int("LOTSE_RETENTION_DAYS_REFUSED", 180)
# The controller (Art. 4 Nr. 7 DSGVO) named in the privacy notices: who operates this instance.
# Unset, the notices name the competent immigration office with the serving chamber in the
# reader's language (a default text here would be English on the worker's French page).
LOTSE_PRIVACY_CONTROLLER = env_str("LOTSE_PRIVACY_CONTROLLER", "")
LOTSE_PRIVACY_CONTACT = env_str("LOTSE_PRIVACY_CONTACT", "")
