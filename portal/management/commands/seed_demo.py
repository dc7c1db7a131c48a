from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, load_demo


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
