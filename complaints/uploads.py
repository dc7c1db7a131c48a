"""Evidence uploads, checked by their content (magic numbers), never by their name."""

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024

# content type → (what people call it, size limit)
ALLOWED = {
    "image/jpeg": (_("image"), 10 * MB),
    "image/png": (_("image"), 10 * MB),
    "image/webp": (_("image"), 10 * MB),
    "application/pdf": (_("PDF"), 20 * MB),
    "video/mp4": (_("video"), 50 * MB),
    "video/quicktime": (_("video"), 50 * MB),
}
MAX_FILES = 6


def limits_text() -> str:
    return _(
        "Images (JPEG, PNG, WebP) up to 10 MB, PDF up to 20 MB, short videos (MP4, MOV) "
        "up to 50 MB; at most %(n)s files."
    ) % {"n": MAX_FILES}


def check_upload(upload) -> None:
    """Refuse a file whose content is not an allowed type or that is too large.

    Sets ``upload.checked_content_type`` to the type its content shows.
    """
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    content_type = kind.mime if kind else None
    if content_type not in ALLOWED:
        raise ValidationError(
            _("“%(name)s” is not an image, PDF or video that we accept (its content was checked)."),
            code="file_type",
            params={"name": upload.name},
        )
    label, limit = ALLOWED[content_type]
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a %(kind)s may be at most %(limit)s."),
            code="file_size",
            params={
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "kind": label,
                "limit": filesizeformat(limit),
            },
        )
    upload.checked_content_type = content_type
