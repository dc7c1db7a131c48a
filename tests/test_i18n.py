"""Every page switches between 简体中文 and English."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from tests.factories import UserFactory

PO_FILE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


@pytest.fixture
def handler(client, departments):
    user = UserFactory(department=departments["xihu_market"], role=Role.HANDLER)
    client.force_login(user)
    return user


def _zh(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def test_pages_are_in_chinese_by_default(client, handler):
    page = client.get(reverse("home"))

    assert '<html lang="zh-Hans">' in page.text
    assert _zh("Jurisdiction") != "Jurisdiction"
    assert _zh("Jurisdiction") in page.text


def test_language_switch_turns_the_page_to_english_and_back(client, handler):
    switched = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True
    )

    assert '<html lang="en">' in switched.text
    assert "Jurisdiction" in switched.text
    assert _zh("Jurisdiction") not in switched.text

    back = client.post(
        reverse("set_language"), {"language": "zh-hans", "next": reverse("home")}, follow=True
    )
    assert _zh("Jurisdiction") in back.text


def test_login_page_is_translated_for_anonymous_visitors(client, db):
    page = client.get(reverse("login"))

    assert _zh("Sign in") != "Sign in"
    assert _zh("Sign in") in page.text


def _entries(po_text: str):
    """(msgid, msgstr, flags) of every entry but the header, joined across lines."""
    for block in po_text.split("\n\n"):
        lines = block.strip().splitlines()
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        key = None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"') and key:
                fields[key] += line.strip('"')
            else:
                key, _sep, value = line.partition(" ")
                fields[key] = value.strip('"')
        msgid = fields.get("msgid", "")
        if msgid:
            yield msgid, fields.get("msgstr", fields.get("msgstr[0]", "")), flags


def test_chinese_catalogue_is_complete():
    entries = list(_entries(PO_FILE.read_text(encoding="utf-8")))

    untranslated = [msgid for msgid, msgstr, _f in entries if not msgstr]
    fuzzy = [msgid for msgid, _s, flags in entries if "fuzzy" in flags]
    assert entries
    assert untranslated == []
    assert fuzzy == []


def test_lists_are_joined_as_the_readers_language_joins_them():
    from django.template import Context, Template
    from django.utils import translation

    from portal.i18n import listed

    template = Template("{% load wording %}{{ names|listed }}")
    names = ["张伟", "Li Na"]
    with translation.override("zh-hans"):
        assert listed(names) == "张伟、Li Na"
        assert template.render(Context({"names": names})) == "张伟、Li Na"
    with translation.override("en"):
        assert listed(names) == "张伟, Li Na"
        assert template.render(Context({"names": names})) == "张伟, Li Na"
