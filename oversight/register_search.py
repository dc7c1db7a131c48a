"""Searching the register by a name in any of its forms (张伟, 張偉, Zhang Wei).

The register's apps sit below the blacklist, so the screening normaliser
(``blacklist.screening.names.normalise``) is used from here, the floor that sees
both. A typed name is brought to its forms (as typed; simplified and
traditional characters; its pinyin, family name first or last, spaced or
joined) and each form is looked up inside the names the user may see
(``registry.selectors``: the live-room list's scope). The stored names are not
normalised, so a stored name written with tone marks (Zhāng Wěi) is not found
by its toneless pinyin.
"""

from dataclasses import dataclass
from functools import lru_cache, reduce
from operator import or_

from django.db.models import Q

from blacklist.screening.names import normalise
from portal.search import search_words
from registry.selectors import live_rooms_visible_to, marketers_visible_to, operators_visible_to

#: The most rows of each kind the page shows.
SHOWN = 50


@lru_cache(maxsize=1)
def _s2t():
    import opencc  # imported late, as screening does: it loads its dictionaries on first use

    return opencc.OpenCC("s2t")


def name_forms(text: str) -> list[str]:
    """The forms of a typed name looked up in the register, the typed text first."""
    text = " ".join(search_words(text))
    if not text:
        return []
    form = normalise(text)
    forms = [text]
    if form.han:
        forms += [form.han, _s2t().convert(form.han)]
    for syllables in form.variants[:1]:
        for shift in range(len(syllables)):
            rotated = syllables[shift:] + syllables[:shift]
            forms += [" ".join(rotated), "".join(rotated)]
    return list(dict.fromkeys(f for f in forms if f))


@dataclass(frozen=True)
class RegisterHits:
    marketers: list
    operators: list
    live_rooms: list


def _any_name(forms: list[str], *fields: str) -> Q:
    return reduce(or_, (Q(**{f"{field}__icontains": f}) for field in fields for f in forms))


def register_search(user, text: str) -> RegisterHits:
    """The marketers, operators and live rooms in the user's scope whose name is a form
    of ``text`` (or holds one); the first :data:`SHOWN` of each, three queries."""
    forms = name_forms(text)
    if not forms:
        return RegisterHits([], [], [])
    return RegisterHits(
        marketers=list(marketers_visible_to(user).filter(_any_name(forms, "name"))[:SHOWN]),
        operators=list(operators_visible_to(user).filter(_any_name(forms, "name"))[:SHOWN]),
        live_rooms=list(
            live_rooms_visible_to(user).filter(
                _any_name(forms, "name", "operator__name") | Q(account_id=text.strip())
            )[:SHOWN]
        ),
    )
