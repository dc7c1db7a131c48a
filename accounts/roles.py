"""The roles of DESIGN.md as groups, each holding permissions named for what they allow."""

from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from .models import Role

REFERENCE_MODELS = [
    ("accounts", "region"),
    ("accounts", "department"),
    ("accounts", "platform"),
    ("accounts", "user"),
    ("registry", "violationcategory"),
    ("registry", "negativecatalogueitem"),
    ("registry", "liveroom"),
    ("registry", "operator"),
    ("registry", "marketer"),
    ("registry", "agency"),
    ("registry", "supplier"),
    ("portal", "clockrule"),
    ("portal", "ruleset"),
    ("portal", "calendaryear"),
    ("portal", "calendarday"),
    ("blacklist", "measure"),
    ("inspections", "checklisttemplateitem"),
]

# The rules of a set, edited inline on its admin page (no page of their own).
RULE_SET_PARTS = [("portal", "ruleclock"), ("portal", "ruleground"), ("portal", "rulecitation")]

# Special inspections, clue transfers, consultations and interviews (inspections app).
INSPECTION_STAFF_PERMISSIONS = [
    "inspections.run_inspections",
    "inspections.transfer_clues",
    "inspections.decide_clues",
    "inspections.hold_consultations",
    "inspections.conduct_interviews",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.HANDLER: [
        "accounts.view_jurisdiction_cases",
        "accounts.handle_cases",
        "blacklist.propose_entry",
        "blacklist.record_measure",
        "blacklist.screen_parties",
        *INSPECTION_STAFF_PERMISSIONS,
    ],
    Role.SUPERVISOR: [
        "accounts.view_jurisdiction_cases",
        "accounts.handle_cases",
        "accounts.approve_decisions",
        "accounts.view_unmasked_identity",
        "blacklist.propose_entry",
        "blacklist.decide_entry",
        "blacklist.record_measure",
        "blacklist.screen_parties",
        *INSPECTION_STAFF_PERMISSIONS,
    ],
    # The department head (负责人) approves what a rule set reserves for the head, e.g.
    # extending a report's verification clock (penalty procedure rules Art. 18).
    Role.DEPARTMENT_HEAD: [
        "accounts.view_jurisdiction_cases",
        "accounts.handle_cases",
        "accounts.approve_decisions",
        "accounts.approve_as_head",
        "accounts.view_unmasked_identity",
        "blacklist.propose_entry",
        "blacklist.decide_entry",
        "blacklist.record_measure",
        "blacklist.screen_parties",
        *INSPECTION_STAFF_PERMISSIONS,
    ],
    Role.DEPARTMENT_ADMIN: [
        "accounts.view_jurisdiction_cases",
        "accounts.manage_department_staff",
    ],
    Role.PLATFORM_OFFICER: [
        "accounts.file_platform_reports",
        "accounts.answer_platform_requests",
        "accounts.manage_platform_api_keys",
        "blacklist.add_platform_entry",
        "blacklist.screen_parties",
    ],
    Role.SITE_ADMIN: [
        "accounts.view_jurisdiction_cases",
        "accounts.manage_platform_api_keys",
        "accounts.manage_department_staff",
        "portal.view_auditevent",
        "portal.view_identityview",
        # The rosters platforms filed (Order 117 Art. 9), read-only and masked in the
        # admin, for support when a platform asks about an upload.
        "registry.view_roster",
        "registry.view_rosterrow",
        *(
            f"{app}.{action}_{model}"
            for app, model in REFERENCE_MODELS
            for action in ("view", "add", "change")
        ),
        *(
            f"{app}.{action}_{model}"
            for app, model in RULE_SET_PARTS
            for action in ("view", "add", "change", "delete")
        ),
    ],
}


def sync_roles(app_config=None, using="default", apps=None, **kwargs):
    """Create each role's group and set its permissions to the declared ones."""
    from django.apps import apps as global_apps

    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(
                Permission.objects.using(using).get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(wanted)
