"""Actions on accounts: platform API keys, and a department's staff."""

import hashlib
import secrets
from datetime import datetime

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.errors import DomainError, NotAllowed
from portal.notifications import notification_enqueue, notification_record

from .models import Department, Platform, PlatformApiKey, Role, User
from .two_factor import two_factor_reset

KEY_PREFIX = "lmp_"


def api_key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _may_manage_keys(actor, platform: Platform) -> bool:
    if actor is None:  # the shell command
        return True
    if actor.is_superuser or actor.role == Role.SITE_ADMIN:
        return True
    return actor.platform_id == platform.pk and actor.has_perm("accounts.manage_platform_api_keys")


@transaction.atomic
def api_key_issue(
    *, platform: Platform, name: str, actor, expires_at: datetime | None = None
) -> tuple[PlatformApiKey, str]:
    """Issue a key for ``platform``; returns the record and the key, which is never shown again."""
    if not _may_manage_keys(actor, platform):
        raise NotAllowed(_("You may not issue API keys for this platform."))
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = PlatformApiKey(
        platform=platform,
        name=name.strip(),
        prefix=raw[:12],
        key_hash=api_key_hash(raw),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=expires_at,
    )
    key.full_clean()
    key.save()
    audit_record(actor=actor, action="api_key.issued", subject=key, data={"platform": platform.pk})
    return key, raw


@transaction.atomic
def api_key_revoke(*, key: PlatformApiKey, actor, reason: str = "") -> PlatformApiKey:
    if not _may_manage_keys(actor, key.platform):
        raise NotAllowed(_("You may not revoke API keys of this platform."))
    key = PlatformApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_key.revoked", subject=key, reason=reason)
    return key


def api_key_find(raw: str) -> PlatformApiKey | None:
    """The live key for ``raw`` (not revoked, not expired), else None."""
    if not raw.startswith(KEY_PREFIX):
        return None
    key = (
        PlatformApiKey.objects.select_related("platform")
        .filter(key_hash=api_key_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if key is None or (key.expires_at and key.expires_at <= timezone.now()):
        return None
    if not key.platform.is_active:
        return None
    return key


# --- a department's staff ------------------------------------------------------

# The roles a department administrator may grant: never a site administrator's, never
# a platform's.
STAFF_ROLES = (Role.HANDLER, Role.SUPERVISOR, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_ADMIN)
INVITE_KIND = "accounts.invite"


def _is_site_admin(actor) -> bool:
    return bool(actor.is_superuser or actor.role == Role.SITE_ADMIN)


def _may_manage_department(actor, department: Department) -> bool:
    if _is_site_admin(actor):
        return True
    return actor.department_id == department.pk and actor.has_perm(
        "accounts.manage_department_staff"
    )


def _check_member(actor, member: User) -> None:
    """A department's staff member whom ``actor`` manages, or NotAllowed."""
    if (
        not member.department_id
        or member.is_superuser
        or member.is_staff
        or member.role in (Role.SITE_ADMIN, Role.PLATFORM_OFFICER)
        or not _may_manage_department(actor, member.department)
    ):
        raise NotAllowed(_("You may not manage this account."))


def _set_role(user: User, role: str) -> None:
    user.groups.remove(*Group.objects.filter(name__in=[r.value for r in Role]))
    user.groups.add(Group.objects.get(name=Role(role).value))


@transaction.atomic
def staff_invite(
    *,
    actor,
    department: Department,
    username: str,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a staff account without a password in ``department`` and owe the invitee
    an email with a link to set one (sent after commit, through the outbox)."""
    if role not in STAFF_ROLES:
        raise NotAllowed(_("A department administrator may not grant this role."))
    if not _may_manage_department(actor, department):
        raise NotAllowed(_("You may invite staff to your own department only."))
    if not email.strip():
        raise ValidationError({"email": _("Enter the email address the invitation goes to.")})
    user = User(
        username=username.strip(),
        email=User.objects.normalize_email(email.strip()),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        department=department,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    _set_role(user, role)
    event = audit_record(
        actor=actor,
        action="staff.invited",
        subject=user,
        data={"role": str(role), "department": department.pk, "email": user.email},
    )
    notification = notification_record(
        key=f"accounts:invite:{user.pk}:{event.pk}",
        kind=INVITE_KIND,
        recipient=user.email,
        recipient_user=user,
        object_id=user.pk,
        fresh=True,  # the key holds the id of the event just written
    )
    notification_enqueue([notification.pk])
    return user


def _locked(member: User) -> User:
    return (
        User.objects.select_for_update(of=("self",)).select_related("department").get(pk=member.pk)
    )


@transaction.atomic
def staff_deactivate(*, actor, member: User, reason: str = "") -> User:
    """Stop the account signing in (its sessions end at their next request)."""
    _check_member(actor, member)
    if member.pk == actor.pk:
        raise DomainError(
            _("You cannot deactivate your own account: ask another administrator."),
            code="self",
        )
    member = _locked(member)
    if member.is_active:
        member.is_active = False
        member.save(update_fields=["is_active"])
        audit_record(actor=actor, action="staff.deactivated", subject=member, reason=reason)
    return member


@transaction.atomic
def staff_reactivate(*, actor, member: User, reason: str = "") -> User:
    _check_member(actor, member)
    member = _locked(member)
    if not member.is_active:
        member.is_active = True
        member.save(update_fields=["is_active"])
        audit_record(actor=actor, action="staff.reactivated", subject=member, reason=reason)
    return member


@transaction.atomic
def staff_role_change(*, actor, member: User, role: str, reason: str = "") -> User:
    """Give ``member`` one of :data:`STAFF_ROLES` in place of their present role."""
    _check_member(actor, member)
    if role not in STAFF_ROLES:
        raise NotAllowed(_("A department administrator may not grant this role."))
    if member.pk == actor.pk and role != Role.DEPARTMENT_ADMIN:
        raise DomainError(
            _(
                "You cannot remove your own administrator role: ask another administrator "
                "of your department or a site administrator."
            ),
            code="self",
        )
    member = _locked(member)
    before = member.role
    if before != role:
        _set_role(member, role)
        audit_record(
            actor=actor,
            action="staff.role_changed",
            subject=member,
            reason=reason,
            data={"from": str(before or ""), "to": str(role)},
        )
    return member


@transaction.atomic
def staff_two_factor_reset(*, actor, member: User, reason: str = "") -> int:
    """Remove the member's devices: they set two-factor sign-in up again at their next
    sign-in. Returns how many devices went."""
    _check_member(actor, member)
    _locked(member)
    return two_factor_reset(user=member, actor=actor, reason=reason)
