"""Official documents as issued: numbered (文号), stored, verifiable and signed.

A document is issued the first time it is asked for: the next number of its
department, type and year is taken under a row lock (never given twice, never
reused: a failed issue rolls back with its number), the PDF is rendered with
that number, a QR code and a short verification code, signed (PAdES, pyHanko)
with the department's certificate when one is configured, and stored with its
SHA-256. Later downloads serve the stored file. ``/verify/<code>/`` shows what
was issued and tells whether a file is byte-for-byte that one.

The kernel knows the documents' owners only as generic relations: the owner
passes its record, the department, the document type's code, the issuer's
name, the party's masked label and a function that renders the PDF.
"""

import base64
import hashlib
import io
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import actor_user, audit_record
from .codes import readable_code
from .errors import DomainError
from .models import DocumentCounter, DocumentKind, DocumentPrefix, IssuedDocument

CODE_LENGTH = 10
DEMO_PASSWORD_ENV = "PORTAL_DEMO_SIGNING_PASSWORD"  # noqa: S105 - the name of a variable


@dataclass(frozen=True)
class Issue:
    """What a document shows of its own issue: number, verification code and URL, QR."""

    number: str
    code: str
    url: str
    qr: str  # an SVG data URI


def verify_url(code: str) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}/verify/{code}/"


def qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def document_prefix(department) -> str:
    """The department's prefix set in the admin, else its name."""
    row = DocumentPrefix.objects.filter(department=department).first()
    return row.prefix if row else str(department)


def document_number(prefix: str, character: str, year: int, sequence: int) -> str:
    return f"{prefix}{character}〔{year}〕{sequence}号"


def document_for(subject, kind: str) -> IssuedDocument | None:
    """The document of type ``kind`` in force for ``subject``, if one was issued."""
    return (
        IssuedDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
            kind__code=kind,
            revoked_at__isnull=True,
        )
        .select_related("kind")
        .first()
    )


def documents_of(subject) -> list[IssuedDocument]:
    """Every document issued for ``subject``, revoked ones included, newest first."""
    return list(
        IssuedDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
        ).select_related("kind")
    )


def documents_of_all(subjects) -> list[IssuedDocument]:
    """Every document issued for any of ``subjects`` (records of one model or
    several), revoked ones included, newest first: one query."""
    wanted = Q()
    for subject in subjects:
        wanted |= Q(content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk)
    if not wanted:
        return []
    return list(IssuedDocument.objects.filter(wanted).select_related("kind"))


def documents_attach(subjects, *, attr: str = "issued_documents") -> None:
    """Set on each of ``subjects`` (records of one model or several) the list of
    documents issued for it, revoked ones included, newest first, as ``attr``: one
    query for them all, so that a list shows its rows' numbers at the cost of one."""
    subjects = list(subjects)
    by_subject: dict[tuple[int, int], list[IssuedDocument]] = {}
    ids_by_type: dict[int, list[int]] = {}
    for subject in subjects:
        content_type = ContentType.objects.get_for_model(subject)
        ids_by_type.setdefault(content_type.pk, []).append(subject.pk)
        by_subject[(content_type.pk, subject.pk)] = []
    wanted = Q()
    for content_type_id, ids in ids_by_type.items():
        wanted |= Q(content_type_id=content_type_id, object_id__in=ids)
    if wanted:
        for document in IssuedDocument.objects.filter(wanted).select_related("kind"):
            by_subject[(document.content_type_id, document.object_id)].append(document)
    for subject in subjects:
        content_type = ContentType.objects.get_for_model(subject)
        setattr(subject, attr, by_subject[(content_type.pk, subject.pk)])


