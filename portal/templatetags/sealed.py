"""``{% reveal_link obj "field" %}``: beside a text whose identity numbers are masked,
a link to see it in full, for a role that may (portal.reveal); nothing otherwise."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from portal.reveal import can_reveal

register = template.Library()


@register.simple_tag(takes_context=True)
def reveal_link(context, obj, field: str) -> str:
    request = context.get("request")
    if obj is None or request is None or not getattr(obj, f"{field}_sealed", ""):
        return ""
    if not can_reveal(request.user):
        return format_html('<span class="hint">{}</span>', _("identity numbers masked"))
    url = reverse("free-text", args=[obj._meta.label_lower, obj.pk, field])
    return format_html(
        '<a class="reveal-link" href="{}">{}</a>', url, _("identity numbers masked: show in full")
    )
