"""What the inspection services share: the domain error, who may act, files."""

import hashlib
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import actor_label, actor_user
from portal.errors import Conflict, DomainError, NotAllowed

from ..models import Attachment


class InspectionError(DomainError):
    """A rule of inspections, transfers, consultations or interviews refused the action."""


def today() -> date:
    return timezone.localdate()


def require_perm(actor, perm: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise NotAllowed(_("Your role may not do this."), code="permission")


def require_department(actor, perm: str):
    """The actor's department, when they hold ``perm`` and belong to one."""
    require_perm(actor, perm)
    department = getattr(actor, "department", None)
    if department is None:
        raise NotAllowed(_("Only department staff may do this."), code="not_staff")
    return department


def move(obj: models.Model, target: str, table: dict[str, set[str]], *, field="status") -> bool:
    """Check ``obj``'s move to ``target`` against ``table``; False when it is already
    there (a no-op), ``Conflict`` when the move is not allowed, else set it."""
    current = getattr(obj, field)
    if current == target:
        return False
    if target not in table.get(current, set()):
        choices = dict(obj._meta.get_field(field).choices)
        raise Conflict(
            _("“%(state)s” cannot become “%(target)s”.")
            % {"state": choices.get(current, current), "target": choices.get(target, target)},
            code="invalid_transition",
        )
    setattr(obj, field, target)
    return True


def store_attachment(*, upload, actor, **owner) -> Attachment:
    """Keep one upload checked by ``portal.uploads.check_upload`` for its owner."""
    if not getattr(upload, "checked_content_type", None):
        from portal.uploads import check_upload

        check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        original_name=upload.name[:200],
        content_type=upload.checked_content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor_user(actor),
        uploaded_by_label=actor_label(actor),
        **owner,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.full_clean()
    attachment.save()
    return attachment


__all__ = [
    "Conflict",
    "InspectionError",
    "NotAllowed",
    "actor_label",
    "move",
    "require_department",
    "require_perm",
    "store_attachment",
    "today",
]
