"""Local demo: SQLite unless DATABASE_URL is set, Celery eager, debug on."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-secret-key-not-for-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# Development keys only: production refuses to start without its own.
IDENTITY_ENCRYPTION_KEY = env(
    "IDENTITY_ENCRYPTION_KEY", default="ZGV2LW9ubHktaWRlbnRpdHkta2V5LTMyLWJ5dGVzISE="
)
IDENTITY_HASH_KEY = env("IDENTITY_HASH_KEY", default="dev-only-identity-hash-key")

# seed_demo makes a demo CA and a certificate per demo department here.
DOCUMENT_DEMO_SIGNING_DIR = BASE_DIR / "var" / "signing"  # noqa: F405

# Serve static/ straight from the app folders: no collectstatic needed here.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Keep database connections between requests, as production does.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)  # noqa: F405

# Readable log lines in a terminal (production writes JSON; LOG_FORMAT=json here too).
LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", default="plain")  # noqa: F405
