"""Each role's home page."""

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.access import object_page_for
from portal.confirm import Confirmation, confirm_page, confirmed

from .forms import ApiKeyIssueForm, ApiKeyRevokeForm
from .models import Platform, PlatformApiKey
from .services import api_key_issue
from .services import api_key_revoke as revoke_key

# --- a platform's API keys ---------------------------------------------------


def _key_platform(user) -> Platform:
    """The signed-in officer's platform; whoever has none is refused."""
    if not user.platform_id:
        raise PermissionDenied
    return user.platform


def _manages_keys(user) -> bool:
    return bool(user.platform_id) and user.has_perm("accounts.manage_platform_api_keys")


ISSUED_KEY_SESSION = "api_key_issued"


@login_required
@permission_required("accounts.manage_platform_api_keys", raise_exception=True)
@require_http_methods(["GET", "POST"])
def api_keys(request):
    """List, issue and revoke. An issued key is shown once, on the page the POST
    redirects to (so that reloading it issues nothing), then forgotten."""
    platform = _key_platform(request.user)
    form = ApiKeyIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data.get("expires_on")
        key, raw = api_key_issue(
            platform=platform,
            name=form.cleaned_data["name"],
            actor=request.user,
            expires_at=timezone.make_aware(datetime.combine(day, time.min)) if day else None,
        )
        request.session[ISSUED_KEY_SESSION] = {"pk": key.pk, "raw": raw}
        return redirect("api-keys")
    issued = None
    if request.method == "GET" and (held := request.session.pop(ISSUED_KEY_SESSION, None)):
        key = PlatformApiKey.objects.filter(pk=held["pk"], platform=platform).first()
        issued = {"key": key, "raw": held["raw"]} if key else None
    response = render(
        request,
        "accounts/api_keys.html",
        {
            "platform": platform,
            "keys": PlatformApiKey.objects.filter(platform=platform)
            .select_related("created_by")
            .order_by("revoked_at", "-created_at"),
            "form": form,
            "issued": issued,
            "now": timezone.now(),
        },
        status=400 if form.errors else 200,
    )
    if issued:  # the page holding the key must not be kept by any cache
        response["Cache-Control"] = "no-store"
    return response


@login_required
@object_page_for(_manages_keys)  # 404 as for any key not theirs
@require_http_methods(["GET", "POST"])
def api_key_revoke(request, pk: int):
    """A revocation cannot be undone: the page asks first, and the POST revokes."""
    platform = request.user.platform
    key = get_object_or_404(PlatformApiKey, pk=pk, platform=platform, revoked_at__isnull=True)
    form = ApiKeyRevokeForm(request.POST if confirmed(request) else None)
    if confirmed(request) and form.is_valid():
        revoke_key(key=key, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The key “%(name)s” was revoked.") % {"name": key.name})
        return redirect("api-keys")
    confirmation = Confirmation(
        title=_("Revoke the key “%(name)s”?") % {"name": key.name},
        consequences=[
            _(
                "Systems that call the API with the key starting %(prefix)s… stop working at "
                "once. A revoked key cannot be used again: issue a new one for them first."
            )
            % {"prefix": key.prefix}
        ],
        button=_("Revoke the key"),
        cancel_url=reverse("api-keys"),
        cancel=_("Keep it"),
        about=platform.label,
        about_url=reverse("api-keys"),
        ask=form,
    )
    return confirm_page(request, confirmation, status=400 if form.errors else 200)
