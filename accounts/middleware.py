"""Sends a signed-in user who must use two-factor sign-in to the code step.

Pages answer a redirect to the verification (or, without a device, the
enrolment) page; the API answers 403 to an unverified session. Requests
authenticated by a platform API key carry no session and are not touched.
"""

from urllib.parse import quote

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from .two_factor import two_factor_enrolled, two_factor_required

EXEMPT_URL_NAMES = {
    "login",
    "logout",
    "set_language",
    "healthz",
    "two-factor-verify",
    "two-factor-enrol",
}
SESSION_NOT_REQUIRED = "two_factor_not_required"


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.OTP_REQUIRED and self._must_verify(request) and not self._exempt(request):
            if request.path_info.startswith("/api/"):
                message = _("Two-factor sign-in is required: enter your code on the website first.")
                return JsonResponse({"detail": message}, status=403)
            enrolled = two_factor_enrolled(request.user)
            target = "two-factor-verify" if enrolled else "two-factor-enrol"
            return redirect(f"{reverse(target)}?next={quote(request.get_full_path())}")
        return self.get_response(request)

    @staticmethod
    def _must_verify(request) -> bool:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return False
        if request.session.get(SESSION_NOT_REQUIRED):
            return False
        if two_factor_required(user):
            return True
        # An officer without a device: remember it for the session (sign-in
        # flushes the session, so a later enrolment or role change counts).
        request.session[SESSION_NOT_REQUIRED] = True
        return False

    @staticmethod
    def _exempt(request) -> bool:
        if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True
        return match.url_name in EXEMPT_URL_NAMES
