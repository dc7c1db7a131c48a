"""Production: every secret and address comes from the environment.

The process refuses to start (ImproperlyConfigured, naming the variable) when
one that has no safe default is missing or empty. deploy/portal.env.example
lists them all; README "Production deployment and security" explains each.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CONTENT_SECURITY_POLICY, LOGGING, REDIS_URL, env


def required(name: str, hint: str) -> str:
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set: production settings refuse to start without it ({hint}). "
            "See deploy/portal.env.example."
        )
    return value


DEBUG = False
SECRET_KEY = required("DJANGO_SECRET_KEY", "50+ random characters, never the development key")
ALLOWED_HOSTS = [
    host.strip()
    for host in required("DJANGO_ALLOWED_HOSTS", "comma-separated host names").split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DATABASES = {
    "default": env.db_url_config(
        required("DATABASE_URL", "postgres://user:password@host:5432/portal")
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
IDENTITY_ENCRYPTION_KEY = required("IDENTITY_ENCRYPTION_KEY", "a Fernet key")
IDENTITY_HASH_KEY = required("IDENTITY_HASH_KEY", "a random secret for the keyed hash")

# Celery on a real broker: tasks are never run inside the web process here.
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL) or required(
    "REDIS_URL", "redis://host:6379/0, the cache and Celery broker"
)

# Uploads: S3-compatible object storage (django-storages) when a bucket is
# named, else a directory that no web server serves. Either way they are read
# only through views that check the viewer's scope.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _uploads = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # MinIO, Ceph RGW, Alibaba OSS, Tencent COS …: their S3 endpoint.
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "location": env("AWS_STORAGE_PREFIX", default="uploads"),
            "default_acl": "private",
            "file_overwrite": False,
            # Objects are streamed by the portal's own views, never linked to.
            "querystring_auth": True,
            "querystring_expire": 60,
            "object_parameters": {"ServerSideEncryption": "AES256"}
            if env.bool("AWS_S3_SERVER_SIDE_ENCRYPTION", default=True)
            else {},
        },
    }
else:
    _uploads = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": required(
                "PRIVATE_STORAGE_ROOT",
                "a directory outside every served root, or set AWS_STORAGE_BUCKET_NAME",
            )
        },
    }
STORAGES = {
    "default": _uploads,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS only. Behind nginx (deploy/nginx/portal.conf), which terminates TLS
# and sets X-Forwarded-Proto; set DJANGO_BEHIND_PROXY=false only when gunicorn
# faces the clients itself, else every request would look insecure (or, worse,
# a client could claim https).
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=True)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The client address is the one nginx forwards (deploy/nginx/portal_proxy.conf
# sets X-Forwarded-For to $remote_addr): one trusted hop behind it, none without.
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=1 if BEHIND_PROXY else 0)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# /healthz is probed over plain HTTP from the load balancer's side.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "upgrade-insecure-requests": True,
    }
}

LOGGING["root"]["level"] = env("LOG_LEVEL", default="INFO")

# Mail (Django's SMTP backend reads these).
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
