"""``python manage.py seal_free_text [--dry-run] [APP_LABEL …]``.

Seals the identity numbers that rows written before ``portal.fields`` hold in
clear in their free text: masked in place, the clear text encrypted beside it
where the field is sealed, nothing kept where it is a trail (audit events,
timelines, states). Rows are read in primary-key order, a chunk at a time, and
written with one ``bulk_update`` per chunk. Run it once after the upgrade; it
changes nothing on a second run.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from portal.audit import audit_record
from portal.fields import MaskedJSONField, MaskedTextField, SealedTextField, seal_row


def free_text_columns(model) -> list[str]:
    names = []
    for field in model._meta.concrete_fields:
        if isinstance(field, MaskedTextField | MaskedJSONField):
            names.append(field.attname)
        if isinstance(field, SealedTextField):
            names.append(field.sealed_attname)
    return names


class Command(BaseCommand):
    help = "Mask and seal identity numbers held in clear in free text."

    def add_arguments(self, parser):
        parser.add_argument("app_labels", nargs="*", help="Only these apps (default: all).")
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")
        parser.add_argument("--chunk", type=int, default=2000)

    def handle(self, *args, app_labels, dry_run, chunk, **options):
        total = 0
        for model in apps.get_models():
            if app_labels and model._meta.app_label not in app_labels:
                continue
            names = free_text_columns(model)
            if not names:
                continue
            changed = self._seal(model, names, chunk=chunk, dry_run=dry_run)
            total += changed
            if changed:
                self.stdout.write(f"{model._meta.label}\t{changed}")
        verb = "would be sealed" if dry_run else "sealed"
        self.stdout.write(f"{total} row(s) {verb}.")

    def _seal(self, model, names: list[str], *, chunk: int, dry_run: bool) -> int:
        rows = model._base_manager.only("pk", *names).order_by("pk")
        changed, last = 0, None
        while True:
            batch = list((rows if last is None else rows.filter(pk__gt=last))[:chunk])
            if not batch:
                return changed
            last = batch[-1].pk
            dirty = []
            for obj in batch:
                before = {name: getattr(obj, name) for name in names}
                after = seal_row(model, dict(before))
                if after != before:
                    for name, value in after.items():
                        setattr(obj, name, value)
                    dirty.append(obj)
            changed += len(dirty)
            if dirty and not dry_run:
                with transaction.atomic():
                    model._base_manager.bulk_update(dirty, names)
                    audit_record(
                        actor=None,
                        action="free_text.sealed",
                        data={"model": model._meta.label, "rows": len(dirty)},
                    )
