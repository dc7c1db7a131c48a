"""``python manage.py find_out_of_range_dates [APP_LABEL …]``.

Lists the stored rows whose dates or times lie outside the window of
``portal.dates`` (before 2000-01-01 or after 2100-12-31, Beijing time): rows
written before the CHECK constraints, which would stop ``migrate`` from adding
them. Exits 1 when it finds any.
"""

from django.core.management.base import BaseCommand, CommandError

from portal.dates import out_of_range_rows


class Command(BaseCommand):
    help = "List stored rows whose dates or times are out of range (exit 1 if any)."

    def add_arguments(self, parser):
        parser.add_argument("app_labels", nargs="*", help="Only these apps (default: all).")

    def handle(self, *args, app_labels, **options):
        found = 0
        for label, pk, name, value in out_of_range_rows(app_labels or None):
            self.stdout.write(f"{label}\tpk={pk}\t{name}\t{value}")
            found += 1
        if found:
            raise CommandError(f"{found} stored value(s) out of range.")
        self.stdout.write("No stored date or time is out of range.")
