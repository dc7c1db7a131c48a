"""Each role's home page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from complaints.selectors import complaints_visible_to
from portal.models import ClockRule
from portal.workdays import official_through
from registry.models import ViolationCategory
from registry.selectors import live_rooms_visible_to

from .models import Department, Platform, Region, Role, User
from .selectors import regions_within

HOME_TEMPLATES = {
    Role.HANDLER: "accounts/home_staff.html",
    Role.SUPERVISOR: "accounts/home_staff.html",
    Role.DEPARTMENT_ADMIN: "accounts/home_staff.html",
    Role.PLATFORM_OFFICER: "accounts/home_platform.html",
    Role.SITE_ADMIN: "accounts/home_admin.html",
}


def calendar_warning(today) -> int | None:
    """From November on, the next year whose official schedule is missing (else None).

    The State Council publishes each year's schedule in the November before it.
    """
    if today.month >= 11 and official_through() < today.year + 1:
        return today.year + 1
    return None


@login_required
def home(request):
    user: User = request.user
    role = user.role
    context = {"role": role}
    if role in (Role.HANDLER, Role.SUPERVISOR, Role.DEPARTMENT_ADMIN) and user.department_id:
        department = Department.objects.select_related("region").get(pk=user.department_id)
        context.update(
            department=department,
            region_count=regions_within(department.region).count() - 1,
            categories=[
                c
                for c in ViolationCategory.objects.filter(is_active=True)
                if department.type in c.department_types
            ],
            clocks=ClockRule.objects.filter(department__isnull=True),
            open_cases=complaints_visible_to(user).exclude(status="closed").count(),
            live_rooms=live_rooms_visible_to(user).count(),
            staff=(
                User.objects.filter(department=department).prefetch_related("groups")
                if role in (Role.SUPERVISOR, Role.DEPARTMENT_ADMIN)
                else None
            ),
        )
    elif role == Role.PLATFORM_OFFICER and user.platform_id:
        context.update(
            platform=Platform.objects.select_related("domicile").get(pk=user.platform_id),
            live_rooms=live_rooms_visible_to(user).count(),
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
    template = HOME_TEMPLATES.get(role, "accounts/home_none.html")
    return render(request, template, context)
