"""Uploads, checked by their content, never by their name: the one checker
every upload path uses (evidence, penalty-decision documents, rosters, filing
and screening CSV files, inspection and platform answers).

Each file is sniffed by its magic number (``filetype``) and held to the limits
of what the path accepts (an :class:`UploadPolicy`: which types, how large);
then it must be wholly what it claims to be:

* images: the width × height their header states is bounded *before* any pixel
  is decoded (``IMAGE_MAX_PIXELS``, so that decoding one takes at most
  ``IMAGE_MAX_PIXELS`` × 4 bytes), then they are decoded in full by Pillow
  (``verify`` and ``load``): a damaged or cut-short image is refused;
* a polyglot is refused: another format (ZIP, PDF, a web page or script, a
  program) after the image's end marker, or a ``<script`` anywhere in it;
* a PDF must begin with ``%PDF-``, be readable by qpdf (``pikepdf``), carry no
  active content (JavaScript, launch actions, embedded files, rich media)
  in any object, whatever the encoding of the object streams that hold them
  (uncompressed, ASCIIHex, ASCII85, Flate …, decoded by qpdf), and hold no
  ``<script`` or web page;
* an MP4/MOV must begin with its ``ftyp`` box;
* a CSV file must be text (UTF-8 or GB18030, no NUL byte), an XLSX workbook a
  ZIP whose members unpack to a bounded size.

Each refusal has its own message, shown beside the field on a form and as the
field's message (400) on the API.
"""

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

import filetype
import pikepdf
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image

MB = 1024 * 1024

# Decoding an image holds all its pixels at once (up to 4 bytes each, RGBA):
# 25 million pixels (a 24-megapixel photo, a 1080 × 23,000 scrolling
# screenshot) is at most 100 MB while it is checked; images are checked one
# after the other and let go before the next (bench/upload_memory.py).
IMAGE_MAX_PIXELS = 25_000_000

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An XLSX is a ZIP: its members may unpack to at most this much (a zip bomb guard).
XLSX_MAX_UNPACKED = 200 * MB


@dataclass(frozen=True)
class UploadPolicy:
    """What one upload path accepts: content type → (what people call it, size limit),
    and the message for anything else."""

    types: dict
    wrong_type: Promise


# Evidence: the public form, staff and platform answers, inspection files.
EVIDENCE = UploadPolicy(
    types={
        "image/jpeg": (_("image"), 10 * MB),
        "image/png": (_("image"), 10 * MB),
        "image/webp": (_("image"), 10 * MB),
        "application/pdf": (_("PDF"), 20 * MB),
        "video/mp4": (_("video"), 50 * MB),
        "video/quicktime": (_("video"), 50 * MB),
    },
    wrong_type=_(
        "“%(name)s” is not an image, PDF or video that we accept (its content was checked)."
    ),
)
ALLOWED = EVIDENCE.types
MAX_FILES = 6

# A copy of a penalty decision (blacklist proposals).
DECISION_DOCUMENT = UploadPolicy(
    types={
        "application/pdf": (_("PDF"), 10 * MB),
        "image/png": (_("image"), 10 * MB),
        "image/jpeg": (_("image"), 10 * MB),
    },
    wrong_type=_("“%(name)s” is not a PDF, PNG or JPEG file (its content was checked)."),
)


def file_kind(content_type: str) -> str:
    """What people call a stored file of ``content_type`` (an image, a PDF, a video), in
    the reader's language: what pages show instead of the content type."""
    for policy in (EVIDENCE, DECISION_DOCUMENT, data_file_policy(limit=0, xlsx=True)):
        if content_type in policy.types:
            return str(policy.types[content_type][0])
    return str(_("file"))


def data_file_policy(*, limit: int, xlsx: bool) -> UploadPolicy:
    """A CSV (and, with ``xlsx``, an XLSX workbook) of at most ``limit`` bytes."""
    types = {CSV: (_("CSV file"), limit)}
    if xlsx:
        types[XLSX] = (_("XLSX workbook"), limit)
        wrong = _("“%(name)s” is not a CSV file or an XLSX workbook (its content was checked).")
    else:
        wrong = _("“%(name)s” is not a CSV file (its content was checked).")
    return UploadPolicy(types=types, wrong_type=wrong)


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
# Inside an image or a PDF only this one is specific enough to look for (a random
# run of compressed data matches it with odds of about one in 10^8 per 10 MB file).
_SCRIPT_TAG = re.compile(rb"<script", re.IGNORECASE)
# A web page where a browser sniffs a document's start.
_WEB_PAGE_START = re.compile(rb"<\s*(?:script|html|!doctype|svg|iframe|body|\?php)", re.IGNORECASE)

