from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts, regions and organisations")

    def ready(self):
        from portal.lookups import watch_reference

        from .models import Department, Platform, Region
        from .roles import sync_roles

        # Intake reads regions, departments and platforms from the kernel's
        # per-process cache (portal.lookups); editing them must drop it.
        watch_reference(Region, Department, Platform)

        # Roles are groups whose permissions are declared in code; keep the
        # database's groups equal to that declaration after every migrate.
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="accounts.sync_roles")

        # The invitation is rendered when it is sent, with a fresh link.
        from portal.notifications import register_kind

        from . import emails
        from .services import INVITE_KIND

        register_kind(INVITE_KIND, render=emails.render, title=_("Your invitation to the portal"))
