"""Evidence uploads, checked by their content, never by their name.

Each file is sniffed by its magic number (``filetype``) and held to its size
limit; then it must be wholly what it claims to be:

* images are decoded in full by Pillow (``verify`` and ``load``): a damaged or
  cut-short image is refused, and so is a decompression bomb (more pixels than
  ``Image.MAX_IMAGE_PIXELS``);
* a polyglot is refused: another format (ZIP, PDF, a web page or script, a
  program) after the image's end marker, or a ``<script`` anywhere in it;
* a PDF must begin with ``%PDF-`` and carry no active content (JavaScript,
  launch actions, embedded files, rich media), also inside compressed streams;
* an MP4/MOV must begin with its ``ftyp`` box.

Each refusal has its own message, shown beside the field on the web form and
as the field's message (400) on the API.
"""

import io
import re
import zlib

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image

MB = 1024 * 1024

# content type → (what people call it, size limit)
ALLOWED = {
    "image/jpeg": (_("image"), 10 * MB),
    "image/png": (_("image"), 10 * MB),
    "image/webp": (_("image"), 10 * MB),
    "application/pdf": (_("PDF"), 20 * MB),
    "video/mp4": (_("video"), 50 * MB),
    "video/quicktime": (_("video"), 50 * MB),
}
MAX_FILES = 6

# The Pillow format an image's content must decode as.
PIL_FORMAT = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}

# Another format riding after an image's end: (signature, what people call it).
_TRAILING_FORMATS = [
    (re.compile(rb"PK\x03\x04|PK\x05\x06|PK\x07\x08"), _("a ZIP archive")),
    (re.compile(rb"%PDF"), _("a PDF document")),
    (
        re.compile(rb"<\s*(?:script|html|!doctype|svg|iframe|body|\?php)", re.IGNORECASE),
        _("a web page or script"),
    ),
    (re.compile(rb"\AMZ|\x7fELF|Rar!\x1a\x07|7z\xbc\xaf\x27\x1c"), _("a program or archive")),
]
# Inside an image itself only this one is specific enough to look for (a random
# run of image data matches it with odds of about one in 10^8 per 10 MB file).
_SCRIPT_TAG = re.compile(rb"<script", re.IGNORECASE)

# PDF names that make a document act on its own when opened.
_PDF_ACTIVE = {
    "JavaScript": "JavaScript",
    "JS": "JavaScript",
    "Launch": _("a launch action"),
    "EmbeddedFile": _("an embedded file"),
    "EmbeddedFiles": _("an embedded file"),
    "RichMedia": _("rich media"),
}
# The active names; names with a #xx escape are decoded first (_pdf_unescape).
_PDF_ACTIVE_NAME = re.compile(
    rb"/(" + b"|".join(n.encode() for n in sorted(_PDF_ACTIVE, key=len, reverse=True)) + rb")"
    rb"(?![A-Za-z0-9#])"
)
_PDF_ESCAPED_NAME = re.compile(rb"/([A-Za-z0-9]*#[0-9A-Fa-f]{2}[A-Za-z0-9#]*)")
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")
# At most this much decompressed PDF content is looked into (a zip bomb guard).
_PDF_INFLATE_LIMIT = 64 * MB


def limits_text() -> str:
    return _(
        "Images (JPEG, PNG, WebP) up to 10 MB, PDF up to 20 MB, short videos (MP4, MOV) "
        "up to 50 MB; at most %(n)s files."
    ) % {"n": MAX_FILES}


def check_upload(upload) -> None:
    """Refuse a file whose content is not an allowed type, is too large, or is not
    wholly and only what it claims to be (see the module's docstring).

    Sets ``upload.checked_content_type`` to the type its content shows.
    """
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    content_type = kind.mime if kind else None
    if content_type not in ALLOWED:
        raise _wrong_type(upload)
    label, limit = ALLOWED[content_type]
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a %(kind)s may be at most %(limit)s."),
            code="file_size",
            params={
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "kind": label,
                "limit": filesizeformat(limit),
            },
        )
    if content_type in PIL_FORMAT:
        _check_image(upload, content_type)
    elif content_type == "application/pdf":
        _check_pdf(upload)
    else:
        _check_video(upload, head)
    upload.checked_content_type = content_type


def _wrong_type(upload) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is not an image, PDF or video that we accept (its content was checked)."),
        code="file_type",
        params={"name": upload.name},
    )


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = b"".join(upload.chunks())
    upload.seek(0)
    return data


# --- images ----------------------------------------------------------------


