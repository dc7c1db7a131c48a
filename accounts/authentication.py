"""``Authorization: Api-Key <key>``: a platform's systems calling the API."""

from datetime import timedelta

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import PlatformApiKey, Role
from .roles import ROLE_PERMISSIONS
from .services import api_key_find


class PlatformKeyUser:
    """Who a request authenticated by a platform API key acts as: the platform's
    compliance officer role, scoped to that platform only."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False
    department_id = None
    department = None
    role = Role.PLATFORM_OFFICER

    def __init__(self, key: PlatformApiKey):
        self.api_key = key
        self.platform_id = key.platform_id
        self.platform = key.platform
        self.pk = None
        self.username = f"api-key:{key.prefix}"

    def __str__(self) -> str:
        return f"{self.platform} · {self.api_key.name}"

    @cached_property
    def _perms(self) -> set[str]:
        return set(ROLE_PERMISSIONS[Role.PLATFORM_OFFICER])

    def has_perm(self, perm: str, obj=None) -> bool:
        return perm in self._perms

    def get_full_name(self) -> str:
        return str(self)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Api-Key"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _sep, raw = header.partition(" ")
        if scheme != self.keyword:
            return None
        key = api_key_find(raw.strip())
        if key is None:
            raise exceptions.AuthenticationFailed(_("Unknown, revoked or expired API key."))
        now = timezone.now()
        # Record use at most once a minute: one write, not one per request.
        if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
            PlatformApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        return PlatformKeyUser(key), key

    def authenticate_header(self, request):
        return self.keyword


try:
    from drf_spectacular.extensions import OpenApiAuthenticationExtension
except ImportError:  # pragma: no cover - drf-spectacular is a requirement
    OpenApiAuthenticationExtension = None

if OpenApiAuthenticationExtension is not None:

    class ApiKeyScheme(OpenApiAuthenticationExtension):
        """Documents ``Authorization: Api-Key <key>`` in the OpenAPI schema."""

        target_class = "accounts.authentication.ApiKeyAuthentication"
        name = "platformApiKey"

        def get_security_definition(self, auto_schema):
            return {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "Api-Key <key> — issued to a platform (python manage.py "
                "platform_api_key <USCC> --name NAME).",
            }


class StaffTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <token>`` for staff scripts, refused to a user who
    must use two-factor sign-in but has not enrolled: a token must not be a way
    around the second factor. The token itself is issued by a site admin
    (``manage.py drf_create_token``) and is revoked by deleting it."""

    def authenticate_credentials(self, key):
        from .two_factor import two_factor_enrolled, two_factor_required

        user, token = super().authenticate_credentials(key)
        if two_factor_required(user) and not two_factor_enrolled(user):
            raise exceptions.AuthenticationFailed(
                _("Set up two-factor sign-in on the website before using an API token.")
            )
        return user, token
