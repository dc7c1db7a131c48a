from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints, reports and platform filings")

    def ready(self):
        # The intake reads taxonomy, regions, departments, clock rules and the
        # calendar from a per-process cache; editing them must drop it.
        from portal.lookups import connect_signals

        connect_signals()
