"""``/help/``: a short help page for the reader's role, in their language: what to
do first, the time limits in force (from the rule sets, with their articles), and
whom to ask."""

from django.shortcuts import render
from django.utils import timezone

from portal.models import RuleSet
from portal.rules import clock_of, clocks_of, rule_sets_in_force

from .models import Role, User

# The help each role reads; anyone signed out reads the consumer's.
SECTIONS = {
    Role.HANDLER: "handler",
    Role.SUPERVISOR: "supervisor",
    Role.DEPARTMENT_HEAD: "head",
    Role.DEPARTMENT_ADMIN: "dept_admin",
    Role.PLATFORM_OFFICER: "platform",
    Role.SITE_ADMIN: "site_admin",
}
# The matters whose time limits each reader meets.
MATTERS = {
    "consumer": {RuleSet.Matter.COMPLAINT},
    "platform": {RuleSet.Matter.COMPLAINT, RuleSet.Matter.PLATFORM, RuleSet.Matter.LISTING},
}


def help_page(request):
    user = request.user
    section = SECTIONS.get(getattr(user, "role", None), "consumer")
    if not user.is_authenticated:
        section = "consumer"
    department = getattr(user, "department", None)
    matters = MATTERS.get(section)
    clock_sets = []
    for rule_set in rule_sets_in_force(timezone.localdate()):
        if matters is not None and rule_set.matter not in matters:
            continue
        clocks = [clock_of(rule_set, c.code, department=department) for c in clocks_of(rule_set)]
        if clocks:
            clock_sets.append((rule_set, clocks))
    ask = []
    if department is not None:
        ask = list(
            User.objects.filter(
                department=department,
                is_active=True,
                groups__name__in=[Role.SUPERVISOR, Role.DEPARTMENT_ADMIN],
            )
            .exclude(pk=user.pk)
            .prefetch_related("groups")
            .distinct()
            .order_by("last_name", "first_name")
        )
    return render(
        request,
        "accounts/help.html",
        {"section": section, "clock_sets": clock_sets, "ask": ask},
    )
