from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal: calendar, clocks and audit")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)
        from .lookups import watch_reference
        from .models import (
            CalendarDay,
            CalendarYear,
            ClockRule,
            RuleCitation,
            RuleClock,
            RuleGround,
            RuleSet,
        )

        # Every intake reads clock rules, rule sets and the calendar from a
        # per-process cache (portal.lookups); editing them must drop it.
        watch_reference(
            ClockRule, RuleSet, RuleClock, RuleGround, RuleCitation, CalendarDay, CalendarYear
        )
