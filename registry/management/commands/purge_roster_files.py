"""``python manage.py purge_roster_files [--dry-run]``.

Deletes the roster files that uploads stored before rosters stopped keeping them.
Such a file is the platform's spreadsheet as sent, resident ID numbers in clear;
what the portal needs of it is in the roster's rows, each number sealed and found
by its keyed hash. The roster, its rows, its counts and the file's name are kept;
each deletion is an audit event. Run it once after upgrading; it can be stopped
and run again.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.audit import audit_record
from registry.models import Roster

BATCH = 200


class Command(BaseCommand):
    help = "Delete roster files stored as uploaded (ID numbers in clear); keep the rosters."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, dry_run: bool, **options):
        stored = Roster.objects.exclude(file="").order_by("pk")
        if dry_run:
            count = stored.count()
            self.stdout.write(self.style.SUCCESS(f"{count} roster files would be deleted."))
            return
        deleted = 0
        while batch := list(stored[:BATCH]):
            for roster in batch:
                self.purge(roster)
                deleted += 1
        self.stdout.write(self.style.SUCCESS(f"{deleted} roster files deleted."))

    def purge(self, roster: Roster) -> None:
        name, storage = roster.file.name, roster.file.storage
        with transaction.atomic():
            Roster.objects.filter(pk=roster.pk).update(file="")
            audit_record(
                actor=None,
                action="roster.file_purged",
                subject=roster,
                data={"original_name": roster.original_name},
            )
            transaction.on_commit(lambda: storage.delete(name))
