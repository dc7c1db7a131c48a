"""Revealing sealed free text (see :mod:`portal.fields`) to a role that needs it.

The kernel does not know the apps' scopes: each app registers, in its
``apps.py``, the selector through which a user reaches the models that carry
sealed text (:func:`register_scope`). A model with a sealed field and no
registered scope fails the system check ``portal.E103``. A reveal finds the
object through that selector (out of scope answers 404, as everywhere), needs
the permission to see unmasked identity numbers and a purpose, and is audited
like a structured number's reveal.
"""

from collections.abc import Callable

from django.apps import apps
from django.core import checks
from django.db import transaction
from django.db.models import Model
from django.http import Http404
from django.utils.translation import gettext as _

from .audit import audit_record, identity_view_record
from .errors import NotAllowed
from .fields import clear_text, sealed_fields

PERMISSION = "accounts.view_unmasked_identity"

_scopes: dict[str, tuple[type[Model], Callable]] = {}


def register_scope(model: type[Model], selector: Callable, *, via: str = "") -> None:
    """``selector(user)`` is the queryset of ``model`` the user may see; with ``via``,
    it is the queryset of the model ``model`` reaches through that field."""
    if via:

        def scope(user):
            return model.objects.filter(**{f"{via}__in": selector(user).values("pk")})

    else:
        scope = selector
    _scopes[model._meta.label_lower] = (model, scope)


def reachable(user, label: str, pk, field_name: str) -> tuple[Model, str]:
    """The object ``label``/``pk`` as ``user`` may reach it, and its sealed field
    ``field_name``; Http404 for anything else."""
    model, scope = _scopes.get(str(label).lower(), (None, None))
    if model is None or field_name not in {f.name for f in sealed_fields(model)}:
        raise Http404
    try:
        return scope(user).get(pk=pk), field_name
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_reveal(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm(PERMISSION)


@transaction.atomic
def free_text_reveal(*, actor, subject: Model, field_name: str, purpose: str) -> str:
    """The clear text of ``subject``'s sealed field, for ``actor``, audited.

    The caller found ``subject`` through :func:`reachable`."""
    if not can_reveal(actor):
        raise NotAllowed(_("Your role may not see unmasked identity numbers."))
    purpose = purpose.strip()
    if not purpose:
        raise NotAllowed(_("Say why you need the unmasked number."), status=400)
    identity_view_record(actor=actor, subject=subject, purpose=purpose)
    audit_record(
        actor=actor,
        action="free_text.revealed",
        subject=subject,
        reason=purpose,
        data={"field": field_name},
    )
    return clear_text(subject, field_name)


@checks.register()
def every_sealed_model_has_a_scope(app_configs=None, **kwargs):
    return [
        checks.Error(
            f"{model._meta.label} has sealed free text but no reveal scope: call "
            "portal.reveal.register_scope in its app's ready().",
            obj=model,
            id="portal.E103",
        )
        for model in apps.get_models()
        if sealed_fields(model) and model._meta.label_lower not in _scopes
    ]
