"""Hostile uploads: wrong type under a good name, oversize, damaged, pixel
bombs and polyglots are refused with their own message, beside the field on the public
form and as the field's 400 message on the API, and nothing of them is kept."""

import html
import io
import random
import struct
import zipfile
import zlib
from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from accounts.models import DepartmentType, Role
from accounts.services import api_key_issue
from complaints.models import Complaint, Evidence
from inspections.services.inspections import campaign_open, document_request_send
from tests.factories import DepartmentFactory, PlatformFactory, UserFactory
from tests.pdftools import blank_pdf, pdf_with_image_bytes, pdf_with_javascript_in_object_stream

from .test_public_pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the public form allows five posts per address in ten minutes


# --- files, built here byte by byte --------------------------------------------


def picture(fmt: str = "PNG", size=(48, 32)) -> bytes:
    """A real picture with noise in it (so that it does not compress to nothing)."""
    rng = random.Random(8)
    image = Image.new("RGB", size)
    image.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(size[0] * size[1])])
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert(document.cookie)</script>")
    return out.getvalue()


def pixel_bomb() -> bytes:
    """A valid PNG header claiming 40,000 × 40,000 pixels (1.6 gigapixels)."""
    header = struct.pack(">IIBBBBB", 40_000, 40_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + png_chunk(b"IEND", b"")
    )


PDF_WITH_JAVASCRIPT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"3 0 obj<</S/JavaScript/JS(app.alert('x'))>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_with_hidden_launch() -> bytes:
    """A launch action inside a compressed object stream, its name hex-escaped."""
    hidden = zlib.compress(b"3 0 obj<</S/L#61unch/F(cmd.exe)>>endobj")
    return (
        b"%PDF-1.5\n1 0 obj<</Type/Catalog/OpenAction 3 0 R>>endobj\n"
        + f"2 0 obj<</Type/ObjStm/Filter/FlateDecode/Length {len(hidden)}>>stream\n".encode()
        + hidden
        + b"\nendstream\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


PDF = blank_pdf()


def pdf_with_image_stream() -> bytes:
    """A genuine scan: its image data happens to hold the bytes "/JS(" and "PK\x03\x04"."""
    return pdf_with_image_bytes(
        bytes(range(256)) * 8 + b"/JS(x) /Launch PK\x03\x04" + bytes(range(256)) * 8
    )


HOSTILE = [
    pytest.param(
        "聊天记录.png",
        lambda: b"<!doctype html><html><script>alert(1)</script></html>",
        "is not an image, PDF or video that we accept",
        id="html-named-png",
    ),
    pytest.param(
        "截图.png",
        lambda: b"GIF89a" + bytes(range(256)) * 4,
        "is not an image, PDF or video that we accept",
        id="gif-header-garbage",
    ),
    pytest.param(
        "截图.png",
        lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "could not be read as a whole image: it is damaged or cut short",
        id="png-header-garbage",
    ),
    pytest.param(
        "截图.png",
        lambda: picture()[:-600],
        "could not be read as a whole image: it is damaged or cut short",
        id="png-cut-short",
    ),
    pytest.param(
        "照片.jpg",
        lambda: picture("JPEG")[:-400],
        "could not be read as a whole image: it is damaged or cut short",
        id="jpeg-cut-short",
    ),
    pytest.param(
        "截图.png",
        pixel_bomb,
        "has more pixels than we accept (at most 25 million)",
        id="pixel-bomb",
    ),
    pytest.param(
        "截图.png",
        lambda: picture() + zip_archive(),
        "hides a ZIP archive inside the picture",
        id="png-with-zip",
    ),
    pytest.param(
        "照片.jpg",
        lambda: picture("JPEG") + b"<html><script>fetch('/x')</script></html>",
        "hides a web page or script inside the picture",
        id="jpeg-with-html",
    ),
    pytest.param(
        "截图.webp",
        lambda: picture("WEBP") + PDF,
        "hides a PDF document inside the picture",
        id="webp-with-pdf",
    ),
    pytest.param(
        "订单.pdf",
        lambda: PDF_WITH_JAVASCRIPT,
        "contains active content (JavaScript)",
        id="pdf-javascript",
    ),
    pytest.param(
        "订单.pdf",
        pdf_with_hidden_launch,
        "contains active content (a launch action)",
        id="pdf-launch-in-object-stream",
    ),
    *[
        pytest.param(
            "订单.pdf",
            lambda encoding=encoding: pdf_with_javascript_in_object_stream(encoding),
            "contains active content (JavaScript)",
            id=f"pdf-javascript-in-{encoding}-object-stream",
        )
        for encoding in ("none", "ASCIIHex", "ASCII85", "Flate")
    ],
    pytest.param(
        "订单.pdf",
        lambda: b"%PDF-1.4\n<script>alert(document.cookie)</script>\n",
        "holds a web page or script besides the document",
        id="pdf-header-then-script",
    ),
    pytest.param(
        "订单.pdf",
        lambda: (
            pdf_with_image_bytes(bytes(range(256)) * 8)
            + b"<html><body><img src=x onerror=alert(1)></body></html>"
        ),
        "holds a web page or script besides the document",
        id="pdf-then-web-page",
    ),
    pytest.param(
        "订单.pdf",
        lambda: b"%PDF-1.7\n" + bytes(range(256)) * 16,
        "could not be read as a PDF document",
        id="pdf-header-garbage",
    ),
    pytest.param(
        "订单.pdf",
        lambda: b"\xef\xbb\xbf" + PDF,
        "does not begin as a PDF document must",
        id="pdf-not-at-start",
    ),
    pytest.param(
        "视频.mov",
        lambda: b"\x00\x00\x00\x10moov\x00\x00\x00\x08mvhd" + b"\x00" * 64,
        "is not an image, PDF or video that we accept",
        id="mov-without-ftyp",
    ),
    pytest.param(
        "截图.png",
        lambda: picture() + b"\x00" * (10 * 1024 * 1024),
        "may be at most 10.0",
        id="oversize",
    ),
]


def stored_files(folder: str = "") -> set[str]:
    directories, files = default_storage.listdir(folder)
    found = {f"{folder}{name}" for name in files}
    for directory in directories:
        found |= stored_files(f"{folder}{directory}/")
    return found


# --- the public form -----------------------------------------------------------


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0)
@pytest.mark.parametrize(("name", "content", "message"), HOSTILE)
def test_public_form_refuses_hostile_file_beside_the_field(client, world, name, content, message):
    before = stored_files()
    upload = SimpleUploadedFile(name, content(), content_type="image/png")

    page = client.post(
        reverse("complaints:new"),
        form_data(client, world, evidence=[upload]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert page.status_code == 400
    field_error = html.unescape(
        page.text.split('id="id_evidence_error">', 1)[1].split("</p>", 1)[0]
    )
    assert message in field_error
    assert name in field_error
    assert not Complaint.objects.exists()
    assert not Evidence.objects.exists()
    assert stored_files() == before


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0)
@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("截图.png", lambda: picture(), "image/png"),
        ("照片.jpg", lambda: picture("JPEG"), "image/jpeg"),
        ("截图.webp", lambda: picture("WEBP"), "image/webp"),
        ("订单.pdf", lambda: PDF, "application/pdf"),
        ("扫描件.pdf", pdf_with_image_stream, "application/pdf"),
    ],
)
def test_public_form_keeps_genuine_files(client, world, name, content, content_type):
    page = client.post(
        reverse("complaints:new"),
        form_data(client, world, evidence=[SimpleUploadedFile(name, content())]),
    )

    assert page.status_code == 302, page.text
    evidence = Complaint.objects.get().evidence.get()
    assert evidence.content_type == content_type
    assert evidence.file.read() == content()