# PDF names that make a document act on its own when opened.
_PDF_ACTIVE = {
    "JavaScript": "JavaScript",
    "JS": "JavaScript",
    "Launch": _("a launch action"),
    "EmbeddedFile": _("an embedded file"),
    "EmbeddedFiles": _("an embedded file"),
    "RichMedia": _("rich media"),
}
# The active names as raw bytes, for object streams qpdf could not parse;
# names with a #xx escape are decoded first (_pdf_unescape).
_PDF_ACTIVE_NAME = re.compile(
    rb"/(" + b"|".join(n.encode() for n in sorted(_PDF_ACTIVE, key=len, reverse=True)) + rb")"
    rb"(?![A-Za-z0-9#])"
)
_PDF_ESCAPED_NAME = re.compile(rb"/([A-Za-z0-9]*#[0-9A-Fa-f]{2}[A-Za-z0-9#]*)")
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")
# At most this much decompressed object-stream content is looked into (a zip bomb
# guard: a Flate object stream that inflates beyond it is refused before qpdf
# would inflate it).
_PDF_INFLATE_LIMIT = 64 * MB


def limits_text() -> str:
    return _(
        "Images (JPEG, PNG, WebP) up to 10 MB, PDF up to 20 MB, short videos (MP4, MOV) "
        "up to 50 MB; at most %(n)s files."
    ) % {"n": MAX_FILES}


def check_upload(upload, policy: UploadPolicy = EVIDENCE) -> None:
    """Refuse a file whose content is not a type ``policy`` accepts, is too large,
    or is not wholly and only what it claims to be (see the module's docstring).

    Sets ``upload.checked_content_type`` to the type its content shows.
    """
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    content_type = kind.mime if kind else None
    if content_type is None and CSV in policy.types:
        content_type = CSV  # text has no magic number: _check_text says whether it is
    if content_type not in policy.types:
        raise _wrong_type(upload, policy)
    label, limit = policy.types[content_type]
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
        _check_image(upload, content_type, policy)
    elif content_type == "application/pdf":
        _check_pdf(upload)
    elif content_type == CSV:
        _check_text(upload, policy)
    elif content_type == XLSX:
        _check_xlsx(upload)
    else:
        _check_video(upload, head)
    upload.checked_content_type = content_type


def upload_validator(policy: UploadPolicy):
    """``check_upload`` with ``policy``, as a form field's validator."""

    def validate(upload) -> None:
        check_upload(upload, policy)

    return validate


def _wrong_type(upload, policy: UploadPolicy = EVIDENCE) -> ValidationError:
    return ValidationError(policy.wrong_type, code="file_type", params={"name": upload.name})


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = b"".join(upload.chunks())
    upload.seek(0)
    return data


# --- images ----------------------------------------------------------------


