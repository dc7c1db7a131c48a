"""Actions on accounts: platform API keys."""

import hashlib
import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record
from portal.errors import NotAllowed

from .models import Platform, PlatformApiKey, Role

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
