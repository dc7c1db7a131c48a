"""Template filters for the portal's own wording."""

from django import template

from portal.i18n import listed as _listed

register = template.Library()


@register.filter
def listed(items) -> str:
    """``{{ names|listed }}``: the names joined as the reader's language lists them."""
    return _listed(items)
