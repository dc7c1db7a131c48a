"""Rebuild the cases' summary of the dashboards and statistics now (what the beat
task ``oversight.tasks.summary_refresh_task`` does every few minutes)."""

from django.core.management.base import BaseCommand

from oversight.summary import summary_refresh


class Command(BaseCommand):
    help = "Rebuild the cases' figures summary of the dashboards and statistics now."

    def handle(self, *args, **options):
        done = summary_refresh()
        self.stdout.write(
            f"Figures summary rebuilt: {done['rows']} rows in {done['seconds']:.2f} s."
        )