def _check_image(upload, content_type: str, policy: UploadPolicy = EVIDENCE) -> None:
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
                raise _wrong_type(upload, policy)
            # From the header alone, before a pixel is decoded: this bounds the
            # memory that load() takes below (Pillow's own limit is far higher).
            if image.width * image.height > IMAGE_MAX_PIXELS:
                raise Image.DecompressionBombError(image.size)
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
        del image  # its pixels are let go before the next file is checked
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _(
                "“%(name)s” has more pixels than we accept (at most %(limit)s million). "
                "Please send a smaller picture, e.g. a screenshot."
            ),
            code="image_too_many_pixels",
            params={"name": upload.name, "limit": IMAGE_MAX_PIXELS // 1_000_000},
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
    if (
        _SCRIPT_TAG.search(data)
        or _WEB_PAGE_START.search(data, 0, 1024)  # where a browser sniffs
        or _WEB_PAGE_START.search(data, max(data.rfind(b"%%EOF"), 0))  # riding after the end
    ):
        raise ValidationError(
            _(
                "“%(name)s” holds a web page or script besides the document. Please print "
                "it to a new PDF and send that."
            ),
            code="pdf_polyglot",
            params={"name": upload.name},
        )
    try:
        found = _pdf_active_content(data)
    except (pikepdf.PdfError, ValueError, RecursionError) as exc:
        raise ValidationError(
            _(
                "“%(name)s” could not be read as a PDF document: it is damaged or cut "
                "short. Please send the PDF as saved by the program that made it."
            ),
            code="pdf_damaged",
            params={"name": upload.name},
        ) from exc
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


# What marks an object as active, by its keys and by its names' values.
_ACTIVE_KEYS = {
    "/JS": "JS",
    "/JavaScript": "JavaScript",
    "/EmbeddedFiles": "EmbeddedFiles",
    "/EF": "EmbeddedFile",
    "/RichMediaContent": "RichMedia",
}
_ACTIVE_VALUES = {
    "/JavaScript": "JavaScript",
    "/Launch": "Launch",
    "/EmbeddedFile": "EmbeddedFile",
    "/RichMedia": "RichMedia",
}


def _pdf_active_content(data: bytes):
    """What active content the PDF carries (its label), or ``None``.

    First the raw text of the file (stream bodies cut out: binary image or font
    data would match "/JS" by chance about once in 16 MB) and the inflated
    bodies of Flate object streams are searched for the active names, which
    also catches objects in a file too broken to parse. Then qpdf (pikepdf)
    reads the document, repairing what it can, and every object is looked at,
    including those inside object streams, which qpdf decodes whatever their
    filters (none, ASCIIHex, ASCII85, Flate, LZW, RunLength); their decoded
    bodies are searched as well. A PDF that qpdf cannot open at all raises
    ``pikepdf.PdfError``; one whose object streams inflate beyond
    ``_PDF_INFLATE_LIMIT`` raises ``ValueError`` (before qpdf inflates them).
    """
    for text in _pdf_raw_texts(data):
        if found := _PDF_ACTIVE_NAME.search(text):
            return _PDF_ACTIVE[found[1].decode()]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                if obj.get("/Type") == pikepdf.Name.ObjStm:
                    body = _pdf_unescape(obj.read_bytes())
                    if found := _PDF_ACTIVE_NAME.search(body):
                        return _PDF_ACTIVE[found[1].decode()]
                dictionary = obj.stream_dict
            elif isinstance(obj, pikepdf.Dictionary):
                dictionary = obj
            else:
                continue
            if found := _pdf_active_dictionary(dictionary):
                return _PDF_ACTIVE[found]
    return None


def _pdf_active_dictionary(dictionary) -> str | None:
    for key, value in dictionary.items():
        if key in _ACTIVE_KEYS:
            return _ACTIVE_KEYS[key]
        if isinstance(value, pikepdf.Name) and str(value) in _ACTIVE_VALUES:
            return _ACTIVE_VALUES[str(value)]
    return None


def _pdf_raw_texts(data: bytes) -> list[bytes]:
    """The file's dictionaries as raw text (its streams' bodies cut out), and the
    inflated bodies of its Flate object streams; ``ValueError`` when these
    inflate beyond ``_PDF_INFLATE_LIMIT`` (a zip bomb)."""
    texts, budget, at = [], _PDF_INFLATE_LIMIT, 0
    while (match := _PDF_STREAM.search(data, at)) is not None:
        head = _pdf_unescape(data[at : match.start()])
        texts.append(head)
        end = data.find(b"endstream", match.end())
        end = len(data) if end < 0 else end
        last_dictionary = head[head.rfind(b"obj") :]
        if b"/ObjStm" in last_dictionary and b"/FlateDecode" in last_dictionary:
            try:
                inflated = zlib.decompressobj().decompress(data[match.end() : end], budget + 1)
            except zlib.error:
                inflated = b""  # not Flate alone: qpdf decodes it (or refuses it)
            budget -= len(inflated)
            if budget < 0:
                raise ValueError("object streams inflate beyond the limit")
            texts.append(_pdf_unescape(inflated))
        at = end + len(b"endstream")
    texts.append(_pdf_unescape(data[at:]))
    return texts


# --- data files (CSV, XLSX) ---------------------------------------------------


def _check_text(upload, policy: UploadPolicy) -> None:
    """A CSV file is text: UTF-8 (with or without BOM) or GB18030, no NUL byte.
    Anything else (a picture, a program, a document renamed .csv) is refused."""
    data = _read_all(upload)
    if b"\x00" in data:
        raise _wrong_type(upload, policy)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
            return
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _("“%(name)s” is not text in UTF-8 or GB18030. Please save it as CSV in UTF-8."),
        code="text_encoding",
        params={"name": upload.name},
    )


def _check_xlsx(upload) -> None:
    """An XLSX workbook is a ZIP that opens and whose members unpack to at most
    ``XLSX_MAX_UNPACKED`` (as its central directory states; the reader stops at
    the stated size)."""
    damaged = ValidationError(
        _("“%(name)s” could not be read as an XLSX workbook: it is damaged or cut short."),
        code="xlsx_damaged",
        params={"name": upload.name},
    )
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise damaged from exc
    finally:
        upload.seek(0)
    if not any(member.filename == "xl/workbook.xml" for member in members):
        raise damaged
    if sum(member.file_size for member in members) > XLSX_MAX_UNPACKED:
        raise ValidationError(
            _(
                "“%(name)s” unpacks to more than %(limit)s. Please split the rows over "
                "several files."
            ),
            code="xlsx_too_large",
            params={"name": upload.name, "limit": filesizeformat(XLSX_MAX_UNPACKED)},
        )


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