def _check_image(upload, content_type: str) -> None:
    data = _read_all(upload)
    damaged = ValidationError(
        _(
            "“%(name)s” could not be read as a whole image: it is damaged or cut short. "
            "Please send the original picture or a new screenshot."
        ),
        code="image_damaged",
        params={"name": upload.name},
    )
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != PIL_FORMAT[content_type]:
                raise _wrong_type(upload)
            # Pillow refuses above twice MAX_IMAGE_PIXELS and only warns between.
            limit = Image.MAX_IMAGE_PIXELS
            if limit and image.width * image.height > limit:
                raise Image.DecompressionBombError(image.size)
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _(
                "“%(name)s” has more pixels than we accept (at most %(limit)s million). "
                "Please send a smaller picture, e.g. a screenshot."
            ),
            code="image_too_many_pixels",
            params={"name": upload.name, "limit": (Image.MAX_IMAGE_PIXELS or 0) // 1_000_000},
        ) from exc
    except Exception as exc:  # Pillow raises many kinds for a broken file
        raise damaged from exc
    end = _image_end(data, content_type)
    if end is None:
        raise damaged
    trailing = data[end:]
    for pattern, other in _TRAILING_FORMATS:
        if pattern.search(trailing):
            raise _polyglot(upload, other)
    if _SCRIPT_TAG.search(data, 0, end):
        raise _polyglot(upload, _("a web page or script"))


def _polyglot(upload, other) -> ValidationError:
    return ValidationError(
        _(
            "“%(name)s” hides %(other)s inside the picture. We accept the picture alone: "
            "please send the original picture or a new screenshot."
        ),
        code="file_polyglot",
        params={"name": upload.name, "other": other},
    )


def _image_end(data: bytes, content_type: str) -> int | None:
    """Where the image ends by its own structure (its end marker), or ``None``."""
    if content_type == "image/png":
        return _png_end(data)
    if content_type == "image/webp":
        if len(data) < 12:
            return None
        return 8 + int.from_bytes(data[4:8], "little")
    return _jpeg_end(data)


def _png_end(data: bytes) -> int | None:
    at = 8
    while at + 12 <= len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        chunk = data[at + 4 : at + 8]
        at += 12 + length
        if chunk == b"IEND":
            return at
    return None


def _jpeg_end(data: bytes) -> int | None:
    """After the EOI marker that closes the image: segments are skipped by their
    length (an EXIF thumbnail's own EOI is inside one), entropy-coded data up to
    the next marker that is not a stuffed byte or a restart."""
    if data[:2] != b"\xff\xd8":
        return None
    at, size = 2, len(data)
    while at < size:
        if data[at] != 0xFF:
            # entropy-coded data after a scan header
            at = data.find(b"\xff", at)
            if at < 0:
                return None
            continue
        marker = data[at + 1] if at + 1 < size else None
        if marker is None:
            return None
        if marker == 0xD9:
            return at + 2
        if marker in (0x00, 0xFF) or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            at += 1 if marker == 0xFF else 2
            continue
        if at + 4 > size:
            return None
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return None


# --- PDF -------------------------------------------------------------------


def _check_pdf(upload) -> None:
    data = _read_all(upload)
    if not data.startswith(b"%PDF-"):
        raise ValidationError(
            _(
                "“%(name)s” does not begin as a PDF document must. Please send the PDF "
                "as saved by the program that made it."
            ),
            code="pdf_header",
            params={"name": upload.name},
        )
    found = _pdf_active_content(data)
    if found:
        raise ValidationError(
            _(
                "“%(name)s” contains active content (%(what)s) that could run on the "
                "computer of whoever opens it. Please print it to a new PDF and send that."
            ),
            code="pdf_active_content",
            params={"name": upload.name, "what": found},
        )


def _pdf_unescape(text: bytes) -> bytes:
    """Names with their #xx escapes decoded ("/J#61vaScript" is "/JavaScript")."""
    return _PDF_ESCAPED_NAME.sub(
        lambda m: b"/" + re.sub(rb"#([0-9A-Fa-f]{2})", lambda h: bytes([int(h[1], 16)]), m[1]),
        text,
    )


def _pdf_active_content(data: bytes):
    """What active content the PDF carries (its label), or ``None``.

    Looked for in the document's dictionaries: the file with its streams' bodies
    cut out (binary image or font data would match "/JS" by chance about once in
    16 MB), and the inflated bodies of object streams, where a PDF 1.5+ keeps
    dictionaries compressed.
    """
    dictionaries = []
    budget = _PDF_INFLATE_LIMIT
    view = memoryview(data)
    at = 0
    while True:
        match = _PDF_STREAM.search(data, at)
        if match is None:
            dictionaries.append(_pdf_unescape(data[at:]))
            break
        head = _pdf_unescape(data[at : match.start()])
        dictionaries.append(head)
        end = data.find(b"endstream", match.end())
        end = len(data) if end < 0 else end
        last_dictionary = head[head.rfind(b"obj") :]
        if b"/ObjStm" in last_dictionary and budget > 0:
            try:
                inflated = zlib.decompressobj().decompress(view[match.end() : end], budget)
            except zlib.error:
                inflated = b""
            budget -= len(inflated)
            dictionaries.append(_pdf_unescape(inflated))
        at = end + len(b"endstream")
    for text in dictionaries:
        if found := _PDF_ACTIVE_NAME.search(text):
            return _PDF_ACTIVE[found[1].decode()]
    return None


# --- video -----------------------------------------------------------------


def _check_video(upload, head: bytes) -> None:
    if head[4:8] != b"ftyp":
        raise ValidationError(
            _(
                "“%(name)s” is not a standard MP4 or MOV video (it does not begin with "
                "its file-type box). Please send the video as your phone recorded or "
                "exported it."
            ),
            code="video_container",
            params={"name": upload.name},
        )
