"""Emails to staff about their account: the invitation to set a password.

The link is made when the email is sent, not when it is recorded, so that no
token is kept in the outbox; it works until the password is set (Django's
password-reset tokens, valid ``PASSWORD_RESET_TIMEOUT`` seconds)."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.models import Notification

from .models import User


def invite_url(user: User) -> str:
    """The address where ``user`` sets their password, under ``PORTAL_BASE_URL``."""
    path = reverse(
        "invite-accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def invite_email(user: User) -> tuple[str, str]:
    context = {
        "user": user,
        "url": invite_url(user),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "base_url": settings.PORTAL_BASE_URL.rstrip("/"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/invite_subject.txt", context).strip()
        body = render_to_string("accounts/email/invite.txt", context)
    return subject, body


def render(notification: Notification) -> tuple[str, str] | None:
    """Subject and body at sending time; ``None`` once there is nothing to invite to
    (the account is gone, deactivated or has set its password)."""
    user = User.objects.select_related("department").filter(pk=notification.object_id).first()
    if user is None or not user.is_active or user.has_usable_password():
        return None
    return invite_email(user)
