"""Messages the portal writes itself, stored as a key with parameters and put in
the reader's language when shown (a timeline line is read by a consumer in one
language and by staff in another).

A message is a ``gettext_lazy`` string: its msgid is the key. A parameter is
data (a name, a date, a code) kept as it is, or a text of the portal's own (a
label, an article), kept in every language so each reader gets theirs.
"""

from django.conf import settings
from django.db.models import Model
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def msgid_of(message: Promise) -> str:
    """The msgid of a ``gettext_lazy`` string (the arguments the lazy call keeps)."""
    return message._args[0]


def in_each_language(make) -> dict[str, str]:
    """``{language: make()}`` for every language of the portal: a parameter whose
    text depends on the language (a label, an article's name)."""
    values = {}
    for code in LANGUAGES:
        with translation.override(code):
            values[code] = str(make())
    return values


def stored_params(params: dict | None) -> dict:
    """``params`` as JSON: lazy strings in every language, records by their name."""
    stored = {}
    for name, value in (params or {}).items():
        if isinstance(value, Promise):
            stored[name] = in_each_language(lambda value=value: value)
        elif isinstance(value, dict):
            stored[name] = {str(k): str(v) for k, v in value.items()}
        elif isinstance(value, Model):
            # A department, platform or region has a name in each language (``label``).
            stored[name] = in_each_language(lambda value=value: getattr(value, "label", value))
        else:
            stored[name] = "" if value is None else str(value)
    return stored


def _param_now(value) -> str:
    if not isinstance(value, dict):
        return str(value)
    language = translation.get_language() or settings.LANGUAGE_CODE
    for code in (language, language.split("-")[0], settings.LANGUAGE_CODE):
        if code in value:
            return value[code]
    return next(iter(value.values()), "")


def render(key: str, params: dict, *, fallback: str = "") -> str:
    """The message ``key`` with ``params`` in the active language; ``fallback`` (the
    text stored when it was written) if the key no longer fits its parameters."""
    try:
        return gettext(key) % {name: _param_now(v) for name, v in params.items()}
    except (KeyError, TypeError, ValueError):
        return fallback or key


def localised(zh: str, en: str) -> str:
    """The English of a stored two-language text for an English reader, when
    there is one; the Chinese otherwise."""
    return en if en and (translation.get_language() or "").startswith("en") else zh


def localised_field(obj, field: str) -> str:
    """``localised`` for a model's ``field`` and its ``field_en`` twin."""
    return localised(getattr(obj, field), getattr(obj, f"{field}_en", ""))


def listed(items) -> str:
    """``items`` joined as the reader's language lists them: 甲、乙 in Chinese,
    A, B in English."""
    return pgettext("list separator", ", ").join(str(item) for item in items)
