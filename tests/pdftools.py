"""Read generated PDFs back as a person would: their text and their fonts."""

import os
import re
import shutil
import subprocess

import pytest


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} (poppler-utils) is missing")
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return path


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        [_tool("pdftotext"), "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def pdf_fonts(content: bytes) -> str:
    result = subprocess.run(
        [_tool("pdffonts"), "-"], input=content, capture_output=True, check=False
    )
    if result.returncode != 0:  # older pdffonts cannot read stdin
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(content)
            handle.flush()
            result = subprocess.run(
                [_tool("pdffonts"), handle.name], capture_output=True, check=True
            )
    return result.stdout.decode("utf-8")


# --- PDFs made here, for upload tests (saved by qpdf, so that they are whole) -----


def _saved(pdf, **options) -> bytes:
    import io

    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, **options)
    return out.getvalue()


def blank_pdf() -> bytes:
    """A genuine one-page PDF, as a program would save it."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    return _saved(pdf)


def pdf_with_image_bytes(pixels: bytes) -> bytes:
    """A genuine scan: one page showing an image whose raw data is ``pixels``."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    image = pikepdf.Stream(pdf, pixels)
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height = len(pixels), 1
    image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceGray, 8
    pdf.pages[0].Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    return _saved(pdf, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)


def pdf_with_javascript_in_object_stream(encoding: str) -> bytes:
    """A PDF whose OpenAction runs JavaScript, the action's dictionary inside an
    object stream encoded with ``encoding`` (none, ASCIIHex, ASCII85, Flate)."""
    import base64
    import re
    import zlib

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    )
    data = _saved(
        pdf,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=False,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
    )
    found = re.search(rb"<< /Type /ObjStm /Length (\d+) (.*?)>>\nstream\n", data)
    length = int(found[1])
    body = data[found.end() : found.end() + length]
    encoded, filter_ = {
        "none": (body, b""),
        "ASCIIHex": (body.hex().encode() + b">", b"/Filter /ASCIIHexDecode "),
        "ASCII85": (base64.a85encode(body) + b"~>", b"/Filter /ASCII85Decode "),
        "Flate": (zlib.compress(body), b"/Filter /FlateDecode "),
    }[encoding]
    # The offsets after it move: qpdf rebuilds the cross-reference table, as
    # readers do.
    return (
        data[: found.start()]
        + b"<< /Type /ObjStm "
        + filter_
        + b"/Length %d " % len(encoded)
        + found[2]
        + b">>\nstream\n"
        + encoded
        + data[found.end() + length :]
    )


# --- page setting --------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The verification block every issued document ends with (Chinese and English).
_VERIFICATION = (
    "文号：",
    "核验码：",
    "核验网址",
    "Document number:",
    "Verification code:",
    "Verify",
)


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page (pdftotext's form feeds), the last empty one dropped."""
    pages = pdf_text(content).split("\f")
    return [page for page in pages if page.strip()]


def pages_with_only_the_signature(content: bytes, signer: str) -> list[int]:
    """The pages after the first that hold, besides the signature (the signer and a
    date), the page number and the verification block, fewer than two lines of text."""
    lonely = []
    for number, page in enumerate(pdf_pages(content), start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        if number == 1 or not any(signer in line for line in lines):
            continue
        rest = [
            line
            for line in lines
            if signer not in line
            and not _PAGE_NUMBER.match(line)
            and not _DATE.match(line)
            and not line.startswith(_VERIFICATION)
            and "/verify/" not in line
        ]
        if len(rest) < 2:
            lonely.append(number)
    return lonely


def first_page_png(content: bytes, path, *, resolution: int = 60) -> None:
    """Write the first page of ``content`` to ``path`` (a PNG, by pdftoppm)."""
    from pathlib import Path

    path = Path(path)
    subprocess.run(
        [
            _tool("pdftoppm"),
            "-png",
            "-r",
            str(resolution),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            "-",
            str(path.with_suffix("")),
        ],
        input=content,
        capture_output=True,
        check=True,
    )


# Code names of the portal's own (clock, document type, rule codes) that a reader
# of a document must never see.
CODE_NAME = re.compile(r"\b[a-z]+(?:-[a-z]+)+\b")
# A word of Latin letters in a Chinese document, other than what a Chinese
# official document also prints that way (the verification address, SHA-256, a QR).
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def code_names(text: str) -> list[str]:
    """The code names (``blacklist-statement``) in ``text``, web addresses aside."""
    text = re.sub(r"https?://\S+", "", text)
    return CODE_NAME.findall(text)


def english_words(text: str, *, allowed: tuple[str, ...] = ()) -> list[str]:
    """The words of Latin letters in ``text`` (a Chinese document), its web
    addresses and ``allowed`` (codes, references it prints) aside."""
    text = re.sub(r"https?://\S+", "", text)
    for word in allowed:
        text = text.replace(word, "")
    return _LATIN_WORD.findall(text)


def document_screenshot(content: bytes, name: str) -> None:
    """With ``DOCUMENT_SCREENSHOTS=1``, the first page of ``content`` goes to
    ``docs/screenshots/document-<name>.png`` (60 dpi)."""
    if os.environ.get("DOCUMENT_SCREENSHOTS") != "1":
        return
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    first_page_png(content, folder / f"document-{name}.png")
