"""Rebuild the cases' summaries of the dashboards and statistics now (what the beat
task ``oversight.tasks.summary_refresh_task`` does every few minutes)."""

from django.core.management.base import BaseCommand

from oversight.summary import summary_refresh


class Command(BaseCommand):
    help = "Rebuild the cases' figures summaries of the dashboards and statistics now."

    def handle(self, *args, **options):
        done = summary_refresh()
        self.stdout.write(
            f"Figures summaries rebuilt: {done['rows']} rows by every field,"
            f" {done['breakdown_rows']} by one breakdown, {done['forward_rows']} of forwards,"
            f" in {done['seconds']:.2f} s."
        )
