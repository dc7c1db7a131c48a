from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo.data import DEMO_PASSWORD, demo_signing_seed, load_demo


class Command(BaseCommand):
    help = "Load the fictitious demo data (idempotent)."

    def handle(self, *args, **options):
        counts = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data loaded: "
                + ", ".join(f"{k} {v}" for k, v in counts.items())
                + f". Password of every demo account: {DEMO_PASSWORD}"
            )
        )
        # The dashboards' figures summary, as the beat would make it within minutes.
        call_command("refresh_figures", stdout=self.stdout)
        signing = demo_signing_seed()
        if signing:
            self.stdout.write(
                f"Demo signing certificates (and their CA, ca.pem) under {signing}: "
                "issued documents are signed with them."
            )
        if settings.OTP_REQUIRED:
            self.stdout.write(
                "Staff and admin accounts then ask for a two-factor code: "
                "`python manage.py demo_totp demo-handler` prints it (or add the demo secret "
                "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ to an authenticator app)."
            )
