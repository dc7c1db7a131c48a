"""The documents of inspections, transfers and interviews as issued (rectification
order, closed inspection's report, transfer letter, interview minutes): numbered,
signed and stored through the kernel (``portal.documents``) the first time, the
stored file after. The number is recorded in the audit trail (``document.issue``)
and shown on the record's page and in its API."""

from django.db import transaction

from portal.documents import document_content, document_issue
from portal.models import IssuedDocument

from .. import pdf
from ..models import ClueTransfer, Interview, PlatformInspection, RectificationOrder

# The issued document type (portal.DocumentKind) of each document.
RENDERS = {
    "rectification-order": pdf.rectification_order_pdf,
    "inspection-report": pdf.inspection_report_pdf,
    "transfer-letter": pdf.transfer_letter_pdf,
    "interview-minutes": pdf.interview_minutes_pdf,
}


def _issuer_and_party(subject):
    """The department that issues a document for ``subject``, and the party it is for."""
    if isinstance(subject, RectificationOrder):
        return subject.inspection.campaign.lead_department, str(subject.inspection.platform)
    if isinstance(subject, PlatformInspection):
        return subject.campaign.lead_department, str(subject.platform)
    if isinstance(subject, ClueTransfer):
        return subject.from_department, str(subject.to_department or "")
    if isinstance(subject, Interview):
        return subject.department, str(subject.platform or "")
    raise TypeError(subject)


def inspection_document_issue(*, subject, kind: str, actor=None) -> IssuedDocument:
    """The issued document of type ``kind`` for ``subject``."""
    render = RENDERS[kind]
    department, party = _issuer_and_party(subject)
    with transaction.atomic():
        issued, _created = document_issue(
            subject=subject,
            kind=kind,
            department=department,
            issuer=department.name,
            party=party,
            render=lambda issue: render(subject, issue=issue),
            signer_key=department.signing_key,
            actor=actor,
        )
    return issued


def inspection_document_pdf(*, subject, kind: str, actor=None) -> bytes:
    return document_content(inspection_document_issue(subject=subject, kind=kind, actor=actor))
