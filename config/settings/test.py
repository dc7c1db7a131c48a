"""Test settings: PostgreSQL and Redis when DATABASE_URL/REDIS_URL are set."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
IDENTITY_ENCRYPTION_KEY = "dGVzdC1vbmx5LWlkZW50aXR5LWtleS0zMi1ieXRlcyE="
IDENTITY_HASH_KEY = "test-only-identity-hash-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run eagerly in tests unless a test starts a real worker itself.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = env("REDIS_URL", default="memory://")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static/ straight from the app folders: no collectstatic needed here.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Two-factor sign-in off for the suite's force_login; the two-factor tests
# (tests/accounts/test_two_factor.py, tests/browser/test_two_factor.py) turn it on.
OTP_REQUIRED = False

# Dashboard and statistics figures are counted afresh on every page in tests
# (tests/dashboards/test_figures.py turns the cache on to test it).
STATISTICS_CACHE_SECONDS = 0