def _next_sequence(*, department, kind: DocumentKind, year: int) -> int:
    """The next sequence of (department, kind, year), its counter row locked until
    the caller's transaction ends."""
    try:
        with transaction.atomic():
            DocumentCounter.objects.get_or_create(department=department, kind=kind, year=year)
    except IntegrityError:  # another issue created the row first
        pass
    counter = DocumentCounter.objects.select_for_update().get(
        department=department, kind=kind, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _new_code() -> str:
    while True:
        code = readable_code(CODE_LENGTH)
        if not IssuedDocument.objects.filter(code=code).exists():
            return code


def document_issue(
    *,
    subject,
    kind: str,
    department,
    issuer: str,
    party: str,
    render: Callable[[Issue], bytes],
    signer_key: str = "",
    language: str = "zh-hans",
    actor=None,
) -> tuple[IssuedDocument, bool]:
    """The document of type ``kind`` for ``subject``: the one issued before, else a
    new one, numbered, rendered by ``render(issue)``, signed and stored. Returns the
    document and whether it was issued now."""
    existing = document_for(subject, kind)
    if existing is not None:
        return existing, False
    kind_row = DocumentKind.objects.filter(code=kind).first()
    if kind_row is None:
        raise DomainError(_("This type of document is not set up."), code="document_kind")
    year = timezone.localdate().year
    with transaction.atomic():
        sequence = _next_sequence(department=department, kind=kind_row, year=year)
        # The counter lock orders issues of one type: one made meanwhile is found here.
        existing = document_for(subject, kind)
        if existing is not None:
            transaction.set_rollback(True)
            return existing, False
        number = document_number(document_prefix(department), kind_row.character, year, sequence)
        code = _new_code()
        issue = Issue(
            number=number, code=code, url=verify_url(code), qr=qr_data_uri(verify_url(code))
        )
        data, signed_by = sign_pdf(render(issue), signer_key)
        document = IssuedDocument(
            number=number,
            kind=kind_row,
            department=department,
            year=year,
            sequence=sequence,
            issuer=issuer[:200],
            party=party[:200],
            language=language,
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
            code=code,
            sha256=hashlib.sha256(data).hexdigest(),
            signed_by=signed_by,
            issued_by=actor_user(actor),
        )
        document.file.save(f"{code}.pdf", ContentFile(data), save=False)
        document.full_clean(exclude=["file"])
        document.save()
        audit_record(
            actor=actor,
            action="document.issue",
            subject=document,
            data={"number": number, "sha256": document.sha256, "signed_by": signed_by},
        )
    return document, True


def document_content(document: IssuedDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def document_matches(document: IssuedDocument, data: bytes) -> bool:
    """Whether ``data`` is byte for byte the issued file."""
    return secrets.compare_digest(hashlib.sha256(data).hexdigest(), document.sha256)


def document_revoke(*, document: IssuedDocument, actor, reason: str) -> IssuedDocument:
    """Mark ``document`` revoked (a decision withdrawn on review). It stays, and its
    verification page says it was revoked, when and why."""
    if not reason.strip():
        raise DomainError(_("Give the reason for revoking the document."), code="reason")
    with transaction.atomic():
        document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        if document.revoked_at is not None:
            return document
        document.revoked_at = timezone.now()
        document.revoked_reason = reason.strip()
        document.revoked_by = actor_user(actor)
        document.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
        audit_record(
            actor=actor,
            action="document.revoke",
            subject=document,
            reason=document.revoked_reason,
            data={"number": document.number},
        )
    return document


# --- signatures ---------------------------------------------------------------


def _signer_files(signer_key: str) -> tuple[Path, bytes] | None:
    """The PKCS#12 file and password of ``signer_key``: named by environment
    variables (``DOCUMENT_SIGNERS``), else, in the demo, the certificate
    ``seed_demo`` made. Never read from the database."""
    names = settings.DOCUMENT_SIGNERS.get(signer_key)
    if names:
        path, password = os.environ.get(names["p12"]), os.environ.get(names["password"], "")
        if path:
            return Path(path), password.encode()
    demo = settings.DOCUMENT_DEMO_SIGNING_DIR
    if demo and signer_key and (Path(demo) / f"{signer_key}.p12").exists():
        password = os.environ.get(DEMO_PASSWORD_ENV, "demo-only")
        return Path(demo) / f"{signer_key}.p12", password.encode()
    return None


def sign_pdf(data: bytes, signer_key: str) -> tuple[bytes, str]:
    """``data`` signed (PAdES) with ``signer_key``'s certificate, and the signer's
    name; unchanged and ``""`` when no certificate is configured."""
    files = _signer_files(signer_key) if signer_key else None
    if files is None:
        return data, ""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    path, password = files
    signer = signers.SimpleSigner.load_pkcs12(pfx_file=str(path), passphrase=password or None)
    if signer is None:
        raise DomainError(_("The department's signing certificate could not be read."))
    meta = signers.PdfSignatureMetadata(
        field_name="Signature",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), meta, signer=signer)
    name = signer.signing_cert.subject.native.get("organization_name") or (
        signer.signing_cert.subject.human_friendly
    )
    return out.getvalue(), name


def trust_roots() -> list:
    from pyhanko.keys import load_cert_from_pemder

    paths = list(settings.DOCUMENT_TRUST_ROOTS)
    demo = settings.DOCUMENT_DEMO_SIGNING_DIR
    if demo and (Path(demo) / "ca.pem").exists():
        paths.append(Path(demo) / "ca.pem")
    return [load_cert_from_pemder(str(path)) for path in paths]


@dataclass(frozen=True)
class SignatureStatus:
    signed: bool
    valid: bool
    signer: str = ""


def signature_status(data: bytes) -> SignatureStatus:
    """Whether ``data`` carries a signature, and whether pyHanko finds it intact and
    from a certificate that chains to a configured trust root."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception:
        return SignatureStatus(signed=False, valid=False)
    if not signatures:
        return SignatureStatus(signed=False, valid=False)
    try:
        status = validate_pdf_signature(
            signatures[0], ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
        )
    except Exception:
        return SignatureStatus(signed=True, valid=False)
    signer = status.signing_cert.subject.native.get("organization_name", "")
    return SignatureStatus(signed=True, valid=bool(status.bottom_line), signer=signer)
