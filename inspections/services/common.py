"""What the inspection services share: the domain error, who may act, files."""

import hashlib
from datetime import date

from django.utils import timezone

from portal.audit import actor_label, actor_user
from portal.errors import DomainError
from portal.uploads import check_upload

from ..models import Attachment


class InspectionError(DomainError):
    """A rule of inspections, transfers, consultations or interviews refused the action."""


def today() -> date:
    return timezone.localdate()


def store_attachment(*, upload, actor, **owner) -> Attachment:
    """Keep one upload checked by ``portal.uploads.check_upload`` for its owner."""
    if not getattr(upload, "checked_content_type", None):
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
