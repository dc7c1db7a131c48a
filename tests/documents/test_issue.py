"""Issued documents: numbered, stored, verifiable, signed and revocable."""

import hashlib
import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from complaints.services.documents import complaint_document_issue
from complaints.services.workflow import complaint_accept, complaint_assign
from portal.documents import document_content, document_revoke, signature_status
from portal.models import DocumentPrefix, IssuedDocument
from tests.pdftools import pdf_text


def _accept(world, case):
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    return complaint_accept(complaint=case, actor=world.handler, message="予以受理")


@pytest.fixture
def accepted(world, file_case):
    return _accept(world, file_case())


def test_the_notice_carries_its_number_and_later_downloads_serve_the_stored_file(
    client, world, accepted, departments
):
    DocumentPrefix.objects.create(department=departments["xihu_market"], prefix="杭西市监投")
    client.force_login(world.handler)
    url = reverse("complaints:document", args=[accepted.pk, "decision"])
    first = client.get(url)
    assert first.status_code == 200
    issued = IssuedDocument.objects.get()
    assert issued.number.startswith("杭西市监投受〔") and issued.number.endswith("〕1号")
    assert hashlib.sha256(first.content).hexdigest() == issued.sha256
    text = pdf_text(first.content)
    assert issued.number in text
    assert issued.code in text
    assert f"/verify/{issued.code}/" in text
    again = client.get(url)
    assert again.content == first.content
    assert IssuedDocument.objects.count() == 1
    timeline = accepted.events.filter(action="document_issued").get()
    assert issued.number in timeline.text
    api = client.get(f"/api/v1/complaints/cases/{accepted.pk}/")
    assert api.json()["documents"][0]["number"] == issued.number


def test_the_verification_page_tells_an_issued_file_from_a_changed_one(client, world, accepted):
    issued = complaint_document_issue(complaint=accepted, document="decision")
    data = document_content(issued)
    page = client.get(f"/verify/{issued.code}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert issued.number in body and issued.sha256 in body
    assert "陈女士" not in body and "陈*" in body
    upload = client.post(f"/verify/{issued.code}/", {"file": _file(data)})
    assert "逐字节一致" in upload.content.decode()
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 1
    upload = client.post(f"/verify/{issued.code}/", {"file": _file(bytes(changed))})
    assert "不一致" in upload.content.decode()


def test_an_unknown_code_answers_like_a_refused_one(client, world, accepted, settings):
    issued = complaint_document_issue(complaint=accepted, document="decision")
    unknown = client.get("/verify/0000000000/")
    settings.DOCUMENT_VERIFY_RATE = "1/10m"
    client.get("/verify/0000000001/")
    refused = client.get(f"/verify/{issued.code}/")  # a real code, past the limit
    assert unknown.status_code == refused.status_code == 404
    assert _page(unknown, "0000000000") == _page(refused, issued.code)


def _page(response, code: str) -> str:
    """The page as a reader sees it: without its form token and own address."""
    html = response.content.decode().replace(code, "CODE")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_signed_notice_validates_and_a_tampered_one_does_not(client, world, accepted, signing):
    issued = complaint_document_issue(complaint=accepted, document="decision")
    data = document_content(issued)
    status = signature_status(data)
    assert status.signed and status.valid
    assert status.signer == world.handler.department.name
    page = client.get(f"/verify/{issued.code}/").content.decode()
    assert f"有效，签章单位：{world.handler.department.name}" in page
    start = data.index(b"/Contents") - 4000
    tampered = bytearray(data)
    tampered[start] = ord("X") if tampered[start] != ord("X") else ord("Y")
    assert not signature_status(bytes(tampered)).valid


def test_a_revoked_document_shows_revoked_with_date_and_reason(client, world, accepted):
    issued = complaint_document_issue(complaint=accepted, document="decision")
    document_revoke(document=issued, actor=world.supervisor, reason="复议撤销原决定")
    page = client.get(f"/verify/{issued.code}/").content.decode()
    assert "已撤销" in page and "复议撤销原决定" in page
    assert IssuedDocument.objects.filter(pk=issued.pk).exists()


def _file(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("notice.pdf", data, content_type="application/pdf")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_documents_issued_at_once_get_two_numbers(regions, departments, file_case, world):
    assert connection.vendor == "postgresql"
    first, second = _accept(world, file_case()), _accept(world, file_case())
    barrier = threading.Barrier(2)
    numbers, errors = [], []

    def issue(case):
        try:
            barrier.wait()
            numbers.append(complaint_document_issue(complaint=case, document="decision").number)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(case,)) for case in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(numbers)) == 2
    assert sorted(n.split("〕")[1] for n in numbers) == ["1号", "2号"]
