"""Settings shared by every environment, read from one ``env``.

Integrations switch on by setting (``DATABASE_URL``, ``REDIS_URL``), never by
editing code. Secrets have development defaults only in ``dev``/``test``.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
# Earlier secret keys: sessions and signed links made with them stay valid
# until they expire, so that the key can be rotated without signing everyone out.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "portal",
    "accounts",
    "registry",
    "complaints",
    "filings",
    "blacklist",
    "inspections",
    "oversight",
    "demo",
]

MIDDLEWARE = [
    "portal.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "portal.context_processors.notifications",
            ],
        },
    },
]

# SQLite when DATABASE_URL is unset: the one-command demo.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A kept connection is checked before each request reuses it, so that the portal
# comes back by itself after the database restarts (bench/reliability.py).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DB_CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes first: it refuses a locked-out username before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
# Uploads live outside anything the web server serves; they are read only
# through views that check the viewer's scope.
PRIVATE_STORAGE_ROOT = env.path("PRIVATE_STORAGE_ROOT", default=BASE_DIR / "var" / "private")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Cache: Redis when REDIS_URL is set, else process memory. Every use of it fails
# open (portal/cache.py): while Redis is down or silent, each call answers as a
# miss after at most the socket timeout, the next few seconds' calls skip Redis,
# and a warning is logged at most once a minute.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# django-ratelimit (the public form and tracking pages): a count the cache could
# not keep lets the request through rather than refusing it.
RATELIMIT_FAIL_OPEN = True

# Client addresses (portal/clients.py): how many proxies in front of the portal
# append to X-Forwarded-For. 0: gunicorn faces the clients, the header is ignored
# and REMOTE_ADDR is the client. Behind the nginx of deploy/nginx alone: 1. The
# API throttles, django-ratelimit and django-axes all count by this address.
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)
RATELIMIT_IP_META_KEY = "portal.clients.client_address"

# Celery: a real broker when REDIS_URL is set; eager (in-process) otherwise.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# Reliability: a task is acknowledged only once it has run, so a worker
# killed mid-task leaves it to be delivered again (tasks are idempotent; emails
# are claimed before they are sent, portal/notifications.py); one task reserved
# per worker process at a time. A message unacknowledged for longer than the
# visibility timeout goes back to the queue (Redis transport).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
# How long a worker's claim on an email holds before the resend sweep may take it,
# and how old an unsent email must be before the sweep hands it on again.
NOTIFICATION_CLAIM_LEASE = env.int("NOTIFICATION_CLAIM_LEASE", default=600)
NOTIFICATION_RESEND_AFTER = env.int("NOTIFICATION_RESEND_AFTER", default=120)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
#: How often the beat rebuilds the cases' summary of the dashboards (oversight.summary).
SUMMARY_REFRESH_SECONDS = env.int("SUMMARY_REFRESH_SECONDS", default=5 * 60)
CELERY_BEAT_SCHEDULE = {
    # Each app sweeps its own clocks, so that it can tell the right people once;
    # portal.tasks.deadlines_mark_overdue_task marks every clock, for operators.
    "complaints-sweep": {
        "task": "complaints.tasks.complaints_sweep_task",
        "schedule": 60 * 60,
    },
    # Emails owed but not handed on (broker down at commit, worker lost), of every app.
    "notifications-resend": {
        "task": "portal.tasks.notifications_resend_task",
        "schedule": env.int("NOTIFICATION_RESEND_EVERY", default=5 * 60),
    },
    # Roster uploads never confirmed: their rows (identity numbers) deleted.
    "rosters-expire-pending": {
        "task": "registry.tasks.rosters_expire_pending_task",
        "schedule": 60 * 60,
    },
    "evidence-discard-unclaimed": {
        "task": "complaints.tasks.evidence_discard_unclaimed_task",
        "schedule": 6 * 60 * 60,
    },
    # Entries whose term ended leave the blacklists (Order 117 Art. 14; SAMR list rules Art. 22).
    "blacklist-expire-due": {
        "task": "blacklist.tasks.blacklist_expire_due_task",
        "schedule": 60 * 60,
    },
    # Document requests, clue acknowledgements and outcomes, consultation follow-ups.
    "inspections-sweep": {
        "task": "inspections.tasks.inspections_sweep_task",
        "schedule": 60 * 60,
    },
    # Monthly (on the 1st, the month before) and quarterly (on a quarter's first
    # day, the quarter before) statistical reports of every department. Daily, so
    # that a missed 1st is caught up; idempotent (oversight.reports.reports_schedule).
    "statistical-reports": {
        "task": "oversight.tasks.reports_schedule_task",
        "schedule": crontab(minute=30, hour=2),
    },
    # The cases' figures of the dashboards and statistics, rebuilt as a whole
    # (oversight.summary); the pages say how old they are.
    "figures-summary": {
        "task": "oversight.tasks.summary_refresh_task",
        "schedule": SUMMARY_REFRESH_SECONDS,
        "options": {"expires": SUMMARY_REFRESH_SECONDS},
    },
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Where django.core.mail.backends.filebased.EmailBackend writes (bench/reliability.py).
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@portal.invalid")

# Identity numbers: Fernet key for encryption at rest, HMAC key for lookups.
IDENTITY_ENCRYPTION_KEY = env("IDENTITY_ENCRYPTION_KEY", default="")
IDENTITY_HASH_KEY = env("IDENTITY_HASH_KEY", default="")
# Earlier encryption keys, newest first, still accepted for reading while
# `manage.py reseal_identity_numbers` moves every number to the current key.
IDENTITY_ENCRYPTION_KEY_FALLBACKS = env.list("IDENTITY_ENCRYPTION_KEY_FALLBACKS", default=[])

# django-filter's empty choice in the portal's words, not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("— any —")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        # Staff scripts: `python manage.py drf_create_token USERNAME`, then
        # `Authorization: Token <token>`.
        "accounts.authentication.StaffTokenAuthentication",
    ],
    "EXCEPTION_HANDLER": "portal.api.exception_handler",
    # orjson, with a nesting limit: a hostile [[[[…]]]] is a 400, not a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "portal.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {
        "complaint-intake": env("COMPLAINT_API_RATE", default="30/min"),
        "complaint-track": "60/min",
    },
}


def roster_half_choices():
    """Roster.half's choices, for ENUM_NAME_OVERRIDES (inline choices have no import path)."""
    from registry.models import Roster

    return Roster._meta.get_field("half").choices


