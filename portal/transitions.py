"""The checks every service makes before it acts: may this actor, and may this thing
move from the state it is in to the one asked.

A state table maps each state to the states it may move to. One meaning for a move
to the state a thing is already in, in every app: there is nothing to do, the check
answers ``False`` and changes nothing, and the service writes no event (a request
sent twice does not act twice). A move the table does not hold is a ``Conflict``
(409, ``invalid_transition``); an actor without the permission is ``NotAllowed``
(403, ``permission``). Who the actor is, for rows and trails, is
``portal.audit.actor_user`` and ``actor_label``.
"""

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import Conflict, NotAllowed

StateTable = Mapping[str, set[str]]

_CANNOT_BECOME = gettext_lazy("“%(state)s” cannot become “%(target)s”.")


def require_perm(actor, perm: str) -> None:
    """``NotAllowed`` unless ``actor`` (a user or an API key) holds ``perm``."""
    if actor is None or not actor.has_perm(perm):
        raise NotAllowed(_("Your role may not do this."), code="permission")


def require_department(actor, perm: str):
    """The actor's department, when they hold ``perm`` and belong to one."""
    require_perm(actor, perm)
    department = getattr(actor, "department", None)
    if department is None:
        raise NotAllowed(_("Only department staff may do this."), code="not_staff")
    return department


def may_move(
    current: str, target: str, table: StateTable, *, labels: Mapping, message=None
) -> bool:
    """Whether a thing in ``current`` is to move to ``target``: ``False`` when it is
    there already, ``Conflict`` when ``table`` does not allow it, else ``True``.
    ``labels`` names the states in the message (``message``, with ``%(state)s`` and
    ``%(target)s``, says what the thing is)."""
    if current == target:
        return False
    if target not in table.get(current, set()):
        raise Conflict(
            str(message or _CANNOT_BECOME)
            % {
                "state": labels.get(current, current) or "—",
                "target": labels.get(target, target),
            },
            code="invalid_transition",
        )
    return True


def transition(
    obj: models.Model, target: str, table: StateTable, *, field: str = "status", message=None
) -> bool:
    """Move ``obj`` to ``target`` along ``table`` (see :func:`may_move`), setting
    ``field``; ``False`` and nothing set when it is there already."""
    labels = dict(obj._meta.get_field(field).choices)
    if not may_move(getattr(obj, field), target, table, labels=labels, message=message):
        return False
    setattr(obj, field, target)
    return True
