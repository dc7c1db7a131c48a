from django.conf import settings
from django.core.management.base import BaseCommand

from demo.data import DEMO_PASSWORD, load_demo


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
        if settings.OTP_REQUIRED:
            self.stdout.write(
                "Staff and admin accounts then ask for a two-factor code: "
                "`python manage.py demo_totp demo-handler` prints it (or add the demo secret "
                "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ to an authenticator app)."
            )
