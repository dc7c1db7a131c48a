"""One language at a time: every page of the permission matrix, in Chinese and in
English, as each role that may see it, shows no text of the other language
outside the data it displays.

- On a Chinese page, no Latin word of the interface: what a page reads out
  (text nodes, and a control's ``title``, ``placeholder``, ``aria-label``,
  ``alt`` and a button's ``value``; never ``<script>`` or ``<style>``) holds
  Latin letters only where they are data.
- On an English page, no Chinese character outside the data.

Data is told from interface text by value, not by marking templates: the world's
rows are known, so every text a person typed or a register holds (names,
descriptions, decision numbers, addresses) is data, and so are a few shapes
(tracking codes, emails, web addresses, file names, masked numbers). What is
*not* data, though stored: a field with choices (its code is internal, the page
shows its label), a slug code (``false-information``), and on an English page a
Chinese text that has an English twin (``name`` / ``name_en``, which the page
must show instead). The few abbreviations an official Chinese page writes in
Latin letters (PDF, CSV, API…) are listed in ``TERMS``.

One run reports every page and role with the strings that offend, so a fix can
be planned from a single run. Pages that cannot yet be put right are listed in
``KNOWN``; the test fails when one of them passes, so the list cannot rot.
"""

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models, transaction

from complaints.views import TRACKED_SESSION_KEY

from .params import PARAMS
from .test_permission_matrix import MIRROR, SPEC, _expected_get, _is_admin, _is_api_route
from .walk import client_for, routes, url_of
from .world import build_world

LANGUAGES = ("zh-hans", "en")
# PAGE_DUMP=<folder> writes every page walked there, to read what the test read.
DUMP = Path(os.environ["PAGE_DUMP"]) if os.environ.get("PAGE_DUMP") else None

# Abbreviations a Chinese civil servant writes in Latin letters, each a whole
# word: file formats and encodings, units, a standard's prefix; SHA-256, QR and
# PAdES are what the document verification page says of an issued document.
TERMS = {
    "API",
    "CSV",
    "GB/T",
    "GB18030",
    "JPEG",
    "JSON",
    "JSON Lines",
    "MB",
    "MCN",  # 直播营销人员服务机构（MCN）, as the Measures' own explanations write it
    "MOV",
    "MP4",
    "PDF",
    "PNG",
    "UTF-8",
    "WebP",
    "XLSX",
    "SHA-256",
    "QR",
    "PAdES",
}

# The name search's examples of one name written three ways: names, as data is.
EXAMPLES = {"张伟", "張偉", "Zhang Wei"}


def _file_vocabulary() -> set[str]:
    """The column names and codes of the files the portal reads (rosters, filings,
    screening batches): a page that explains a file quotes them as they are typed."""
    from blacklist.screening.jobs import FIELDS
    from filings.services.validation import ITEM_FIELDS
    from registry.models import RosterRowKind
    from registry.rosters.services import ROSTER_COLUMNS

    return {*FIELDS, *ITEM_FIELDS, *ROSTER_COLUMNS, *RosterRowKind.values}


# Shapes that are data whatever the language: tracking codes and document numbers,
# emails, web addresses, file names, masked identity numbers, numbers and dates.
_A = r"(?<![A-Za-z0-9])"  # word edges that Chinese characters next to a code do not blur
_Z = r"(?![A-Za-z0-9])"
DATA_SHAPES = [
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # an email
    r"https?://\S+|(?<!\w)/[\w\-./?=&%]+",  # a web address or a path
    r"(?:application|image|video|audio|text)/[\w.+-]+",  # a file's stored type
    r"[\w\-/\u4e00-\u9fff]+\.(?:pdf|csv|json|ndjson|xlsx|txt|png|jpe?g|md)" + _Z,  # a file
    r"[\u4e00-\u9fff]+〔\d{4}〕\d+号",  # an official document number (文号)
    _A + r"[0-9A-Z*]*[0-9][0-9A-Z*]*(?:-[0-9A-Z*]+)*" + _Z,  # tracking code, USCC, masked id
]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
# Fields that hold an internal code, shown to people by a label, never as it is
# (a clock's key, a ground, a channel, a message id) or a secret's digest.
_CODE_FIELD = re.compile(
    r"(^|_)(code|kind|action|event|type|status|state|verb|slug|clock|ground|channel|encoding"
    r"|language|signature|query|key|hash|encrypted|password|form|by|sha256)s?$"
)
# The framework's own tables (groups, permissions, content types, devices): names
# in code, never the data of a case.
_FRAMEWORK_APPS = {"auth", "contenttypes", "admin", "sessions", "axes", "authtoken"}

