"""Navigation by role, for the base template."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Role


def navigation(request):
    """The menu: ``nav_groups`` is a list of (label, [(label, address), …]); a group
    of one entry is shown as a plain link."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        groups = [
            (
                _("File a complaint or report"),
                [(_("File a complaint or report"), reverse("complaints:new"))],
            ),
            (_("Track a case"), [(_("Track a case"), reverse("complaints:track"))]),
            (
                _("Joint-punishment list"),
                [(_("Joint-punishment list"), reverse("blacklist:public"))],
            ),
            (_("Statistics"), [(_("Statistics"), reverse("statistics"))]),
        ]
        return {"nav_groups": groups}
    groups = [(_("Home"), [(_("Home"), reverse("home"))])]
    role = user.role
    if role in (Role.HANDLER, Role.SUPERVISOR, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_ADMIN):
        groups += [
            (
                _("Cases"),
                [
                    (_("Cases"), reverse("complaints:list")),
                    (_("Waiting for my decision"), reverse("approvals")),
                ],
            ),
            (
                pgettext_lazy("menu", "Platforms"),
                [
                    (_("Register of parties"), reverse("registry:live-rooms")),
                    (_("Filings received"), reverse("filings:list")),
                    (_("Notices to platforms"), reverse("filings:notices")),
                    (_("Rosters"), reverse("rosters:list")),
                ],
            ),
            (
                pgettext_lazy("menu", "Blacklist"),
                [
                    (_("Blacklist entries"), reverse("blacklist:entries")),
                    (_("Screening"), reverse("blacklist:screening")),
                    (_("Screenings that hit our entries"), reverse("blacklist:screenings")),
                ],
            ),
            (
                pgettext_lazy("menu", "Inspections"),
                [
                    (_("Inspections"), reverse("inspections:campaigns")),
                    (_("Risk view"), reverse("inspections:risk")),
                    (_("Clue transfers"), reverse("inspections:clues")),
                    (_("Consultations"), reverse("inspections:consultations")),
                    (_("Interviews"), reverse("inspections:interviews")),
                ],
            ),
            (
                pgettext_lazy("menu", "Statistics"),
                [
                    (_("Statistics"), reverse("statistics-staff")),
                    (_("Periodic reports"), reverse("statistics-reports")),
                ],
            ),
        ]
    if role == Role.PLATFORM_OFFICER:
        ours = [
            (_("Our live rooms"), reverse("registry:live-rooms")),
            (_("Notices"), reverse("filings:notices")),
            (_("Filings"), reverse("filings:list")),
            (_("Rosters"), reverse("rosters:list")),
        ]
        if user.has_perm("accounts.manage_platform_api_keys"):
            ours.append((_("API keys"), reverse("api-keys")))
        groups += [
            (
                _("Forwarded complaints"),
                [(_("Forwarded complaints"), reverse("complaints:forwards"))],
            ),
            (pgettext_lazy("menu", "Our platform"), ours),
            (
                pgettext_lazy("menu", "Blacklist"),
                [
                    (_("Blacklist entries"), reverse("blacklist:entries")),
                    (_("Screening"), reverse("blacklist:screening")),
                    (_("Roster screening"), reverse("blacklist:screening-jobs")),
                ],
            ),
            (
                pgettext_lazy("menu", "Inspections"),
                [
                    (_("Inspections"), reverse("inspections:platform")),
                    (_("Interviews"), reverse("inspections:interviews")),
                ],
            ),
        ]
    if user.department_id and user.has_perm("accounts.manage_department_staff"):
        groups.append((_("Staff"), [(_("Staff"), reverse("staff-list"))]))
    if user.is_staff:
        groups.append((_("Administration"), [(_("Administration"), reverse("admin:index"))]))
    return {"nav_groups": groups}
