from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Register of parties and violation taxonomy")

    def ready(self):
        from portal.lookups import watch_reference

        from .models import ViolationCategory

        # Intake reads the taxonomy from the kernel's per-process cache.
        watch_reference(ViolationCategory)
