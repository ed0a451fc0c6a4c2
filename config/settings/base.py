"""All settings, driven by the environment as CONTRACT §2 describes."""

from __future__ import annotations

import contextlib
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
# Private to the account that runs the app: the database, the secret key and queued tasks
# live here. Folders are made 0700 and files 0600 whatever the process umask.
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def private_file(path: Path) -> Path:
    """Create `path` empty with mode 0600 unless it exists; return it."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Use SECRET_KEY when given; otherwise generate one once and keep it under var/."""
    given = os.environ.get("SECRET_KEY")
    if given:
        return given
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists() or not key_file.read_text().strip():
        private_file(key_file).write_text(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
# Without SITE_URL, links follow the port `make run` serves on (CONTRACT §2).
SITE_URL = (
    os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
).rstrip("/")
# Part of the service worker's version (config/pwa.py): set it (e.g. to the commit) to make
# every open phone take up a deploy even when no static file changed.
DEPLOY_VERSION = os.environ.get("DEPLOY_VERSION", "")
# The number the emergency advice's call button dials (CONTRACT §6 "Emergency contact").
EMERGENCY_PHONE = os.environ.get("EMERGENCY_PHONE", "").strip() or "112"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = [SITE_URL]
# The admin is off unless asked for: it is a second log-in page and lists every account.
ADMIN_ENABLED = env_bool("ADMIN_ENABLED", False)

INSTALLED_APPS = [
    *(["django.contrib.admin"] if ADMIN_ENABLED else []),
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "diary.apps.DiaryConfig",
    "reports.apps.ReportsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.security.SecurityHeadersMiddleware",
    "core.middleware.RequestLimitsMiddleware",
    "core.middleware.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers compressed; static files never reach it (WhiteNoise answers them
    # above, pre-compressed). Django's gzip adds a random-length file name against BREACH:
    # see docs/decisions.md.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "diary.context_processors.urgent_flags",
            ],
        },
    },
]

# Database: SQLite under var/ by default, with WAL and a busy timeout so the web
# process and the Celery worker can write at the same time.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite gives its -wal and -shm files the database file's mode, so 0600 covers all three.
    if str(DATABASES["default"]["NAME"]).startswith(str(VAR_DIR)):
        private_file(Path(DATABASES["default"]["NAME"]))
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "diary.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "diary:login"
LOGIN_REDIRECT_URL = "diary:log"
LOGOUT_REDIRECT_URL = "diary:login"

# Brute-force protection: failures counted per e-mail and per client address.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900"))
# Sign-up and password-reset requests: per client address and per e-mail address, per hour.
SIGNUP_LIMIT_PER_HOUR = int(os.environ.get("SIGNUP_LIMIT_PER_HOUR", "10"))
PASSWORD_RESET_LIMIT_PER_HOUR = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_HOUR", "5"))

# Request limits (CONTRACT §4): refused before any parsing or validation.
REQUEST_BODY_MAX_BYTES = 256 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
JSON_MAX_DEPTH = 32

# Contacts who may receive a patient's alerts (CONTRACT §4).
CONTACTS_MAX = 10

# Share-link views (page and PDF): failed look-ups per address, successful views per link and
# per address, each per minute.
SHARE_LOOKUPS_PER_MINUTE = int(os.environ.get("SHARE_LOOKUPS_PER_MINUTE", "30"))
SHARE_VIEWS_PER_LINK_PER_MINUTE = int(os.environ.get("SHARE_VIEWS_PER_LINK_PER_MINUTE", "30"))
SHARE_VIEWS_PER_ADDRESS_PER_MINUTE = int(os.environ.get("SHARE_VIEWS_PER_ADDRESS_PER_MINUTE", "20"))

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Only hashed names are served, so collectstatic compresses half as many files.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# Sessions expire after two weeks, or when the browser closes if the patient asks.
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Secure-only cookies and the HTTPS redirect follow SITE_URL, not DEBUG (CONTRACT §2).
SECURE_COOKIES = env_bool("SECURE_COOKIES", SITE_URL.startswith("https"))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = SECURE_COOKIES
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if SECURE_COOKIES else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_COOKIES
SECURE_HSTS_PRELOAD = SECURE_COOKIES
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# E-mail: console unless EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "alerts@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Celery: a server-less file-system broker under var/broker/ unless CELERY_BROKER_URL is set.
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed"):
        (BROKER_DIR / sub).mkdir(mode=0o700, parents=True, exist_ok=True)
    BROKER_DIR.chmod(0o700)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Sends of one alert e-mail before it is given up (diary/services/deliveries.py).
ALERT_MAX_ATTEMPTS = int(os.environ.get("ALERT_MAX_ATTEMPTS", "12"))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# All periodic work, in UTC (per-patient times live in the database, not here).
CELERY_BEAT_SCHEDULE: dict = {
    # Patients whose diary changed since their last scan.
    "scan-changed-patients": {"task": "diary.scan_changed_patients", "schedule": 15 * 60},
    # Everyone, so windows move on for patients who stopped logging.
    "scan-all-patients": {
        "task": "diary.scan_all_patients",
        "schedule": crontab(hour=3, minute=15),
    },
    # Alert e-mails still pending or due for a retry (an SMTP or broker outage loses nothing).
    "sweep-alert-deliveries": {"task": "reports.sweep_alert_deliveries", "schedule": 60},
    # Daily reminders that fell due (next_reminder_at per patient).
    "send-due-reminders": {"task": "reports.send_due_reminders", "schedule": 5 * 60},
    # The one-time notice to each contact who will receive alerts (new or changed address).
    "send-contact-notices": {"task": "reports.send_contact_notices", "schedule": 60},
    # API tokens idle for 90 days: authentication only refuses them, this deletes them.
    "purge-expired-tokens": {"task": "diary.tokens_purge_expired", "schedule": 60 * 60},
}
# Task modules outside the apps' tasks.py.
CELERY_IMPORTS = ["diary.account_tasks", "reports.contact_notices"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Hashed tokens, one per device, with an idle expiry: see REST_KNOX below. knox's
        # class in one query per request (the token joined to its user).
        "diary.api.authentication.OneQueryTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("TOKEN_THROTTLE_RATE", "10/min")},
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Throttles key on REMOTE_ADDR, never on a client-supplied X-Forwarded-For; behind the
    # proxy, config/gunicorn.conf.py sets REMOTE_ADDR from the trusted proxy's header.
    "NUM_PROXIES": 0,
}
# API tokens (CONTRACT §4): stored as SHA-512 digests, a new one per log-in (one per device),
# expiring 90 days after their last use. Knox moves the expiry forward on use at most once an
# hour (a write per request otherwise), so the lifetime is 90 days plus that hour.
TOKEN_IDLE_DAYS = 90
TOKEN_REFRESH_SECONDS = 3600
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=TOKEN_IDLE_DAYS, seconds=TOKEN_REFRESH_SECONDS),
    "AUTO_REFRESH": True,
    "MIN_REFRESH_INTERVAL": TOKEN_REFRESH_SECONDS,
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Sciatica symptom diary API",
    "DESCRIPTION": "Log back-related leg and foot symptoms, see patterns, share reports.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from our own static files: clinics and tests have no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Lock-out, throttle and rate-limit counters must be shared by every web process: Redis when
# CACHE_URL (or REDIS_URL) is set, else the database cache, whose table `migrate` creates
# (diary/migrations/0004_security.py), so a plain migrate + gunicorn is a working deploy.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cache_table",
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Share tokens, stop-link tokens and e-mail addresses never reach the log.
    "filters": {"redact": {"()": "core.logging.redacting_filter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
