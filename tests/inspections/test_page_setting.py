"""The inspection documents as set on the page: the rectification order, the
transfer letter and the interview minutes on at most two pages, the closed
inspection's report whole; the signature never alone on a page; no code names
and no English in a Chinese document."""

import pytest
from django.urls import reverse

from inspections.services.clues import clue_transfer
from inspections.services.documents import inspection_document_pdf
from inspections.services.inspections import inspection_close, inspection_verify
from portal.models import IssuedDocument
from tests.pdftools import (
    code_names,
    document_screenshot,
    english_words,
    pages_with_only_the_signature,
    pdf_pages,
    pdf_text,
)

from .test_interviews import _hold, interview  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _read_well(
    content: bytes, *, signer: str, kind: str, max_pages: int | None, allowed=()
) -> None:
    pages = pdf_pages(content)
    if max_pages is not None:
        assert len(pages) <= max_pages
    assert pages_with_only_the_signature(content, signer) == []
    issued = IssuedDocument.objects.get(kind__code=kind)
    text = pdf_text(content)
    assert issued.number in text
    assert code_names(text) == []
    assert english_words(text, allowed=(issued.code, *allowed)) == []
    document_screenshot(content, kind)


def test_a_rectification_order_fits_on_one_page(world, ordered):
    order = ordered.rectification_orders.get()
    content = inspection_document_pdf(
        subject=order, kind="rectification-order", actor=world.handler
    )
    _read_well(content, signer=world.hz_market.name, kind="rectification-order", max_pages=1)


def test_a_closed_inspection_report_is_set_well(world, reported):
    inspection_verify(
        actor=world.handler, inspection=reported, method="documents", passed=True, note="已上线"
    )
    inspection_close(actor=world.handler, inspection=reported, conclusion="整改到位，结案")
    reported.refresh_from_db()
    content = inspection_document_pdf(
        subject=reported, kind="inspection-report", actor=world.handler
    )
    _read_well(
        content,
        signer=world.hz_market.name,
        kind="inspection-report",
        max_pages=None,
        allowed=(world.platform.uscc,),  # the platform's unified social credit code
    )


def test_a_transfer_letter_fits_on_one_page(world):
    transfer = clue_transfer(
        actor=world.handler,
        to_department=world.departments["zj_cyber"],
        facts="直播间发布违法广告内容，涉及多名用户。",
        reason="涉及网络信息内容，属网信部门职责。",
    )
    content = inspection_document_pdf(subject=transfer, kind="transfer-letter", actor=world.handler)
    _read_well(content, signer=world.hz_market.name, kind="transfer-letter", max_pages=1)


def test_interview_minutes_fit_on_two_pages(world, interview):  # noqa: F811
    _hold(world, interview)
    interview.refresh_from_db()
    content = inspection_document_pdf(
        subject=interview, kind="interview-minutes", actor=world.handler
    )
    _read_well(content, signer=world.hz_market.name, kind="interview-minutes", max_pages=2)


def test_the_numbers_issued_are_on_the_inspection_page(client, world, ordered):
    order = ordered.rectification_orders.get()
    inspection_document_pdf(subject=order, kind="rectification-order", actor=world.handler)
    issued = IssuedDocument.objects.get()
    client.force_login(world.handler)
    page = client.get(reverse("inspections:inspection", args=[ordered.pk])).content.decode()
    assert issued.number in page and f"/verify/{issued.code}/" in page
