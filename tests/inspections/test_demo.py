"""The inspection demo data, loaded twice: one inspection of 星河 awaiting its
documents, one clue in Hangzhou market supervision's inbox."""

import pytest

from accounts.models import User
from demo.data import load_demo
from inspections.models import Campaign, ClueTransfer, InspectionStatus
from inspections.selectors import clue_inbox, document_requests_visible_to

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_has_the_issue_6_cases():
    load_demo()
    load_demo()

    campaign = Campaign.objects.get()
    inspection = campaign.inspections.get()
    assert inspection.platform.name == "星河直播电商有限公司"
    assert inspection.status == InspectionStatus.DOCUMENTS_REQUESTED
    officer = User.objects.get(username="demo-platform")
    assert [r.answer_state for r in document_requests_visible_to(officer)] == ["awaiting"]
    handler = User.objects.get(username="demo-handler")
    inbox = list(clue_inbox(handler))
    assert len(inbox) == 1 and ClueTransfer.objects.count() == 1
    assert inbox[0].to_department.name == "杭州市市场监督管理局"
