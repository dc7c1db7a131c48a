"""The documents of the listing procedure as issued (notice, decision, repair
decision): numbered, signed and stored through the kernel (``portal.documents``)
the first time, the stored file after. The number is recorded in the audit trail
(``document.issue``), shown on the entry's page and in the entry API."""

from django.db import transaction

from portal.documents import document_content, document_issue
from portal.models import IssuedDocument

from .. import pdf
from ..models import RepairApplication

# The issued document type (portal.DocumentKind) of each document.
RENDERS = {
    "listing-notice": pdf.notice_pdf,
    "listing-decision": pdf.decision_pdf,
    "repair-decision": pdf.repair_decision_pdf,
}


def entry_document_issue(*, subject, kind: str, actor=None) -> IssuedDocument | None:
    """The issued document of type ``kind`` for ``subject`` (an entry, or a repair
    application for a repair decision); ``None`` for an entry no department lists
    (the platforms' shared list issues no official document). Raises
    :class:`blacklist.pdf.DocumentNotReady` before the step that issues it."""
    render = RENDERS[kind]
    entry = subject.entry if isinstance(subject, RepairApplication) else subject
    department = entry.department
    if department is None:
        render(subject)  # still tells a document not ready
        return None
    with transaction.atomic():
        issued, _created = document_issue(
            subject=subject,
            kind=kind,
            department=department,
            issuer=department.name,
            party=entry.name_masked,
            render=lambda issue: render(subject, issue=issue),
            signer_key=department.signing_key,
            actor=actor,
        )
    return issued


def entry_document_pdf(*, subject, kind: str, actor=None) -> bytes:
    """The PDF of :func:`entry_document_issue`: the stored file, or for an entry no
    department lists the document rendered unnumbered."""
    issued = entry_document_issue(subject=subject, kind=kind, actor=actor)
    if issued is None:
        return RENDERS[kind](subject)
    return document_content(issued)
