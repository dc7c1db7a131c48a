"""Model fields for free text that may hold identity numbers (see :mod:`portal.freetext`).

- :class:`MaskedTextField` and :class:`MaskedJSONField`, for the append-only
  trails (audit events, timelines, states): what is stored is masked, and the
  clear text is kept nowhere.
- :class:`SealedTextField`, for the prose of a matter (facts, descriptions,
  answers…): stored masked, with the clear text encrypted in the field
  ``<name>_sealed`` beside it (a :class:`SealField`), for an audited reveal
  (``portal.freetext_views``). Its model inherits :class:`SealedTextModel`, so
  that a ``save(update_fields=…)`` naming the text writes its seal too.

The masking happens in ``pre_save``, which ``save``, ``bulk_create``, and the
raw-SQL intake (``complaints.services._sql``) all call; a ``COPY`` path
passes its rows through :func:`seal_row`. ``QuerySet.update`` does not call
``pre_save``: a service updating such a field in bulk masks the value itself.
"""

from django.core import checks
from django.db import models

from .freetext import mask_data, mask_text, seal_text, unseal_text

SEAL_SUFFIX = "_sealed"


class MaskedTextField(models.TextField):
    """Prose stored with its identity numbers masked; the clear text is not kept."""

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            masked = mask_text(value)
            if masked is not value:
                setattr(model_instance, self.attname, masked)
            return masked
        return value


class MaskedJSONField(models.JSONField):
    """JSON whose strings are stored with their identity numbers masked."""

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        masked = mask_data(value)
        if masked != value:
            setattr(model_instance, self.attname, masked)
        return masked


class SealedTextField(MaskedTextField):
    """Prose stored masked, its clear text encrypted in ``<name>_sealed``."""

    @property
    def sealed_attname(self) -> str:
        return self.attname + SEAL_SUFFIX

    def pre_save(self, model_instance, add):
        seal_field(model_instance, self)
        return getattr(model_instance, self.attname)

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        companion = next(
            (f for f in self.model._meta.local_fields if f.attname == self.sealed_attname), None
        )
        if not isinstance(companion, SealField):
            errors.append(
                checks.Error(
                    f"{self.model._meta.label}.{self.name} needs a SealField named "
                    f"{self.sealed_attname}.",
                    obj=self,
                    id="portal.E101",
                )
            )
        if not issubclass(self.model, SealedTextModel):
            errors.append(
                checks.Error(
                    f"{self.model._meta.label} has a SealedTextField and must inherit "
                    "portal.fields.SealedTextModel.",
                    obj=self,
                    id="portal.E102",
                )
            )
        return errors


class SealField(models.TextField):
    """The clear text of the :class:`SealedTextField` it is named after, encrypted
    (AES-GCM under the identity key); empty when that text holds no number."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        source = model_instance._meta.get_field(self.name.removesuffix(SEAL_SUFFIX))
        seal_field(model_instance, source)
        return getattr(model_instance, self.attname)


def seal_field(instance, field: SealedTextField) -> None:
    """Mask ``field`` on ``instance`` and put its clear text, encrypted, beside it.

    Both fields call this in ``pre_save``, whichever comes first: the second finds
    the text masked already and keeps the seal. A seal that no longer belongs to
    the text (it was edited since) is dropped."""
    value = getattr(instance, field.attname) or ""
    masked, token = seal_text(value)
    if token:
        setattr(instance, field.attname, masked)
        setattr(instance, field.sealed_attname, token)
        return
    old = getattr(instance, field.sealed_attname, "")
    if old and unseal_text(value, old) == value:
        setattr(instance, field.sealed_attname, "")


def sealed_fields(model) -> list[SealedTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, SealedTextField)]


def clear_text(instance, name: str) -> str:
    """The clear text of the sealed field ``name`` of ``instance`` (for a reveal)."""
    field = instance._meta.get_field(name)
    return unseal_text(getattr(instance, field.attname), getattr(instance, field.sealed_attname))


class SealedTextModel(models.Model):
    """A model with :class:`SealedTextField` fields: saving some fields by name
    saves their seals with them."""

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None:
            names = set(update_fields)
            names.update(f.name + SEAL_SUFFIX for f in sealed_fields(type(self)) if f.name in names)
            update_fields = names
        super().save(*args, update_fields=update_fields, **kwargs)


def seal_row(model, row: dict) -> dict:
    """Seal the free-text values of ``row`` (column values of ``model``, as a bulk
    path such as ``COPY`` writes them) as the fields do on ``save``."""
    for field in model._meta.concrete_fields:
        if field.attname not in row:
            continue
        if isinstance(field, SealedTextField):
            masked, token = seal_text(row[field.attname] or "")
            row[field.attname] = masked
            row[field.sealed_attname] = token or row.get(field.sealed_attname) or ""
        elif isinstance(field, MaskedTextField):
            row[field.attname] = mask_text(row[field.attname] or "")
        elif isinstance(field, MaskedJSONField):
            row[field.attname] = mask_data(row[field.attname])
    return row
