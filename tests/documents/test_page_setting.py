"""The case documents as set on the page: a receipt on one page, a decision notice
on at most two, the signature never alone on a page, English receipts in English,
Chinese ones with no code names or English."""

import pytest

from complaints.services.documents import complaint_document_issue, complaint_document_pdf
from complaints.services.workflow import complaint_accept, complaint_assign, complaint_decline
from portal.documents import document_content
from tests.pdftools import (
    code_names,
    document_screenshot,
    english_words,
    pages_with_only_the_signature,
    pdf_pages,
    pdf_text,
)

pytestmark = pytest.mark.django_db


def _accept(world, case):
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    return complaint_accept(complaint=case, actor=world.handler, message="予以受理")


def _decline(world, case):
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    return complaint_decline(
        complaint=case, actor=world.handler, reason="already_handled", message="法院已受理"
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_receipt_is_one_page(world, file_case, language):
    case = file_case(language=language)
    content = complaint_document_pdf(complaint=case, document="receipt")
    assert len(pdf_pages(content)) == 1


def test_an_anonymous_english_receipt_reads_as_english(world, file_case):
    case = file_case(
        kind="report", language="en", anonymous=True, contact_name="", contact_phone=""
    )
    text = " ".join(pdf_text(complaint_document_pdf(complaint=case, document="receipt")).split())
    assert f"your access key, {case.access_key}." in text
    assert "。" not in text and "gave(" not in text


def test_the_acceptance_notice_is_at_most_two_pages_and_signed_with_text(world, file_case):
    case = _accept(world, file_case())
    content = complaint_document_pdf(complaint=case, document="decision")
    assert len(pdf_pages(content)) <= 2
    assert pages_with_only_the_signature(content, case.department.name) == []


@pytest.mark.parametrize(
    ("document", "make", "name", "max_pages"),
    [
        ("receipt", None, "complaint-receipt", 1),
        ("decision", _accept, "complaint-acceptance", 2),
        ("decision", _decline, "complaint-decline", 2),
    ],
)
def test_chinese_case_documents_read_as_chinese(world, file_case, document, make, name, max_pages):
    case = file_case()
    if make is not None:
        case = make(world, case)
    issued = complaint_document_issue(complaint=case, document=document)
    content = document_content(issued)
    assert len(pdf_pages(content)) <= max_pages
    assert pages_with_only_the_signature(content, case.department.name) == []
    text = pdf_text(content)
    assert issued.number in text
    assert code_names(text) == []
    # What the consumer gave and the codes the portal gave the case stay as they are.
    allowed = (issued.code, case.tracking_code, case.access_key, case.live_room_account)
    assert english_words(text, allowed=allowed) == []
    document_screenshot(content, name)
