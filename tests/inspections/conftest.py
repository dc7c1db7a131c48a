"""A small world for inspections: Hangzhou market supervision leads, Zhejiang
cyberspace takes part, a judicial organ in Hangzhou, and two platforms."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import DepartmentType, Role
from accounts.services import api_key_issue
from inspections.models import ItemResult
from inspections.services.inspections import (
    campaign_open,
    document_request_send,
    inspection_findings_complete,
    item_record_finding,
    rectification_order_issue,
    rectification_report_submit,
)
from tests.factories import (
    DepartmentFactory,
    LiveRoomFactory,
    MarketerFactory,
    OperatorFactory,
    PlatformFactory,
    UserFactory,
)
from tests.pdftools import blank_pdf

# A genuine one-page PDF: uploads are parsed (portal.uploads).
PDF_BYTES = blank_pdf()


def pdf_upload(name: str = "答复材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def world(regions, departments):
    hz_market = DepartmentFactory(
        region=regions["hz"], type=DepartmentType.MARKET_SUPERVISION, name="杭州市市场监督管理局"
    )
    judicial = DepartmentFactory(
        region=regions["hz"], type=DepartmentType.JUDICIAL, name="杭州市公安局"
    )
    platform = PlatformFactory(domicile=regions["yuhang"], name="星河直播电商有限公司")
    other = PlatformFactory(domicile=regions["tianhe"], name="南方直播有限公司")
    room = LiveRoomFactory(
        platform=platform,
        account_id="xh-1",
        name="西子优选直播间",
        operator=OperatorFactory(business_region=regions["xihu"], name="杭州西子有限公司"),
    )
    marketer = MarketerFactory(name="李佳怡")
    room.marketers.add(marketer)
    _key, raw_key = api_key_issue(platform=platform, name="systems", actor=None)
    _other_key, raw_other_key = api_key_issue(platform=other, name="systems", actor=None)
    return SimpleNamespace(
        regions=regions,
        departments={**departments, "hz_market": hz_market, "judicial": judicial},
        hz_market=hz_market,
        judicial=judicial,
        platform=platform,
        other=other,
        room=room,
        marketer=marketer,
        raw_key=raw_key,
        raw_other_key=raw_other_key,
        handler=UserFactory(department=hz_market, role=Role.HANDLER, email="hz@example.com"),
        supervisor=UserFactory(
            department=hz_market, role=Role.SUPERVISOR, email="hz-sup@example.com"
        ),
        dept_admin=UserFactory(department=hz_market, role=Role.DEPARTMENT_ADMIN),
        cyber=UserFactory(
            department=departments["zj_cyber"], role=Role.HANDLER, email="cyber@example.com"
        ),
        zj_market=UserFactory(department=departments["zj_market"], role=Role.HANDLER),
        xihu=UserFactory(
            department=departments["xihu_market"], role=Role.HANDLER, email="xihu@example.com"
        ),
        gd=UserFactory(department=departments["gd_market"], role=Role.HANDLER),
        police=UserFactory(department=judicial, role=Role.HANDLER, email="police@example.com"),
        officer=UserFactory(
            platform=platform, role=Role.PLATFORM_OFFICER, email="officer@example.com"
        ),
        other_officer=UserFactory(platform=other, role=Role.PLATFORM_OFFICER),
        admin=UserFactory(role=Role.SITE_ADMIN, is_staff=True),
    )


@pytest.fixture
def campaign(world):
    """A campaign led by Hangzhou with Zhejiang cyberspace taking part, inspecting the
    platform (its inspection is still ``open``)."""
    return campaign_open(
        actor=world.handler,
        theme="2026年直播电商平台专项检查",
        legal_basis="《网络直播营销管理办法（试行）》第二十六条",
        period_start=date(2026, 3, 1),
        period_end=date(2026, 12, 31),
        participants=[world.departments["zj_cyber"]],
        platforms=[world.platform],
    )


@pytest.fixture
def inspection(campaign):
    return campaign.inspections.get()


@pytest.fixture
def requested(world, inspection):
    """Documents requested: the platform now sees the inspection."""
    document_request_send(
        actor=world.handler, inspection=inspection, requested="提供2026年上半年处置记录"
    )
    inspection.refresh_from_db()
    return inspection


def record_all(actor, inspection, *, wanting=("blacklist-system",)):
    """Record a finding on every item: ``wanting`` non-compliant, the rest compliant."""
    for item in inspection.items.all():
        bad = item.code in wanting
        item_record_finding(
            actor=actor,
            item=item,
            result=ItemResult.NON_COMPLIANT if bad else ItemResult.COMPLIANT,
            note="未建立黑名单申诉渠道" if bad else "",
        )


@pytest.fixture
def findings(world, requested):
    record_all(world.handler, requested)
    inspection_findings_complete(actor=world.handler, inspection=requested)
    requested.refresh_from_db()
    return requested


@pytest.fixture
def ordered(world, findings):
    rectification_order_issue(
        actor=world.handler,
        inspection=findings,
        requirements="建立黑名单申诉渠道并公示",
        due_on=date(2099, 1, 31),
    )
    findings.refresh_from_db()
    return findings


@pytest.fixture
def reported(world, ordered):
    rectification_report_submit(
        actor=world.officer, inspection=ordered, text="已上线申诉入口并公示规则"
    )
    ordered.refresh_from_db()
    return ordered
