"""The public form forgives mistakes: only accepted submissions and abuse count
against the address; a refused submission keeps its text and files; each fault
gets one message in the portal's own words; the help fits the kind chosen."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from complaints.models import Complaint
from tests.complaints.test_public_pages import PNG, form_data, stamp_of

pytestmark = pytest.mark.django_db

NEW = reverse("complaints:new")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0, COMPLAINT_RATE_LIMIT="2/10m")
def test_failed_tries_do_not_count_against_the_address(client, world):
    for _ in range(4):
        page = client.post(NEW, form_data(client, world, contact_phone="12345"))
        assert page.status_code == 400
    accepted = [
        client.post(NEW, form_data(client, world, contact_phone=phone))
        for phone in ("13800000001", "13800000002")
    ]
    over = client.post(NEW, form_data(client, world, contact_phone="13800000003"))

    assert [p.status_code for p in accepted] == [302, 302]
    assert over.status_code == 429
    assert Complaint.objects.count() == 2


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0, COMPLAINT_RATE_LIMIT="2/10m")
def test_submissions_refused_as_abuse_do_count(client, world):
    for _ in range(2):
        client.post(NEW, form_data(client, world, website="http://spam.example"))

    page = client.post(NEW, form_data(client, world))

    assert page.status_code == 429
    assert not Complaint.objects.exists()


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0, COMPLAINT_RATE_LIMIT="1/10m")
def test_a_refused_submission_keeps_text_and_file_and_says_how_long_to_wait(client, world):
    client.post(NEW, form_data(client, world, contact_phone="13800000001"))
    photo = SimpleUploadedFile("聊天记录.png", PNG, content_type="image/png")
    data = form_data(client, world, contact_phone="13800000002", evidence=[photo])
    data["description"] = "主播承诺赠品，收货后没有赠品。"

    page = client.post(NEW, data, HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 429
    wait = re.search(r"Please wait (\d+) minutes?", page.text)
    assert wait and 1 <= int(wait.group(1)) <= 10
    assert "主播承诺赠品，收货后没有赠品。" in page.text
    assert "聊天记录.png" in page.text  # listed as already attached
    # Once the window has passed, sending the kept form files the case with its file.
    cache.clear()
    again = dict(data, stamp=stamp_of(page))
    again.pop("evidence")
    again["pending"] = re.search(r'name="pending" value="([^"]+)"', page.text).group(1)
    assert client.post(NEW, again).status_code == 302
    case = Complaint.objects.get(contact_phone="13800000002")
    assert case.evidence.get().original_name == "聊天记录.png"


@override_settings(COMPLAINT_MIN_FILL_SECONDS=60)
def test_the_time_stamp_message_shows_once_and_without_an_internal_name(client, world):
    page = client.post(NEW, form_data(client, world), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert page.text.count("表单打开后提交过快") == 1
    assert "Stamp" not in page.text and "stamp:" not in page.text.lower()


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0)
def test_a_bad_phone_number_gets_one_message(client, world):
    page = client.post(
        NEW,
        form_data(client, world, contact_phone="12345", contact_email=""),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    summary = re.search(r'<div class="error-summary".*?</div>', page.text, re.S).group(0)

    assert summary.count("<li>") == 1
    assert "Enter an 11-digit mobile number." in summary


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0)
@pytest.mark.parametrize(
    ("field", "value", "ours", "djangos"),
    [
        ("description", "退" * 5001, "最多5000个字符（现为5001个）", "确保该变量包含不超过"),
        ("live_room_url", "not a link", "请输入网址，例如", "请输入合法的URL"),
        ("occurred_on", "2026-13-40", "请按“年-月-日”填写日期", "输入一个有效的日期"),
        ("amount", "abc", "请输入数字，例如", "请输入一个数字"),
    ],
)
def test_messages_are_the_portals_own_not_djangos(client, world, field, value, ours, djangos):
    page = client.post(
        NEW, form_data(client, world, **{field: value}), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert page.status_code == 400
    assert ours in page.text
    assert djangos not in page.text


def test_the_description_help_fits_the_kind_chosen(client, world):
    blank = client.get(NEW, HTTP_ACCEPT_LANGUAGE="en")
    report = client.post(NEW, {"kind": "report"}, HTTP_ACCEPT_LANGUAGE="en")
    complaint = client.post(NEW, {"kind": "complaint"}, HTTP_ACCEPT_LANGUAGE="en")

    assert "For a complaint" in blank.text and "For a report" in blank.text
    assert "For a report" in report.text and "what you ask for" not in report.text
    assert "For a complaint" in complaint.text and "For a report" not in complaint.text


def test_the_form_states_the_time_limits_of_the_rule_set_in_force(client, world):
    zh = client.get(NEW, HTTP_ACCEPT_LANGUAGE="zh-hans").text
    en = client.get(NEW, HTTP_ACCEPT_LANGUAGE="en").text

    assert "承办部门应在7个工作日内决定是否受理投诉，在15个工作日内对举报作出是否立案的决定" in zh
    assert "within 7 working days on a complaint and 15 working days on a report" in en
    assert "Art. 18" in en  # the article the report's clock comes from
