"""The listing documents as set on the page: a decision for a normal case on at
most two pages, headings never at the foot of a page, the signature never alone,
and nothing a reader should not see (code names, English in a Chinese document)."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from blacklist.pdf import decision_pdf, notice_pdf, repair_decision_pdf
from blacklist.services.documents import entry_document_pdf
from blacklist.services.repair import entry_repair_accept, entry_repair_apply, entry_repair_decide
from portal.models import IssuedDocument
from tests.pdftools import (
    code_names,
    document_screenshot,
    english_words,
    pages_with_only_the_signature,
    pdf_pages,
    pdf_text,
)

from .test_lifecycle import SHANGHAI, listed  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

HEADINGS = ("所依据的决定", "联合惩戒措施", "救济途径", "决定")


def _headings_at_foot(content: bytes) -> list[str]:
    """Headings that end a page (nothing after them but the page number)."""
    stranded = []
    for page in pdf_pages(content)[:-1]:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith(("—", "文号", "核验", "http"))]
        if body and body[-1] in HEADINGS:
            stranded.append(body[-1])
    return stranded


@pytest.fixture
def repaired(listed, world):  # noqa: F811
    """A credit repair granted a year after the listing."""
    with time_machine.travel(datetime(2027, 3, 3, 9, tzinfo=SHANGHAI), tick=False):
        application = entry_repair_apply(
            actor=world.handler,
            entry=listed,
            applied_on=date(2027, 3, 3),
            grounds="已缴清罚款，已主动消除不良影响，一年内未再受较重行政处罚。",
        )
        entry_repair_accept(actor=world.handler, application=application)
        entry_repair_decide(
            actor=world.supervisor,
            application=application,
            granted=True,
            reason="符合提前移出条件。",
        )
    application.refresh_from_db()
    return application


def _issued(listed, world, render, repaired=None):  # noqa: F811
    subject = repaired if render is repair_decision_pdf else listed
    return entry_document_pdf(subject=subject, kind=_kind(render), actor=world.supervisor)


@pytest.mark.parametrize("render", [notice_pdf, decision_pdf])
def test_listing_documents_are_set_well(listed, world, render):  # noqa: F811
    content = _issued(listed, world, render)
    assert pages_with_only_the_signature(content, listed.department.name) == []
    assert _headings_at_foot(content) == []


@pytest.mark.parametrize("render", [notice_pdf, decision_pdf, repair_decision_pdf])
def test_listing_documents_fit_on_two_pages_and_read_as_chinese(
    listed,  # noqa: F811
    world,
    render,
    request,
):
    repaired = request.getfixturevalue("repaired") if render is repair_decision_pdf else None
    content = _issued(listed, world, render, repaired)
    pages = pdf_pages(content)
    assert len(pages) <= 2
    assert pages_with_only_the_signature(content, listed.department.name) == []
    issued = IssuedDocument.objects.get(kind__code__in=[_kind(render)])
    text = pdf_text(content)
    assert issued.number in text
    assert code_names(text) == []
    assert english_words(text, allowed=(issued.code,)) == []
    document_screenshot(content, _kind(render))


def _kind(render) -> str:
    from blacklist.services.documents import RENDERS

    return next(kind for kind, made_by in RENDERS.items() if made_by is render)


def test_the_numbers_issued_are_on_the_entry_page_and_in_the_api(
    client,
    listed,  # noqa: F811
    world,
    repaired,
):
    _issued(listed, world, decision_pdf)
    _issued(listed, world, repair_decision_pdf, repaired)
    numbers = set(IssuedDocument.objects.values_list("number", flat=True))
    assert len(numbers) == 2
    client.force_login(world.handler)
    page = client.get(reverse("blacklist:entry", args=[listed.pk])).content.decode()
    assert all(number in page for number in numbers)
    api = client.get(f"/api/v1/blacklist/entries/{listed.pk}/").json()
    assert {document["number"] for document in api["documents"]} == numbers
