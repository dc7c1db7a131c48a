"""The "document issued" timeline line names the document's type in the reader's
language; lines written before (the Chinese name stored) are given both names by
migration 0015."""

import pytest
from django.utils import translation

from complaints.models import CaseEvent
from complaints.services.documents import complaint_document_issue
from complaints.services.workflow import complaint_accept, complaint_assign
from tests.migrator import head
from tests.migrator import migrate as _migrate


def _accepted(world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    return complaint_accept(complaint=case, actor=world.handler, message="予以受理")


def _line_in(language: str, event: CaseEvent) -> str:
    with translation.override(language):
        return event.text


@pytest.mark.django_db
def test_the_document_issued_line_reads_in_the_readers_language(world, file_case):
    case = _accepted(world, file_case)
    issued = complaint_document_issue(complaint=case, document="decision")
    event = case.events.get(action="document_issued")
    assert _line_in("zh-hans", event) == f"已制发受理告知书，文号{issued.number}。"
    assert _line_in("en", event) == f"Document {issued.number} issued: Notice of acceptance."


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_lines_stored_with_the_chinese_name_read_in_english_after_the_migration(world, file_case):
    case = _accepted(world, file_case)
    issued = complaint_document_issue(complaint=case, document="decision")
    pk = case.events.get(action="document_issued").pk
    apps = _migrate([("complaints", "0014_forward_answered_via")])
    try:
        OldEvent = apps.get_model("complaints", "CaseEvent")
        old = OldEvent.objects.get(pk=pk)
        old.message_params = {"number": issued.number, "type": "受理告知书"}
        old.save(update_fields=["message_params"])
    finally:
        _migrate(head())
    event = CaseEvent.objects.get(pk=pk)
    assert _line_in("en", event) == f"Document {issued.number} issued: Notice of acceptance."
    assert _line_in("zh-hans", event) == f"已制发受理告知书，文号{issued.number}。"
