"""The append-only audit trail, written by services inside their transaction."""

from typing import Any

from django.contrib.contenttypes.models import ContentType

from .models import AuditEvent, IdentityView


def actor_label(actor) -> str:
    """The name recorded for who acted: a person's full name (or username), an API
    key's name for a platform's system, "system" for the portal itself."""
    if actor is None:
        return "system"
    full = getattr(actor, "get_full_name", None)
    return ((full() if full else "") or getattr(actor, "username", "") or str(actor))[:200]


def actor_user(actor):
    """The user row to record for who acted: ``None`` for the portal itself and for
    a platform's API key, which has no account (its label is recorded instead)."""
    return (
        actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None
    )


def audit_record(
    *, actor, action: str, subject=None, reason: str = "", data: dict[str, Any] | None = None
) -> AuditEvent:
    """Append one event. Call it inside the service's ``transaction.atomic``.

    A platform's API key acts without a user account: the key is recorded instead.
    """
    event = audit_event(actor=actor, action=action, subject=subject, reason=reason, data=data)
    event.save()
    return event


def audit_event(
    *, actor, action: str, subject=None, reason: str = "", data: dict[str, Any] | None = None
) -> AuditEvent:
    """The unsaved event :func:`audit_record` appends, for a service that writes
    several in one statement (``AuditEvent.objects.bulk_create``)."""
    data = dict(data or {})
    api_key = getattr(actor, "api_key", None)
    if api_key is not None:
        data["api_key"] = {
            "id": api_key.pk,
            "prefix": api_key.prefix,
            "platform": api_key.platform_id,
        }
    event = AuditEvent(
        actor=actor_user(actor),
        action=action,
        reason=reason,
        data=data,
    )
    if subject is not None:
        event.content_type = ContentType.objects.get_for_model(subject)
        event.object_id = str(subject.pk)
        event.object_repr = str(subject)[:200]
    return event


def identity_view_record(*, actor, subject, purpose: str) -> IdentityView:
    return IdentityView.objects.create(
        actor=actor,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        object_repr=str(subject)[:200],
        purpose=purpose,
    )


def events_for(subject):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=str(subject.pk)
    ).select_related("actor")
