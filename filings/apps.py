from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "filings"
    verbose_name = _("Platform filings and notices")

    def ready(self):
        # Sealed free text is revealed through the scopes the pages use.
        from portal.reveal import register_scope

        from .models import DisposalFiling, PlatformNotice
        from .selectors import filings_visible_to, notices_visible_to

        register_scope(DisposalFiling, filings_visible_to)
        register_scope(PlatformNotice, notices_visible_to)

        # Messages about notices link to the notice for whoever may see it.
        from portal.notifications import register_kind, register_link

        from .notifications import REPLIED_KIND, SENT_KIND

        register_kind(SENT_KIND, about="filings.platformnotice")
        register_kind(REPLIED_KIND, about="filings.platformnotice")
        register_link(PlatformNotice, scope=notices_visible_to, url="filings:notice")
