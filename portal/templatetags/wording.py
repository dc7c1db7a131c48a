"""Template filters for the portal's own wording."""

from django import template

from portal.i18n import listed as _listed
from portal.uploads import file_kind as _file_kind

register = template.Library()


@register.filter
def listed(items) -> str:
    """``{{ names|listed }}``: the names joined as the reader's language lists them."""
    return _listed(items)


@register.filter
def file_kind(content_type: str) -> str:
    """``{{ file.content_type|file_kind }}``: an image, a PDF, a video, in the reader's
    language, never the content type itself."""
    return _file_kind(content_type)
