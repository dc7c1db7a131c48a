"""The timeline is in the reader's language: the portal's own lines are stored as
message keys with parameters, so a consumer on a Chinese page reads Chinese and
staff on an English page read English, whatever language the case was filed in."""

import ast
import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from complaints.models import EVENT_LABELS, CaseEvent
from complaints.services.forwards import complaint_forward
from complaints.services.workflow import complaint_accept, complaint_assign
from portal import i18n

pytestmark = pytest.mark.django_db

SERVICES = Path(settings.BASE_DIR) / "complaints" / "services"
MIGRATION = importlib.import_module("complaints.migrations.0010_timeline_message_keys")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
HAN = re.compile(r"[\u4e00-\u9fff]")


def event_messages() -> set[str]:
    """Every message of the portal's own that the services put on a timeline: the
    ``gettext_lazy`` strings given as ``message=`` to ``_event``/``_event_new``."""
    found = set()
    for path in SERVICES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "")
                in {
                    "_event",
                    "_event_new",
                }
            ):
                continue
            for keyword in node.keywords:
                if keyword.arg != "message":
                    continue
                for call in ast.walk(keyword.value):
                    if isinstance(call, ast.Call) and getattr(call.func, "id", "") == (
                        "gettext_lazy"
                    ):
                        found.add(call.args[0].value)
    return found


# Messages first written after that migration: no stored row holds them as text.
NEWER_THAN_THE_MIGRATION = {"Document %(number)s issued: %(type)s."}


def test_the_migration_knows_every_message_the_services_write():
    messages = event_messages()
    assert len(messages) >= 10
    assert messages - NEWER_THAN_THE_MIGRATION <= set(MIGRATION.MESSAGES)


@pytest.mark.parametrize("key", sorted(MIGRATION.MESSAGES))
def test_every_message_reads_in_one_language_at_a_time(key):
    params = dict.fromkeys(re.findall(r"%\((\w+)\)", key), "42")
    with translation.override("zh-hans"):
        zh = i18n.render(key, params)
    with translation.override("en"):
        en = i18n.render(key, params)

    assert not LATIN_WORD.search(zh), zh
    assert not HAN.search(en), en


@pytest.mark.parametrize("action", sorted(EVENT_LABELS))
def test_every_kind_of_line_has_a_label_in_each_language(action):
    with translation.override("zh-hans"):
        zh = str(EVENT_LABELS[action])
    with translation.override("en"):
        en = str(EVENT_LABELS[action])
    assert HAN.search(zh) and not LATIN_WORD.search(zh)
    assert not HAN.search(en) and action not in {"", None}


def test_a_case_filed_in_english_reads_in_chinese_on_a_chinese_page(client, world, file_case):
    case = file_case(language="en")
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    complaint_accept(complaint=case, actor=world.handler)
    complaint_forward(complaint=case, actor=world.handler, message="请处理")
    client.post(reverse("complaints:track"), {"code": case.tracking_code, "contact": "13800000001"})

    zh = client.get(
        reverse("complaints:tracked", args=[case.tracking_code]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).text
    en = client.get(
        reverse("complaints:tracked", args=[case.tracking_code]), HTTP_ACCEPT_LANGUAGE="en"
    ).text
    timeline_zh = re.search(r'<ol class="timeline">.*?</ol>', zh, re.S).group(0)
    timeline_en = re.search(r'<ol class="timeline">.*?</ol>', en, re.S).group(0)

    for line in re.findall(r"<br>(.*?)</li>", timeline_zh, re.S):
        data = {case.department.name, world.platform.name, case.tracking_code}
        for value in data:
            line = line.replace(value, "")
        assert not LATIN_WORD.search(re.sub(r"\d{4}-\d{2}-\d{2}", "", line)), line
    assert "Received and sent to" in timeline_en
    assert "Forwarded to" in timeline_en


def test_staff_read_the_kind_of_each_line_in_their_language(client, world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    client.force_login(world.supervisor)

    en = client.get(reverse("complaints:detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en").text
    zh = client.get(
        reverse("complaints:detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).text

    assert "Assigned to" in en and "· assigned</span>" in en
    assert "Assigned to" not in zh and "· assigned" not in zh


def test_lines_stored_as_text_are_given_their_keys(world, file_case):
    case = file_case()
    event = case.events.get(action="received")
    with translation.override("zh-hans"):
        stored = event.text
    CaseEvent.objects.filter(pk=event.pk).update(message=stored, message_key="", message_params={})

    from django.apps import apps

    MIGRATION.give_lines_their_keys(apps, None)

    event.refresh_from_db()
    assert event.message_key == "Received and sent to %(department)s."
    with translation.override("en"):
        assert event.text.startswith("Received and sent to ")