# Rule-set notes kept in English only: a page that shows them shows them to an
# English reader, so they are not data a Chinese page may hold.
ENGLISH_ONLY = {"portal.RuleClock.note", "portal.RuleSet.transitional"}
# Rule-set texts kept in Chinese only, which an English page names otherwise: the
# order number is in the English title already, and a clock's article is read
# from its rule set in the reader's language (``Deadline.source`` is its copy).
CHINESE_ONLY = {"portal.RuleSet.order_number", "portal.Deadline.source"}

VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# Not read as prose: scripts and styles, and literal machine text (a column name, a
# header, a command) that a page quotes in <code> or <kbd> for the reader to type.
SKIPPED = {"script", "style", "template", "code", "kbd", "samp"}


class _Text(HTMLParser):
    """The strings a page shows or reads out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.strings: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skip += 1
        attributes = dict(attrs)
        for name in VISIBLE_ATTRIBUTES:
            if attributes.get(name):
                self.strings.append(attributes[name])
        # A button's value is shown only on an <input>; a <button>'s is sent, not shown.
        button = tag == "input" and attributes.get("type") in ("submit", "button", "reset")
        if button and attributes.get("value"):
            self.strings.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in SKIPPED and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.strings.append(" ".join(data.split()))


def page_strings(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.strings


def _data_values(language: str) -> list[str]:
    """Every text the database holds that a page may show as it is, longest first."""
    values = set()
    for model in apps.get_models():
        if model._meta.app_label in _FRAMEWORK_APPS or model._meta.app_label.startswith("otp"):
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not f.choices
            and not isinstance(f, models.SlugField)
            and not _CODE_FIELD.search(f.name)
            # a Chinese page shows the Chinese of a two-language text, never its twin
            and not (language != "en" and f.name.endswith("_en"))
            and f"{model._meta.label}.{f.name}"
            not in (ENGLISH_ONLY, CHINESE_ONLY)[language == "en"]
        ]
        if not fields:
            continue
        names = [f.name for f in fields]
        for row in model._default_manager.values(*names):
            for name in names:
                value = row[name]
                if not value or not isinstance(value, str):
                    continue
                if language == "en" and row.get(f"{name}_en"):
                    continue  # the page must show the English twin
                for line in value.splitlines():
                    line = " ".join(line.split())
                    if len(line) < 2:
                        continue
                    other = _CJK if language == "en" else _LATIN_WORD
                    if other.search(line):  # only what could offend needs allowing
                        values.add(line)
    # People's names as pages write them, sign-in names, and the language menu,
    # which names each language in itself.
    for user in apps.get_model("accounts.User").objects.all():
        values.update(v for v in (user.get_full_name(), user.username) if v)
    values.update(str(name) for _code, name in settings.LANGUAGES)
    values.update(EXAMPLES)
    return sorted(values, key=len, reverse=True)


class Judge:
    def __init__(self, language: str):
        self.language = language
        values = _data_values(language)
        # One alternation, longest first, so a name inside a longer text goes with it.
        self.data = [re.compile("|".join(re.escape(v) for v in chunk)) for chunk in _chunks(values)]
        self.shapes = re.compile("|".join(DATA_SHAPES))
        terms = sorted(TERMS | _file_vocabulary(), key=len, reverse=True)
        self.terms = re.compile(_A + "(?:" + "|".join(re.escape(t) for t in terms) + ")" + _Z)

    def strip_data(self, text: str) -> str:
        for pattern in self.data:
            text = pattern.sub(" ", text)
        if self.language != "en":
            text = self.terms.sub(" ", text)
        return self.shapes.sub(" ", text)

    def offences(self, html: str) -> list[str]:
        found = []
        for string in page_strings(html):
            rest = self.strip_data(string)
            if self.language == "en":
                if _CJK.search(rest):
                    found.append(string)
            else:
                if _LATIN_WORD.search(rest):
                    found.append(string)
        return found


def _chunks(values, size=500):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _viewers(route, rule) -> list[str]:
    """The roles for whom the matrix says the page answers 200."""
    if route.name in CONSUMER_PAGES:
        return [CONSUMER]
    # Not the other side's roles (MIRROR): the same pages as their own side's, of
    # other rows; nor API keys, which the pages do not read.
    skipped = {"key_a", "key_b", *MIRROR}
    roles = [role for role in sorted(rule.see | set(rule.expect)) if role not in skipped]
    if rule.anon == 200:
        roles.append("anonymous")
    return [role for role in roles if _expected_get(role, route, rule) == {200}]


def _pages():
    for route in routes():
        if _is_admin(route.name) or _is_api_route(route) or route.name in NOT_PAGES:
            continue
        yield route, SPEC[route.name]


# Routes that answer 200 but are not a page a person reads in the portal's
# language: the machine-readable schema and the health check.
NOT_PAGES = {"api-schema", "healthz", "rosters:template", "filings:template"}

# The pages of a consumer following their case (the matrix's anonymous visitor,
# without the tracked case in the session, gets 404 there).
CONSUMER = "consumer"
CONSUMER_PAGES = {
    "complaints:submitted",
    "complaints:receipt",
    "complaints:tracked",
    "complaints:tracked-notice",
}
# Not submitted empty: signing out, and switching the language.
NOT_POSTED = {"logout", "set_language", "login"}

# Pages still showing the other language, as (route name, language): each must
# still fail, so this list only shrinks.
KNOWN: set[tuple[str, str]] = set()


def _client(world, role: str, language: str):
    if role == CONSUMER:  # the consumer who filed the world's complaint and tracked it
        client = client_for(world, "anonymous")
        session = client.session
        session[TRACKED_SESSION_KEY] = [world.objects["complaint"].pk]
        session.save()
    else:
        client = client_for(world, role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


_FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
_ACTION = re.compile(r"""\baction=["']([^"']*)["']""", re.IGNORECASE)


def _posts_to_itself(html: str, url: str) -> bool:
    """Whether the page holds a form that posts back to it (its errors come back here)."""
    for tag in _FORM.findall(html):
        if "post" not in tag.lower():
            continue
        action = _ACTION.search(tag)
        if action is None or action.group(1) in ("", url) or action.group(1).startswith("?"):
            return True
    return False


def walk(world) -> dict[tuple[str, str], dict[str, list[str]]]:
    """(route, language) → role → the offending strings, of every page as each of
    its viewers gets it, and as it comes back from an empty submission (a form's
    errors, a confirmation's refusal); each submission is rolled back."""
    report: dict[tuple[str, str], dict[str, list[str]]] = {}
    judges = {language: Judge(language) for language in LANGUAGES}
    clients = {}
    answer_html = [""]

    def judge(route, role, language, answer, how):
        kind = answer.get("Content-Type", "")
        shown = {200} if how == "get" else {200, 400, 409, 422}  # a form back with its errors
        if answer.status_code not in shown or not kind.startswith("text/html"):
            return False
        html = answer.content.decode()
        if DUMP:
            path = DUMP / f"{route.name.replace(':', '_')}.{role}.{language}.{how}.html"
            path.write_text(html)
        found = judges[language].offences(html)
        if found:
            report.setdefault((route.name, language), {}).setdefault(role, []).extend(found)
        return True

    for route, rule in _pages():
        kwargs = PARAMS[route.name](world.objects) if route.params else {}
        url = url_of(route, kwargs)
        for role in _viewers(route, rule):
            for language in LANGUAGES:
                client = clients.get((role, language))
                if client is None:
                    client = clients[role, language] = _client(world, role, language)
                answer = client.get(url)
                answer_html[0] = "" if answer.streaming else answer.content.decode(errors="replace")
                if not judge(route, role, language, answer, "get"):
                    continue
                if route.name in NOT_POSTED or not _posts_to_itself(answer_html[0], url):
                    continue
                with transaction.atomic():
                    judge(route, role, language, client.post(url, {}), "post")
                    transaction.set_rollback(True)
    return report


def _format(report) -> str:
    lines = []
    for (name, language), by_role in sorted(report.items()):
        lines.append(f"{name} [{language}]")
        for role, strings in sorted(by_role.items()):
            shown = sorted(set(strings))
            lines.append(f"    as {role}: " + " | ".join(repr(s[:120]) for s in shown))
    return "\n".join(lines)


@pytest.mark.django_db
def test_every_page_is_in_one_language():
    world = build_world()
    report = walk(world)
    unexpected = {key: value for key, value in report.items() if key not in KNOWN}
    healed = sorted(KNOWN - report.keys())
    assert not unexpected, "Text of the other language:\n" + _format(unexpected)
    assert not healed, f"Pages in KNOWN that now pass (take them off): {healed}"
