"""Every transition of a platform inspection, its guards and its audit trail."""

from datetime import date

import pytest
from django.urls import reverse

from inspections.models import InspectionStatus as S
from inspections.models import ItemResult, RectificationOrder
from inspections.services.common import InspectionError
from inspections.services.inspections import (
    campaign_close,
    document_request_send,
    inspection_close,
    inspection_findings_complete,
    inspection_open,
    inspection_verify,
    item_record_finding,
    rectification_order_issue,
    rectification_report_submit,
)
from portal.errors import Conflict, NotAllowed
from portal.models import AuditEvent

from .conftest import record_all

pytestmark = pytest.mark.django_db


def _actions(inspection):
    return list(
        AuditEvent.objects.filter(object_id=str(inspection.pk), action__startswith="inspection.")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


def test_the_whole_way_with_rectification(world, reported):
    inspection_verify(
        actor=world.handler,
        inspection=reported,
        method="documents",
        passed=True,
        note="申诉入口已上线，规则已公示",
    )
    reported.refresh_from_db()
    assert reported.status == S.VERIFIED

    inspection_close(actor=world.handler, inspection=reported, conclusion="整改到位，结案")
    reported.refresh_from_db()

    assert reported.status == S.CLOSED and reported.closed_at is not None
    assert _actions(reported) == [
        "inspection.opened",
        "inspection.documents_requested",
        *["inspection.finding"] * reported.items.count(),
        "inspection.findings_recorded",
        "inspection.rectification_ordered",
        "inspection.rectification_reported",
        "inspection.verified",
        "inspection.closed",
    ]


def test_first_document_request_moves_open_to_documents_requested(world, inspection):
    assert inspection.status == S.OPEN

    document_request_send(actor=world.cyber, inspection=inspection, requested="提供规则")
    inspection.refresh_from_db()
    assert inspection.status == S.DOCUMENTS_REQUESTED

    document_request_send(actor=world.handler, inspection=inspection, requested="再提供")
    inspection.refresh_from_db()
    assert inspection.status == S.DOCUMENTS_REQUESTED
    assert inspection.document_requests.count() == 2


def test_findings_complete_needs_every_item_and_is_a_no_op_the_second_time(world, requested):
    item_record_finding(
        actor=world.cyber, item=requested.items.first(), result=ItemResult.COMPLIANT
    )
    with pytest.raises(InspectionError):
        inspection_findings_complete(actor=world.handler, inspection=requested)

    record_all(world.handler, requested)
    inspection_findings_complete(actor=world.handler, inspection=requested)
    inspection_findings_complete(actor=world.handler, inspection=requested)

    requested.refresh_from_db()
    assert requested.status == S.FINDINGS_RECORDED
    assert _actions(requested).count("inspection.findings_recorded") == 1


def test_findings_complete_from_open_is_a_conflict(world, inspection):
    record_all(world.handler, inspection)

    with pytest.raises(Conflict):
        inspection_findings_complete(actor=world.handler, inspection=inspection)


def test_non_compliant_finding_needs_its_evidence(world, requested):
    with pytest.raises(InspectionError):
        item_record_finding(
            actor=world.handler,
            item=requested.items.first(),
            result=ItemResult.NON_COMPLIANT,
            note="",
        )


def test_all_compliant_closes_without_rectification(world, requested):
    record_all(world.handler, requested, wanting=())
    inspection_findings_complete(actor=world.handler, inspection=requested)

    with pytest.raises(InspectionError):
        rectification_order_issue(
            actor=world.handler, inspection=requested, requirements="x", due_on=date(2099, 1, 1)
        )
    inspection_close(actor=world.handler, inspection=requested, conclusion="未发现问题")
    requested.refresh_from_db()

    assert requested.status == S.CLOSED
    assert not requested.rectification_orders.exists()


def test_non_compliant_findings_cannot_skip_rectification(world, findings):
    with pytest.raises(Conflict):
        inspection_close(actor=world.handler, inspection=findings, conclusion="结案")
    findings.refresh_from_db()
    assert findings.status == S.FINDINGS_RECORDED


def test_order_covers_the_non_compliant_findings(world, ordered):
    order = ordered.rectification_orders.get()

    assert ordered.status == S.RECTIFICATION_ORDERED
    assert [i.code for i in order.items.all()] == ["blacklist-system"]
    assert order.number.endswith("-1")


def test_failed_verification_orders_the_rectification_again(world, reported):
    inspection_verify(
        actor=world.handler,
        inspection=reported,
        method="on_site",
        passed=False,
        note="申诉入口无法使用",
        new_due_on=date(2099, 6, 30),
    )
    reported.refresh_from_db()
    orders = list(reported.rectification_orders.order_by("sequence"))

    assert reported.status == S.RECTIFICATION_ORDERED
    assert [o.sequence for o in orders] == [1, 2]
    assert orders[1].due_on == date(2099, 6, 30)
    assert orders[1].requirements == "申诉入口无法使用"
    assert orders[0].verifications.get().passed is False

    rectification_report_submit(actor=world.officer, inspection=reported, text="已修复")
    assert RectificationOrder.objects.get(pk=orders[1].pk).report.text == "已修复"


def test_failed_verification_needs_a_new_date(world, reported):
    with pytest.raises(InspectionError):
        inspection_verify(
            actor=world.handler, inspection=reported, method="documents", passed=False, note="未改"
        )


def test_report_before_an_order_is_a_conflict(world, findings):
    with pytest.raises(Conflict):
        rectification_report_submit(actor=world.officer, inspection=findings, text="x")


def test_report_only_once_per_order(world, reported):
    with pytest.raises(Conflict):
        rectification_report_submit(actor=world.officer, inspection=reported, text="x")


def test_verify_before_a_report_is_a_conflict(world, ordered):
    with pytest.raises(Conflict):
        inspection_verify(
            actor=world.handler, inspection=ordered, method="documents", passed=True, note="ok"
        )


@pytest.mark.parametrize(
    ("who", "action"),
    [
        ("cyber", "order"),  # a participant requests and finds, the lead orders
        ("cyber", "close"),
        ("supervisor", "order"),  # the lead department's supervisor may
        ("xihu", "order"),  # another department of the same type
        ("gd", "order"),
        ("officer", "order"),
    ],
)
def test_who_may_order_and_close(world, findings, who, action):
    actor = getattr(world, who)
    if action == "order":
        call = lambda: rectification_order_issue(  # noqa: E731
            actor=actor, inspection=findings, requirements="整改", due_on=date(2099, 1, 1)
        )
    else:
        call = lambda: inspection_close(  # noqa: E731
            actor=actor, inspection=findings, conclusion="x"
        )
    if who == "supervisor":
        call()
        findings.refresh_from_db()
        assert findings.status == S.RECTIFICATION_ORDERED
    else:
        with pytest.raises(NotAllowed):
            call()


@pytest.mark.parametrize("who", ["xihu", "gd", "officer", "police"])
def test_only_lead_and_participants_record_findings(world, requested, who):
    with pytest.raises(NotAllowed):
        item_record_finding(
            actor=getattr(world, who), item=requested.items.first(), result=ItemResult.COMPLIANT
        )


def test_other_platform_cannot_report(world, ordered):
    with pytest.raises(NotAllowed):
        rectification_report_submit(actor=world.other_officer, inspection=ordered, text="x")


def test_campaign_closes_once_every_inspection_is_closed(world, campaign, requested):
    with pytest.raises(Conflict):
        campaign_close(actor=world.handler, campaign=campaign)
    record_all(world.handler, requested, wanting=())
    inspection_findings_complete(actor=world.handler, inspection=requested)
    inspection_close(actor=world.handler, inspection=requested, conclusion="合规")

    campaign_close(actor=world.handler, campaign=campaign)
    campaign_close(actor=world.handler, campaign=campaign)
    campaign.refresh_from_db()

    assert campaign.status == "closed"
    with pytest.raises(Conflict):
        inspection_open(actor=world.handler, campaign=campaign, platform=world.other)


def test_same_platform_twice_in_a_campaign_is_refused(world, campaign):
    with pytest.raises(Conflict):
        inspection_open(actor=world.handler, campaign=campaign, platform=world.platform)


def test_pages_walk_the_inspection(client, world, requested):
    client.force_login(world.handler)
    url = reverse("inspections:inspection", args=[requested.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "六个月" in page.text

    for item in requested.items.all():
        prefix = f"item-{item.pk}"
        bad = item.code == "minors"
        response = client.post(
            reverse("inspections:item-finding", args=[requested.pk, item.pk]),
            {
                f"{prefix}-result": "non_compliant" if bad else "compliant",
                f"{prefix}-note": "未核验主播年龄" if bad else "",
            },
        )
        assert response.status_code == 302
    response = client.post(
        reverse("inspections:inspection-action", args=[requested.pk, "complete_findings"])
    )
    assert response.status_code == 302
    response = client.post(
        reverse("inspections:inspection-action", args=[requested.pk, "order_rectification"]),
        {
            "order_rectification-items": [requested.items.get(code="minors").pk],
            "order_rectification-requirements": "完善未成年人身份核验",
            "order_rectification-due_on": "2099-03-31",
        },
    )
    assert response.status_code == 302
    requested.refresh_from_db()
    assert requested.status == S.RECTIFICATION_ORDERED

    order_pdf = client.get(
        reverse("inspections:order-pdf", args=[requested.rectification_orders.get().pk])
    )
    assert order_pdf["Content-Type"] == "application/pdf"
    report_pdf = client.get(reverse("inspections:report-pdf", args=[requested.pk]))
    assert report_pdf["Content-Type"] == "application/pdf"


def test_a_bad_form_shows_its_errors_and_keeps_the_state(client, world, findings):
    client.force_login(world.handler)

    response = client.post(
        reverse("inspections:inspection-action", args=[findings.pk, "order_rectification"]),
        {"order_rectification-requirements": "", "order_rectification-due_on": "2000-01-01"},
    )

    assert response.status_code == 400
    assert 'class="error-summary"' in response.text
    findings.refresh_from_db()
    assert findings.status == S.FINDINGS_RECORDED


def test_participant_sees_no_lead_only_action(client, world, findings):
    client.force_login(world.cyber)

    page = client.get(reverse("inspections:inspection", args=[findings.pk]))
    response = client.post(
        reverse("inspections:inspection-action", args=[findings.pk, "close"]),
        {"close-conclusion": "x"},
    )

    assert page.status_code == 200
    assert "action-order_rectification" not in page.text
    assert "action-request_documents" in page.text
    assert response.status_code == 403
