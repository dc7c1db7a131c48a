"""The audit trail is append-only."""

import pytest
from django.core.exceptions import ValidationError

from portal.audit import audit_record
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_audit_event_cannot_be_changed_or_deleted():
    event = audit_record(actor=None, action="test.done", reason="原因")

    event.reason = "改写"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == "原因"
