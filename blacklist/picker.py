"""Choosing a party of the register on a staff form: search by name, credit code, live
room or account, then tick one of the parties found.

The register's apps sit below the blacklist, and the name normaliser is the
screening's (``blacklist.screening.names.normalise``), so the search lives here, on
the floor that sees both and below the apps whose forms pick a party
(``inspections``). The register search page (``oversight.register_search``) uses the
same name forms.

Every lookup goes through the register's own selectors (``registry.selectors``),
the scope of the register pages: a party the user may not see is never found and,
submitted by hand, is refused beside the field. ID numbers are only ever shown
masked. Without JavaScript the search box belongs to a GET form of its own
(``form="…"`` on the input, ``templates/includes/party_search_form.html`` after the
page's form) and the page is reloaded with the parties found as radio buttons in
the page's form; ``static/js/picker.js`` fetches the same page and swaps the list
in place.
"""

from dataclasses import dataclass
from functools import lru_cache, reduce
from operator import or_

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from portal.identity import validate_uscc
from portal.search import MAX_QUERY_LENGTH, search_words
from registry.models import Agency, Marketer, Operator, Supplier
from registry.selectors import (
    agencies_visible_to,
    live_rooms_visible_to,
    marketers_visible_to,
    operators_visible_to,
)

from .screening.names import normalise

#: The most parties of each kind a search shows.
SHOWN = 20

PARTY_KINDS = {
    "marketer": _("live marketer"),
    "operator": _("live room operator"),
    "agency": _("marketer service agency (MCN)"),
    "supplier": _("supplier"),
}
MODEL_KINDS = {Marketer: "marketer", Operator: "operator", Agency: "agency", Supplier: "supplier"}


@lru_cache(maxsize=1)
def _s2t():
    import opencc  # imported late, as screening does: it loads its dictionaries on first use

    return opencc.OpenCC("s2t")


def name_forms(text: str) -> list[str]:
    """The forms of a typed name looked up in the register, the typed text first: as
    typed; simplified and traditional characters; its pinyin, family name first or
    last, spaced or joined."""
    text = " ".join(search_words(text))
    if not text:
        return []
    form = normalise(text)
    forms_ = [text]
    if form.han:
        forms_ += [form.han, _s2t().convert(form.han)]
    for syllables in form.variants[:1]:
        for shift in range(len(syllables)):
            rotated = syllables[shift:] + syllables[:shift]
            forms_ += [" ".join(rotated), "".join(rotated)]
    return list(dict.fromkeys(f for f in forms_ if f))


def any_name(forms_: list[str], *fields: str) -> Q:
    """Any of ``fields`` holds any of the name forms."""
    return reduce(or_, (Q(**{f"{field}__icontains": f}) for field in fields for f in forms_))


def parties_visible_to(user, kind: str):
    """The register parties of ``kind`` the user may see, as the register pages scope
    them. Suppliers are not scoped by region in the register: any may be chosen."""
    return {
        "marketer": lambda: marketers_visible_to(user),
        "operator": lambda: operators_visible_to(user),
        "agency": lambda: agencies_visible_to(user),
        "supplier": lambda: Supplier.objects.all(),
    }[kind]()


@dataclass(frozen=True)
class PartyChoice:
    """One party a search found, as the picker lists it."""

    kind: str
    party: object
    via: str = ""  # the live room it was found by, if any

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.party.pk}"

    @property
    def kind_label(self) -> str:
        return PARTY_KINDS[self.kind]

    @property
    def name(self) -> str:
        return getattr(self.party, "label", None) or self.party.name

    @property
    def identifier(self) -> str:
        """The USCC, else the masked resident ID number (never the number)."""
        return getattr(self.party, "uscc", "") or getattr(self.party, "id_number_masked", "")


def party_value(party) -> str:
    """The picker's value of a register party: ``marketer:12``."""
    return f"{MODEL_KINDS[type(party)]}:{party.pk}"


def party_from_value(user, value: str, kinds) -> object | None:
    """The party ``kind:number`` among those of ``kinds`` the user may see, else None."""
    kind, _sep, number = str(value or "").partition(":")
    if kind not in kinds or not number.isdigit():
        return None
    return parties_visible_to(user, kind).filter(pk=int(number)).first()


