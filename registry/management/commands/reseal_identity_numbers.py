"""``python manage.py reseal_identity_numbers [--dry-run]``.

Re-encrypts every stored identity number under the current
``IDENTITY_ENCRYPTION_KEY``, after the key was rotated and the old one moved to
``IDENTITY_ENCRYPTION_KEY_FALLBACKS``. Numbers already sealed under the current
key are left as they are, so the command can be stopped and run again. The keyed
hashes do not change: they depend on ``IDENTITY_HASH_KEY`` only.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from portal.identity import decrypt_identity, encrypt_identity, sealed_under_current_key
from registry.models import IdentityNumberMixin

BATCH = 1000


class Command(BaseCommand):
    help = "Re-encrypt stored identity numbers under the current encryption key."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, dry_run: bool, **options):
        total = 0
        for model in apps.get_models():
            if not issubclass(model, IdentityNumberMixin):
                continue
            resealed = self.reseal(model, dry_run=dry_run)
            total += resealed
            self.stdout.write(f"{model._meta.label}: {resealed}")
        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        self.stdout.write(self.style.SUCCESS(f"{total} identity numbers {verb}."))

    def reseal(self, model, *, dry_run: bool) -> int:
        resealed, last_pk = 0, None
        rows = model.objects.exclude(id_number_encrypted="").order_by("pk")
        while True:
            page = rows if last_pk is None else rows.filter(pk__gt=last_pk)
            with transaction.atomic():
                batch = list(page.select_for_update().only("pk", "id_number_encrypted")[:BATCH])
                if not batch:
                    return resealed
                last_pk = batch[-1].pk
                stale = [r for r in batch if not sealed_under_current_key(r.id_number_encrypted)]
                for row in stale:
                    row.id_number_encrypted = encrypt_identity(
                        decrypt_identity(row.id_number_encrypted)
                    )
                if stale and not dry_run:
                    model.objects.bulk_update(stale, ["id_number_encrypted"])
                resealed += len(stale)
