"""The home pages: what each role sees first after signing in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Department, Platform, PlatformApiKey, Region, Role, User
from accounts.selectors import regions_within
from complaints.models import FINISHED_STATUSES
from complaints.selectors import complaints_visible_to, forwards_for_platform
from filings.selectors import filings_visible_to, notices_awaiting
from portal.pagination import COUNT_LIMIT, bounded_count
from portal.rules import clock_of, clocks_of, rule_sets_in_force
from portal.workdays import official_through
from registry.models import RosterStatus, ViolationCategory
from registry.rosters.selectors import rosters_visible_to
from registry.rosters.services import roster_deadline_article, roster_due_on, roster_period_of
from registry.selectors import live_rooms_visible_to

from .approvals import waiting_for
from .dashboards import platform_dashboard, staff_dashboard

HOME_TEMPLATES = {
    Role.HANDLER: "oversight/home_staff.html",
    Role.SUPERVISOR: "oversight/home_staff.html",
    Role.DEPARTMENT_HEAD: "oversight/home_staff.html",
    Role.DEPARTMENT_ADMIN: "oversight/home_staff.html",
    Role.PLATFORM_OFFICER: "oversight/home_platform.html",
    Role.SITE_ADMIN: "oversight/home_admin.html",
}


def calendar_warning(today) -> int | None:
    """From November on, the next year whose official schedule is missing (else None).

    The State Council publishes each year's schedule in the November before it.
    """
    if today.month >= 11 and official_through() < today.year + 1:
        return today.year + 1
    return None


def home(request):
    if not request.user.is_authenticated:
        return render(request, "public_home.html")
    return _home(request)


@login_required
def _home(request):
    user: User = request.user
    role = user.role
    context = {"role": role}
    if role in (Role.HANDLER, Role.SUPERVISOR, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_ADMIN) and (
        user.department_id
    ):
        department = Department.objects.select_related("region").get(pk=user.department_id)
        context.update(
            department=department,
            region_count=regions_within(department.region).count() - 1,
            categories=[
                c
                for c in ViolationCategory.objects.filter(is_active=True)
                if department.type in c.department_types
            ],
            clock_sets=_clocks_in_force(department),
            open_cases=bounded_count(
                complaints_visible_to(user).exclude(status__in=FINISHED_STATUSES)
            ),
            count_limit=COUNT_LIMIT,
            dashboard=staff_dashboard(user),
            waiting=waiting_for(user),
            live_rooms=live_rooms_visible_to(user).count(),
            staff=(
                User.objects.filter(department=department).prefetch_related("groups")
                if role in (Role.SUPERVISOR, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_ADMIN)
                else None
            ),
        )
    elif role == Role.PLATFORM_OFFICER and user.platform_id:
        context.update(
            platform=Platform.objects.select_related("domicile").get(pk=user.platform_id),
            live_rooms=live_rooms_visible_to(user).count(),
            forwards_waiting=forwards_for_platform(user).filter(answered_at__isnull=True).count(),
            dashboard=platform_dashboard(user),
            **_platform_reports(user),
        )
    elif role == Role.SITE_ADMIN:
        context.update(
            calendar_missing_year=calendar_warning(timezone.localdate()),
            official_through=official_through(),
            counts={
                "regions": Region.objects.count(),
                "departments": Department.objects.count(),
                "platforms": Platform.objects.count(),
                "users": User.objects.count(),
                "categories": ViolationCategory.objects.count(),
            },
        )
    template = HOME_TEMPLATES.get(role, "oversight/home_none.html")
    return render(request, template, context)


def _clocks_in_force(department) -> list[tuple]:
    """Each rule set in force today with its clocks as they apply to ``department``
    (its own length of a clock the rules leave to it)."""
    found = []
    for rule_set in rule_sets_in_force(timezone.localdate()):
        clocks = [clock_of(rule_set, c.code, department=department) for c in clocks_of(rule_set)]
        if clocks:
            found.append((rule_set, clocks))
    return found


def _platform_reports(user) -> dict:
    """The platform officer's duties at a glance: notices awaiting an answer, the
    filing history, the roster of the current half-year and the API keys."""
    year, half = roster_period_of(timezone.localdate())
    rosters = rosters_visible_to(user).filter(year=year, half=half)
    filings = filings_visible_to(user).order_by("-received_at", "-pk")
    return {
        "notices_waiting": list(notices_awaiting(user)[:10]),
        "filings_recent": list(filings[:5]),
        "filings_total": filings.count(),
        "roster_period": (year, half),
        "roster_due": roster_due_on(year, half),
        "roster_article": roster_deadline_article(year, half),
        "roster_filed": rosters.filter(status=RosterStatus.FILED).first(),
        "roster_latest": rosters.order_by("-version").first(),
        "api_keys_live": PlatformApiKey.objects.filter(
            platform_id=user.platform_id, revoked_at__isnull=True
        ).count(),
    }
