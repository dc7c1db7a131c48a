"""Navigation by role, for the base template."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Role


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    if user is None or not user.is_authenticated:
        items = [
            (_("File a complaint or report"), reverse("complaints:new")),
            (_("Track a case"), reverse("complaints:track")),
            (_("Joint-punishment list"), reverse("blacklist:public")),
            (_("Statistics"), reverse("statistics")),
        ]
    else:
        items.append((_("Home"), reverse("home")))
        role = user.role
        if role in (Role.HANDLER, Role.SUPERVISOR, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_ADMIN):
            items.append((_("Cases"), reverse("complaints:list")))
            items.append((_("Register of parties"), reverse("registry:live-rooms")))
            items.append((_("Filings received"), reverse("filings:list")))
            items.append((_("Notices to platforms"), reverse("filings:notices")))
            items.append((_("Rosters"), reverse("rosters:list")))
            items.append((_("Blacklist entries"), reverse("blacklist:entries")))
            items.append((_("Screening"), reverse("blacklist:screening")))
            items.append((_("Screenings that hit our entries"), reverse("blacklist:screenings")))
            items.append((_("Inspections"), reverse("inspections:campaigns")))
            items.append((_("Risk view"), reverse("inspections:risk")))
            items.append((_("Clue transfers"), reverse("inspections:clues")))
            items.append((_("Consultations"), reverse("inspections:consultations")))
            items.append((_("Interviews"), reverse("inspections:interviews")))
            items.append((_("Statistics"), reverse("statistics-staff")))
            items.append((_("Periodic reports"), reverse("statistics-reports")))
        if role == Role.PLATFORM_OFFICER:
            items.append((_("Forwarded complaints"), reverse("complaints:forwards")))
            items.append((_("Our live rooms"), reverse("registry:live-rooms")))
            items.append((_("Notices"), reverse("filings:notices")))
            items.append((_("Filings"), reverse("filings:list")))
            items.append((_("Rosters"), reverse("rosters:list")))
            items.append((_("Blacklist entries"), reverse("blacklist:entries")))
            items.append((_("Screening"), reverse("blacklist:screening")))
            items.append((_("Inspections"), reverse("inspections:platform")))
            items.append((_("Interviews"), reverse("inspections:interviews")))
            if user.has_perm("accounts.manage_platform_api_keys"):
                items.append((_("API keys"), reverse("api-keys")))
        if user.is_staff:
            items.append((_("Administration"), reverse("admin:index")))
    return {"nav_items": items}