SPECTACULAR_SETTINGS = {
    "TITLE": "Live Marketing Supervision Portal API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from static/ (drf-spectacular-sidecar): the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The shared error answers (400, 401, 403, 404, 409, 429) on every operation.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.schema.add_error_responses",
    ],
    # One schema name per choice set where fields of the same name differ.
    "ENUM_NAME_OVERRIDES": {
        "ComplaintKindEnum": "complaints.models.Complaint.Kind",
        "ComplaintStatusEnum": "complaints.models.Complaint.Status",
        "NoticeKindEnum": "filings.models.NoticeKind",
        "FilingChannelEnum": "filings.models.FilingChannel",
        "FilingPartyEnum": "filings.models.FilingParty",
        "RosterStatusEnum": "registry.models.RosterStatus",
        "RosterChannelEnum": "registry.models.RosterChannel",
        "RosterRowKindEnum": "registry.models.RosterRowKind",
        "PartyKindEnum": "registry.models.PartyKind",
        "EntryStatusEnum": "blacklist.models.Status",
        "ScreeningChannelEnum": "blacklist.models.ScreeningLog.Channel",
        "DeadlineStateEnum": "portal.models.Deadline.State",
        # Two more collisions that `check --deploy` reports (drf_spectacular.W001).
        "RosterHalfEnum": "config.settings.base.roster_half_choices",
        "FilingItemStatusEnum": [
            ("created", "created"),
            ("duplicate", "duplicate"),
            ("invalid", "invalid"),
        ],
    },
}

