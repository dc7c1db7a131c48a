"""Searching the register by a name in any of its forms (张伟, 張偉, Zhang Wei).

The name forms are the party picker's (``blacklist.picker.name_forms``, beside the
screening normaliser it uses). A typed name is brought to its forms (as typed; simplified and
traditional characters; its pinyin, family name first or last, spaced or
joined) and each form is looked up inside the names the user may see
(``registry.selectors``: the live-room list's scope). The stored names are not
normalised, so a stored name written with tone marks (Zhāng Wěi) is not found
by its toneless pinyin.
"""

from dataclasses import dataclass

from django.db.models import Q

from blacklist.picker import any_name, name_forms
from registry.selectors import live_rooms_visible_to, marketers_visible_to, operators_visible_to

#: The most rows of each kind the page shows.
SHOWN = 50


@dataclass(frozen=True)
class RegisterHits:
    marketers: list
    operators: list
    live_rooms: list


def register_search(user, text: str) -> RegisterHits:
    """The marketers, operators and live rooms in the user's scope whose name is a form
    of ``text`` (or holds one); the first :data:`SHOWN` of each, three queries."""
    forms = name_forms(text)
    if not forms:
        return RegisterHits([], [], [])
    return RegisterHits(
        marketers=list(marketers_visible_to(user).filter(any_name(forms, "name"))[:SHOWN]),
        operators=list(operators_visible_to(user).filter(any_name(forms, "name"))[:SHOWN]),
        live_rooms=list(
            live_rooms_visible_to(user).filter(
                any_name(forms, "name", "operator__name") | Q(account_id=text.strip())
            )[:SHOWN]
        ),
    )
