"""Two-factor sign-in pages: the code step after the password, and enrolment."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .forms import TotpCodeForm
from .lockout import account_locked_everywhere
from .selectors import department_admins_of
from .two_factor import (
    qr_code_data_uri,
    totp_device_confirm,
    totp_device_pending,
    totp_secret_base32,
    two_factor_enrolled,
    two_factor_required,
    two_factor_verify,
)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _admin_names(user) -> list[str]:
    """Whom the user asks to reset their two-factor sign-in, by name."""
    return [admin.get_full_name() or admin.username for admin in department_admins_of(user)]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """Step two of signing in: the code from the authenticator app."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not two_factor_enrolled(request.user):
        return redirect("two-factor-enrol")
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor_verify(request=request, token=form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _(
                "That code is wrong or has expired. Wait for the next one and try again; "
                "after several wrong codes each new try must wait longer."
            ),
        )
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": _next_url(request), "admins": _admin_names(request.user)},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Scan the QR code, enter the first code: the device is confirmed."""
    user = request.user
    if two_factor_enrolled(user):
        if not user.is_verified():
            return redirect("two-factor-verify")
        return render(
            request,
            "registration/two_factor_enrolled.html",
            {"admins": _admin_names(user)},
        )
    device = totp_device_pending(user=user)
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_device_confirm(request=request, device=device, token=form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _("That code does not match. Check the phone's clock and enter the newest code."),
        )
    return render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_code": qr_code_data_uri(device.config_url),
            "secret": totp_secret_base32(device),
            "required": two_factor_required(user),
        },
        status=400 if form.errors else 200,
    )


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a sign-in for a locked username (429, translated):
    locked from this address, or (the backstop) from every address."""
    cool_off = get_cool_off(request)
    return render(
        request,
        "registration/locked_out.html",
        {
            "everywhere": account_locked_everywhere(request, credentials),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "account_failure_limit": settings.AXES_ACCOUNT_FAILURE_LIMIT,
            "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        },
        status=429,
    )