# --- Security: sign-in, two-factor, browser policy, logs ---------------------

# Lockout (django-axes, accounts/lockout.py): AXES_FAILURE_LIMIT wrong passwords
# for one username from one address lock that username at that address for
# AXES_COOLOFF_HOURS, so that a stranger cannot lock a colleague out; as a
# backstop, AXES_ACCOUNT_FAILURE_LIMIT wrong passwords for one username from any
# addresses lock it everywhere. A site admin unlocks earlier with
# `manage.py axes_reset_username <username>` (or `axes_reset` for everyone).
# Guessing from one address across many usernames is slowed by nginx
# (limit_req on /login/, deploy/nginx).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ACCOUNT_FAILURE_LIMIT = env.int("AXES_ACCOUNT_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "accounts.lockout.AccountAndAddressHandler"
AXES_CLIENT_IP_CALLABLE = "portal.clients.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views_two_factor.locked_out"

# Two-factor sign-in (TOTP, django-otp): required for regulator staff and site
# admins while OTP_REQUIRED is on; platform officers may enrol and are then asked too.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=True)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Live Marketing Supervision Portal")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret

# Content-Security-Policy (django-csp 4): no inline script or style anywhere;
# the API docs page relaxes style-src for its own inline <style> only
# (config/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# JSON lines on stderr, each with the request id; identity numbers masked
# by a filter on the handler, whichever logger the record came from.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "portal.logging.RequestIdFilter"},
        "mask_identity": {"()": "portal.logging.IdentityMaskFilter"},
    },
    "formatters": {
        "json": {
            "()": "portal.logging.MaskingJsonFormatter",
            "format": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601, UTC
            # Chinese as itself, not \uXXXX: readable, and the identity mask sees
            # a number's true neighbours.
            "json_ensure_ascii": False,
        },
        "plain": {
            "()": "portal.logging.MaskingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env("LOG_FORMAT", default="json"),
            "filters": ["request_id", "mask_identity"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
# Celery workers keep this configuration (JSON, request id, identity mask)
# instead of replacing the root logger's handlers with their own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

PORTAL_NAME = _("Live Marketing Supervision Portal")
# The address the portal is reached at, for links in emails.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# Issued documents (portal/documents.py) are signed (PAdES) with their department's
# certificate: signer key ("<region code>-<department type>", e.g. "330100-market")
# → the names of the environment variables holding the PKCS#12 file's path and its
# password, as JSON: {"330100-market": {"p12": "HZ_MARKET_P12", "password":
# "HZ_MARKET_P12_PASSWORD"}}. A department without one issues unsigned documents.
DOCUMENT_SIGNERS = env.json("DOCUMENT_SIGNERS", default={})
# PEM or DER files of the CAs whose certificates the verification page trusts.
DOCUMENT_TRUST_ROOTS = env.list("DOCUMENT_TRUST_ROOTS", default=[])
# The demo's CA and department certificates (made by seed_demo); unset in production.
DOCUMENT_DEMO_SIGNING_DIR = None
# The public verification page (/verify/<code>/), per address.
DOCUMENT_VERIFY_RATE = env("DOCUMENT_VERIFY_RATE", default="20/10m")

# Public intake: abuse control without a third-party captcha.
COMPLAINT_RATE_LIMIT = env("COMPLAINT_RATE_LIMIT", default="5/10m")  # per address
COMPLAINT_MIN_FILL_SECONDS = env.int("COMPLAINT_MIN_FILL_SECONDS", default=8)

# Screening logs may commit without waiting for the WAL flush (PostgreSQL
# synchronous_commit=off for that transaction only): faster single screenings,
# at the cost of possibly losing the last fraction of a second of logs in a crash.
BLACKLIST_SCREENING_ASYNC_COMMIT = env.bool("BLACKLIST_SCREENING_ASYNC_COMMIT", default=False)