@override_settings(COMPLAINT_MIN_FILL_SECONDS=0)
def test_evidence_downloads_as_attachment_never_sniffed(client, world):
    client.post(
        reverse("complaints:new"),
        form_data(client, world, evidence=[SimpleUploadedFile("截图.png", picture())]),
    )
    evidence = Evidence.objects.get()

    response = client.get(reverse("complaints:evidence", args=[evidence.pk]))

    assert response.status_code == 200  # the filer's session tracks the case
    assert response["Content-Disposition"] == f'attachment; filename="evidence-{evidence.pk}.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == picture()


# --- the API (a platform answers a document request with files) -------------------


@pytest.fixture
def document_request(regions, departments):
    hz_market = DepartmentFactory(region=regions["hz"], type=DepartmentType.MARKET_SUPERVISION)
    handler = UserFactory(department=hz_market, role=Role.HANDLER)
    platform = PlatformFactory(domicile=regions["yuhang"])
    _key, raw_key = api_key_issue(platform=platform, name="systems", actor=None)
    campaign = campaign_open(
        actor=handler,
        theme="2026年直播电商平台专项检查",
        legal_basis="《网络直播营销管理办法（试行）》第二十六条",
        period_start=date(2026, 3, 1),
        period_end=date(2026, 12, 31),
        participants=[],
        platforms=[platform],
    )
    request = document_request_send(
        actor=handler, inspection=campaign.inspections.get(), requested="提供处置记录"
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
    return api, request


@pytest.mark.parametrize(("name", "content", "message"), HOSTILE)
def test_api_refuses_hostile_file_with_a_field_message(document_request, name, content, message):
    api, request = document_request
    before = stored_files()

    response = api.post(
        f"/api/v1/inspections/document-requests/{request.pk}/answer/",
        {"answer": "见附件", "files": [SimpleUploadedFile(name, content())]},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400, response.content
    [refusal] = response.json()["files"]
    assert message in refusal and name in refusal
    request.refresh_from_db()
    assert not request.files.exists()
    assert request.answered_at is None
    assert stored_files() == before


def test_api_keeps_a_genuine_picture(document_request):
    api, request = document_request

    response = api.post(
        f"/api/v1/inspections/document-requests/{request.pk}/answer/",
        {"answer": "见附件", "files": [SimpleUploadedFile("截图.jpg", picture("JPEG"))]},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    assert request.files.get().content_type == "image/jpeg"
