"""The special inspection report prints its closing date in the brackets of its
language: full-width （） in Chinese, ( ) in English."""

import pytest
from django.utils import timezone

from inspections.pdf import inspection_report_pdf
from inspections.services.inspections import inspection_close, inspection_findings_complete
from tests.pdftools import pdf_text

from .conftest import record_all

pytestmark = pytest.mark.django_db


def test_the_closing_date_is_bracketed_as_the_language_writes_it(world, requested):
    record_all(world.handler, requested, wanting=())
    inspection_findings_complete(actor=world.handler, inspection=requested)
    inspection_close(actor=world.handler, inspection=requested, conclusion="未发现问题")
    requested.refresh_from_db()
    day = timezone.localdate(requested.closed_at).isoformat()

    chinese = "".join(pdf_text(inspection_report_pdf(requested, language="zh-hans")).split())
    english = "".join(pdf_text(inspection_report_pdf(requested, language="en")).split())

    assert f"已办结（{day}）" in chinese and f"({day})" not in chinese
    assert f"closed({day})" in english.lower() and f"（{day}）" not in english