def _uscc_of(text: str) -> str:
    """The typed text as a unified social credit code, or ``""``."""
    try:
        return validate_uscc("".join(text.split()))
    except ValidationError:
        return ""


def party_search(user, text: str, kinds) -> list[PartyChoice]:
    """The parties of ``kinds`` in the user's scope whose name is a form of ``text`` (or
    holds one), whose USCC it is, or who run or appear in a live room of that name or
    account; at most :data:`SHOWN` of each kind (a query a kind) and the parties of at
    most :data:`SHOWN` live rooms (two queries)."""
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    names = name_forms(text)
    if not names:
        return []
    uscc = _uscc_of(text)
    found: list[PartyChoice] = []
    seen: set[str] = set()

    def add(choice: PartyChoice):
        if choice.value not in seen:
            seen.add(choice.value)
            found.append(choice)

    for kind in kinds:
        match = any_name(names, "name")
        if kind == "agency":
            match |= any_name(names, "name_en")
        if uscc and kind != "marketer":
            match |= Q(uscc=uscc)
        for party in parties_visible_to(user, kind).filter(match).order_by("name", "pk")[:SHOWN]:
            add(PartyChoice(kind, party))
    if {"marketer", "operator"} & set(kinds):
        rooms = (
            live_rooms_visible_to(user)
            .filter(any_name(names, "name") | Q(account_id=text))
            .prefetch_related("marketers")[:SHOWN]
        )
        for room in rooms:
            via = f"{room.name} ({room.account_id}, {room.platform.label})"
            if "operator" in kinds and room.operator_id:
                add(PartyChoice("operator", room.operator, via))
            if "marketer" in kinds:
                # A marketer of a visible room is visible (Order 117 Art. 47 ¶3).
                for marketer in room.marketers.all():
                    add(PartyChoice("marketer", marketer, via))
    return found


class PartyPickerWidget(forms.Widget):
    """The search box, the parties it found and the one chosen, as radio buttons."""

    template = "includes/party_picker.html"
    search_form_id = "party-search"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.user = None
        self.kinds = tuple(PARTY_KINDS)
        self.query = ""

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = None
        if self.user is not None and value:
            value = value if isinstance(value, str) else party_value(value)
            party = party_from_value(self.user, value, self.kinds)
            if party is not None:
                chosen = PartyChoice(MODEL_KINDS[type(party)], party)
        results = party_search(self.user, self.query, self.kinds) if self.query else []
        if chosen is not None:
            results = [chosen] + [r for r in results if r.value != chosen.value]
        return render_to_string(
            self.template,
            {
                "name": name,
                "id": attrs.get("id") or f"id_{name}",
                "describedby": attrs.get("aria-describedby", ""),
                "query": self.query,
                "query_name": f"{name}_q",
                "search_form_id": self.search_form_id,
                "maxlength": MAX_QUERY_LENGTH,
                "results": results,
                "chosen": chosen.value if chosen else "",
            },
        )

    def id_for_label(self, id_):
        return id_


class PartyPickerField(forms.Field):
    """A party of the register chosen by search (value ``kind:number``), among those
    the user may see; anything else is refused beside the field."""

    widget = PartyPickerWidget
    default_error_messages = {
        "required": _("Search the register and choose the party."),
        "invalid_choice": _("No such party in the register you can see."),
    }

    def __init__(self, *, kinds=tuple(PARTY_KINDS), **kwargs):
        super().__init__(**kwargs)
        self.kinds = tuple(kinds)
        self.user = None
        self.widget.kinds = self.kinds

    def bind(self, *, user, query: str = "") -> None:
        """Scope the field to ``user`` and give it the typed search (the page's GET)."""
        self.user = user
        self.widget.user = user
        self.widget.kinds = self.kinds
        self.widget.query = (query or "").strip()[:MAX_QUERY_LENGTH]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, str):
            return value
        party = party_from_value(self.user, value, self.kinds) if self.user else None
        if party is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return party

    def kind_of(self, party) -> str:
        return MODEL_KINDS[type(party)]
