"""The documents a case issues (receipt, acceptance or decline notice): numbered,
stored and verifiable through the kernel (``portal.documents``); each first issue
writes the number on the case's timeline."""

from django.db import transaction
from django.utils.translation import gettext_lazy

from portal.documents import document_content, document_issue
from portal.errors import DomainError
from portal.identity import mask_name
from portal.models import IssuedDocument

from .. import pdf
from ..models import Complaint
from .common import _event

DECIDED = (
    Complaint.Status.DECLINED,
    Complaint.Status.ACCEPTED,
    Complaint.Status.FORWARDED,
    Complaint.Status.CLOSED,
)


def _party(complaint: Complaint) -> str:
    if complaint.anonymous or not complaint.contact_name:
        return str(gettext_lazy("Anonymous reporter")) if complaint.anonymous else ""
    return mask_name(complaint.contact_name)


def complaint_document_kind(complaint: Complaint, document: str) -> str | None:
    """The type of document ``document`` ("receipt", "decision") is for this case now,
    or ``None`` when the case has not reached it."""
    if document == "receipt":
        return "complaint-receipt"
    if document == "decision" and complaint.status in DECIDED and complaint.decided_at:
        return (
            "complaint-decline"
            if complaint.status == Complaint.Status.DECLINED
            else "complaint-acceptance"
        )
    return None


def complaint_document_issue(*, complaint: Complaint, document: str, actor=None) -> IssuedDocument:
    """The issued receipt or decision notice of ``complaint``: issued now, numbered and
    put on the timeline, the first time; the stored one after."""
    kind = complaint_document_kind(complaint, document)
    if kind is None:
        raise DomainError(gettext_lazy("This case has no such document yet."), code="not_ready")
    render = pdf.receipt if document == "receipt" else pdf.decision_notice
    with transaction.atomic():
        issued, created = document_issue(
            subject=complaint,
            kind=kind,
            department=complaint.department,
            issuer=complaint.department.name,
            party=_party(complaint),
            render=lambda issue: render(complaint, issue=issue),
            signer_key=complaint.department.signing_key,
            language=complaint.language,
            actor=actor,
        )
        if created:
            _event(
                complaint,
                actor=actor,
                action="document_issued",
                public=True,
                message=gettext_lazy("Document %(number)s issued: %(type)s."),
                # The type's name in each language, so each reader reads theirs.
                params={"number": issued.number, "type": issued.kind},
                data={"number": issued.number, "code": issued.code},
            )
    return issued


def complaint_document_pdf(*, complaint: Complaint, document: str, actor=None) -> bytes:
    return document_content(
        complaint_document_issue(complaint=complaint, document=document, actor=actor)
    )
