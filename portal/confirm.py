"""The confirm step of an action that cannot be undone, with no script needed.

A valid form's first POST answers a page that says what will happen and what
follows from it, the values entered, and Confirm and Cancel; the values ride
along as hidden fields, and only the POST that carries ``confirm=yes`` acts.
Every such page is ``templates/portal/confirm.html`` (or a page of its own that
includes ``templates/includes/confirm.html``).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _

from .i18n import listed

CONFIRM_FIELD = "confirm"
CONFIRMED = "yes"


def confirmed(request) -> bool:
    """Whether this POST is the one that confirms the action."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRMED


def _shown(bound: forms.BoundField, value) -> str:
    """A cleaned value as the person who entered it reads it."""
    widget_field = bound.field
    if isinstance(widget_field, forms.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(widget_field, forms.ModelMultipleChoiceField):
        return listed(widget_field.label_from_instance(v) for v in value) or "—"
    if isinstance(widget_field, forms.ModelChoiceField):
        return widget_field.label_from_instance(value) if value is not None else "—"
    if isinstance(widget_field, forms.ChoiceField):
        key = bound.data if not isinstance(value, str) else value
        return str(dict(widget_field.choices).get(key, value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if value not in (None, "") else "—"


@dataclass
class Confirmation:
    """What a confirm page shows: the question, what follows, the values entered."""

    title: str
    consequences: Sequence[str]
    button: str
    cancel_url: str
    form: forms.BaseForm | None = None  # a valid form: its values are shown and carried
    action_url: str = ""  # where the confirming POST goes; the same page by default
    about: str = ""  # what the action is on (a case, an entry), linked to ``about_url``
    about_url: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)  # (label, value) shown first
    ask: forms.BaseForm | None = None  # fields filled in on the confirm page itself
    hide: Sequence[str] = ()  # fields of ``form`` carried but not shown
    cancel: str = ""  # the Cancel link's words, where "Cancel" does not fit

    @property
    def rows(self) -> list[tuple[str, str]]:
        rows = list(self.facts)
        if self.form is not None:
            for bound in self.form.visible_fields():
                if bound.name in self.hide or bound.name not in self.form.cleaned_data:
                    continue
                rows.append((bound.label, _shown(bound, self.form.cleaned_data[bound.name])))
        return rows

    @property
    def carried(self) -> list[forms.BoundField]:
        return list(self.form) if self.form is not None else []


def confirm_page(request, confirmation: Confirmation, *, status: int = 200):
    """The confirm page (``portal/confirm.html``)."""
    return render(request, "portal/confirm.html", {"confirmation": confirmation}, status=status)
