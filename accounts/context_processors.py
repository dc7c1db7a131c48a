"""Navigation by role, for the base template."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Role


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append((_("Home"), reverse("home")))
        role = user.role
        if role in (Role.HANDLER, Role.SUPERVISOR, Role.DEPARTMENT_ADMIN):
            items.append((_("Register of parties"), reverse("registry:live-rooms")))
        if role == Role.PLATFORM_OFFICER:
            items.append((_("Our live rooms"), reverse("registry:live-rooms")))
        if user.is_staff:
            items.append((_("Administration"), reverse("admin:index")))
    return {"nav_items": items}
