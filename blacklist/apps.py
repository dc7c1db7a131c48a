from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlacklistConfig(AppConfig):
    name = "blacklist"
    verbose_name = _("Joint-punishment blacklist")

    def ready(self):
        # Sealed free text is revealed through the scope the pages use.
        from portal.reveal import register_scope

        from .models import (
            Entry,
            MeasureImplementation,
            PlatformAppeal,
            RepairApplication,
            Statement,
        )
        from .selectors import entries_visible_to

        register_scope(Entry, entries_visible_to)
        for model in (Statement, RepairApplication, PlatformAppeal, MeasureImplementation):
            register_scope(model, entries_visible_to, via="entry")
