"""PDF documents (notices, decisions, receipts, reports) rendered by WeasyPrint.

Templates extend ``pdf/base.html``, which sets the page after the layout of
Chinese official documents (GB/T 9704: A4, 28 mm left margin; the top and
bottom margins a little narrower, 32 mm and 30 mm, the foot holding the
verification block, so that a decision for a normal case fits on two pages) and uses
Noto CJK (Debian's ``fonts-noto-cjk``), so Chinese text is embedded in a real
CJK font, never drawn as boxes.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import override

# WeasyPrint logs every unsupported CSS property at WARNING; they are ours to fix
# in the templates, not the reader's to see.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def render_pdf(template: str, context: dict, *, language: str | None = None) -> bytes:
    """Render ``template`` with ``context`` to PDF bytes, in ``language`` if given."""

    def _render() -> bytes:
        return html_to_pdf(render_to_string(template, context))

    if language:
        with override(language):
            return _render()
    return _render()


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of ``html`` (static files resolved from ``static/``)."""
    from weasyprint import HTML  # imported late: it loads pango at import time

    return HTML(string=html, base_url=str(Path(settings.BASE_DIR) / "static")).write_pdf()


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
