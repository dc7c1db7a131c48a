"""The consumer's pages: the form, its abuse controls, the receipt, tracking."""

import io
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from complaints.models import Complaint
from complaints.services.workflow import (
    complaint_assign,
    complaint_note,
    complaint_request_material,
)
from registry.models import ViolationCategory
from tests.pdftools import blank_pdf, pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db


def _one_pixel_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(out, "PNG")
    return out.getvalue()


# A real picture: uploads are decoded in full (portal.uploads).
PNG = _one_pixel_png()
PDF = blank_pdf()  # a genuine PDF: uploads are parsed (portal.uploads)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def stamp_of(page) -> str:
    return re.search(r'name="stamp" value="([^"]+)"', page.text).group(1)


def form_data(client, world, **overrides):
    page = client.get(reverse("complaints:new"))
    data = {
        "kind": "complaint",
        "category": ViolationCategory.objects.get(code="consumer-dispute").pk,
        "platform": world.platform.pk,
        "live_room_account": world.room.account_id,
        "description": "直播间承诺七天无理由退货，收货后拒绝退货。",
        "consumer_region": "330106",
        "contact_name": "陈女士",
        "contact_phone": "138 0000 0001",
        "contact_email": "chen@example.com",
        "stamp": stamp_of(page),
    }
    data.update(overrides)
    return data


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0)
def test_consumer_files_a_complaint_and_gets_code_department_due_date_and_email(
    client, world, django_capture_on_commit_callbacks
):
    data = form_data(client, world, evidence=[SimpleUploadedFile("聊天记录.png", PNG)])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("complaints:new"), data, follow=True)

    case = Complaint.objects.get()
    assert case.tracking_code in response.text
    assert world.departments["xihu_market"].name in response.text
    assert case.evidence.get().content_type == "image/png"
    assert case.contact_phone == "13800000001"
    assert [m.to for m in mail.outbox] == [["chen@example.com"]]
    assert case.tracking_code in mail.outbox[0].body

    receipt = client.get(reverse("complaints:receipt", args=[case.tracking_code]))
    assert receipt["Content-Type"] == "application/pdf"
    text = pdf_text(receipt.content)
    assert case.tracking_code in text
    assert world.departments["xihu_market"].name.replace(" ", "") in text.replace(" ", "")
    assert "CJK" in pdf_fonts(receipt.content)


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0)
def test_errors_show_beside_fields_and_nothing_typed_or_uploaded_is_lost(client, world):
    data = form_data(
        client,
        world,
        contact_phone="12345",
        contact_email="",
        evidence=[SimpleUploadedFile("receipt.pdf", PDF)],
        HTTP_ACCEPT_LANGUAGE="en",
    )
    data.pop("HTTP_ACCEPT_LANGUAGE")

    page = client.post(reverse("complaints:new"), data, HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 400
    assert 'class="error-summary"' in page.text
    assert 'id="id_contact_phone_error"' in page.text
    assert "直播间承诺七天无理由退货" in page.text  # the description is still there
    assert "receipt.pdf" in page.text  # the file is kept
    assert not Complaint.objects.exists()

    fixed = dict(data, contact_phone="13800000001")
    fixed.pop("evidence")
    fixed["pending"] = re.search(r'name="pending" value="([^"]+)"', page.text).group(1)
    fixed["stamp"] = stamp_of(page)
    client.post(reverse("complaints:new"), fixed)

    assert Complaint.objects.get().evidence.get().original_name == "receipt.pdf"


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0)
def test_file_checked_by_content_not_name(client, world):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 this is a program, not a photo")

    page = client.post(
        reverse("complaints:new"),
        form_data(client, world, evidence=[fake]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert page.status_code == 400
    assert "is not an image, PDF or video that we accept" in page.text
    assert not Complaint.objects.exists()


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0)
def test_oversize_file_is_refused_with_the_limit(client, world):
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (10 * 1024 * 1024))

    page = client.post(
        reverse("complaints:new"),
        form_data(client, world, evidence=[big]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "may be at most 10.0" in page.text
    assert not Complaint.objects.exists()


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0)
def test_honeypot_refuses_and_says_why(client, world):
    page = client.post(
        reverse("complaints:new"),
        form_data(client, world, website="http://spam.example"),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "filled in by a program" in page.text
    assert not Complaint.objects.exists()


@override_settings(COMPLAINT_MIN_FILL_SECONDS=60)
def test_too_fast_submit_is_refused_and_says_why(client, world):
    page = client.post(
        reverse("complaints:new"), form_data(client, world), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "sent too quickly" in page.text
    assert not Complaint.objects.exists()


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0, COMPLAINT_RATE_LIMIT="2/10m")
def test_rate_limit_per_address_refuses_and_keeps_the_entries(client, world):
    for phone in ("13800000001", "13800000002"):
        client.post(reverse("complaints:new"), form_data(client, world, contact_phone=phone))

    page = client.post(
        reverse("complaints:new"),
        form_data(client, world, contact_phone="13800000003"),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert page.status_code == 429
    assert "Too many submissions from your network address" in page.text
    assert "13800000003" in page.text
    assert Complaint.objects.count() == 2


def test_wrong_code_or_contact_looks_the_same_as_no_such_code(client, file_case):
    case = file_case()
    attempts = [
        (case.tracking_code, "13900000000"),
        ("LM0000000000", "13800000001"),
        ("LM0000000000", "nobody@example.com"),
    ]

    pages = [
        client.post(reverse("complaints:track"), {"code": c, "contact": k}) for c, k in attempts
    ]

    def answer(page):
        return re.search(r'<div class="error-summary".*?</div>', page.text, re.S).group(0)

    assert {p.status_code for p in pages} == {404}
    assert len({answer(p) for p in pages}) == 1
    assert all(case.get_status_display() not in p.text for p in pages)


def test_consumer_tracks_with_code_and_contact_then_answers_a_request(client, world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    complaint_request_material(complaint=case, actor=world.handler, message="请补充订单截图")

    found = client.post(
        reverse("complaints:track"),
        {"code": case.tracking_code.lower(), "contact": "CHEN@example.com"},
        follow=True,
    )
    assert "请补充订单截图" in found.text
    client.post(
        reverse("complaints:tracked", args=[case.tracking_code]),
        {
            "form": "answer",
            "answer": "截图见附件",
            "evidence": [SimpleUploadedFile("order.png", PNG)],
        },
    )

    case.refresh_from_db()
    assert case.status == Complaint.Status.RECEIVED
    assert case.evidence.count() == 1
    assert case.material_requests.get().answer == "截图见附件"


def test_internal_notes_never_reach_the_consumer(client, world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    complaint_note(complaint=case, actor=world.handler, message="内部：疑似职业索赔", public=False)
    complaint_note(complaint=case, actor=world.handler, message="正在联系商家", public=True)

    page = client.post(
        reverse("complaints:track"),
        {"code": case.tracking_code, "contact": "13800000001"},
        follow=True,
    )

    assert "正在联系商家" in page.text
    assert "疑似职业索赔" not in page.text


def test_evidence_is_served_only_within_scope(client, world, file_case):
    from complaints.models import Evidence
    from tests.factories import UserFactory

    case = file_case()
    evidence = Evidence.objects.create(
        complaint=case,
        file=SimpleUploadedFile("e.png", PNG),
        original_name="e.png",
        content_type="image/png",
        size=len(PNG),
        sha256="x",
    )
    url = reverse("complaints:evidence", args=[evidence.pk])

    assert client.get(url).status_code == 404
    client.force_login(UserFactory(department=world.departments["gd_market"], role="handler"))
    assert client.get(url).status_code == 404
    client.force_login(world.handler)
    assert client.get(url).status_code == 200


def test_the_case_page_names_a_file_by_its_kind_in_the_readers_language(client, world, file_case):
    from complaints.models import Evidence

    case = file_case()
    Evidence.objects.create(
        complaint=case,
        file=SimpleUploadedFile("e.png", PNG),
        original_name="e.png",
        content_type="image/png",
        size=len(PNG),
        sha256="x",
    )
    client.force_login(world.handler)
    url = reverse("complaints:detail", args=[case.pk])

    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "e.png</a> (图片," in chinese and "image/png" not in chinese
    assert "e.png</a> (image," in english and "image/png" not in english
