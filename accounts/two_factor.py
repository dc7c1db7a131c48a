"""Two-factor sign-in (TOTP, RFC 6238, through django-otp).

Who must use it: regulator staff and site admins while ``OTP_REQUIRED`` is on;
a platform officer may enrol and is then asked for a code at each sign-in too.
Recovery: the department's administrator resets it on the staff page
(``/accounts/staff/``), or a site admin deletes the user's device (admin or
``manage.py two_factor_reset``); the user enrols again at the next sign-in.
"""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.audit import audit_record

from .models import Role

REQUIRED_ROLES = {
    Role.HANDLER,
    Role.SUPERVISOR,
    Role.DEPARTMENT_HEAD,
    Role.DEPARTMENT_ADMIN,
    Role.SITE_ADMIN,
}
DEVICE_NAME = "authenticator"
# The demo's published secret (RFC 6238's test key, base32
# GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ): every demo staff account's device uses it,
# so `manage.py demo_totp` or any authenticator app gives the code. Never in production.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_DEVICE_NAME = "demo authenticator (published secret)"


def two_factor_required(user) -> bool:
    """Whether ``user`` must give a code after the password."""
    if not settings.OTP_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser or user.role in REQUIRED_ROLES:
        return True
    return two_factor_enrolled(user)


def two_factor_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_pending(*, user) -> TOTPDevice:
    """The device being enrolled: one unconfirmed device per user, its secret kept
    until the first code is entered (reloading the page shows the same QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def totp_secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in by hand."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_code_data_uri(text: str) -> str:
    """An SVG QR code as a ``data:`` URI for an <img>: no script, no inline style."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def totp_device_confirm(*, request, device: TOTPDevice, token: str) -> bool:
    """Confirm the pending device with its first code; the session is then verified."""
    if not device.verify_token(token):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(actor=device.user, action="two_factor.enrolled", subject=device.user)
    _verified(request, device)
    return True


def two_factor_verify(*, request, token: str) -> bool:
    """Check a code against the user's confirmed devices (django-otp throttles
    repeated failures) and mark the session verified."""
    device = match_token(request.user, token)
    if device is None or not device.confirmed:
        return False
    _verified(request, device)
    return True


def _verified(request, device: TOTPDevice) -> None:
    """Mark the session verified under a new session key: a key that leaked
    between the password and the code (a shared computer, a captured cookie) is
    worth nothing once the code is given."""
    otp_login(request, device)
    request.session.cycle_key()


def two_factor_reset(*, user, actor, reason: str) -> int:
    """Recovery for a lost phone (a department or site admin): remove every device
    of ``user``."""
    with transaction.atomic():
        count, _ = TOTPDevice.objects.filter(user=user).delete()
        audit_record(actor=actor, action="two_factor.reset", subject=user, reason=reason)
    return count


def demo_totp_devices_seed(users) -> int:
    """Give each demo user who must use two-factor sign-in a device with the
    published demo secret (idempotent). Returns how many were created."""
    created = 0
    for user in users:
        if not (user.is_superuser or user.role in REQUIRED_ROLES):
            continue
        _device, made = TOTPDevice.objects.get_or_create(
            user=user,
            name=DEMO_DEVICE_NAME,
            defaults={"key": DEMO_TOTP_KEY, "confirmed": True},
        )
        created += made
    return created


def demo_totp_code(user) -> str | None:
    """The current code of ``user``'s demo device (None if it has none)."""
    from django_otp.oath import totp

    device = TOTPDevice.objects.filter(
        user=user, name=DEMO_DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True
    ).first()
    if device is None:
        return None
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"
