"""The world the permission matrix walks: the demo's Hangzhou side (Hangzhou market
supervision, its cyberspace office, the platform 星河 = platform A) with one object
of every kind a URL names, made through the services; and the people of every
role on that side and on the other (Guangzhou market supervision, platform 云帆 =
platform B), for whom every one of those objects is out of scope."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Department, DepartmentType, Platform, Role, User
from accounts.services import api_key_issue
from blacklist.models import Measure, ShareScope
from blacklist.screening.jobs import screening_job_run, screening_job_submit
from blacklist.screening.log import screening_run
from blacklist.screening.matching import ScreeningQuery
from blacklist.services.listing import (
    entry_decide,
    entry_notify,
    entry_propose,
    entry_record_statement,
)
from blacklist.services.repair import entry_repair_apply
from complaints.models import Complaint, SavedFilter
from complaints.services.forwards import complaint_forward
from complaints.services.intake import store_evidence
from complaints.services.workflow import complaint_accept, complaint_assign
from demo.data import load_demo
from filings.models import DisposalFiling, PlatformNotice
from inspections.models import (
    ClueTransfer,
    DocumentRequest,
    InspectionItem,
    InterviewGround,
    ItemResult,
    PlatformInspection,
)
from inspections.services.inspections import (
    document_request_answer,
    inspection_findings_complete,
    item_record_finding,
    rectification_order_issue,
)
from inspections.services.meetings import consultation_convene, follow_up_add, interview_schedule
from oversight.models import StatisticalReport
from portal.models import Notification
from portal.uploads import check_upload
from registry.models import LiveRoom, Marketer, Roster, ViolationCategory
from tests.pdftools import blank_pdf

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF_BYTES = blank_pdf()  # a genuine PDF: uploads are parsed (portal.uploads)


def _pdf(name="材料.pdf"):
    upload = SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")
    check_upload(upload)
    return upload


def _user(username, role, *, department=None, platform=None, **extra) -> User:
    user = User.objects.create_user(
        username=username,
        password="pw-for-tests-2026",
        department=department,
        platform=platform,
        email=f"{username}@example.com",
        **extra,
    )
    user.groups.add(Group.objects.get(name=Role(role).value))
    return user


def build_world() -> SimpleNamespace:
    load_demo()
    hz_market = Department.objects.get(
        region__code="330100", type=DepartmentType.MARKET_SUPERVISION
    )
    hz_cyber = Department.objects.get(region__code="330100", type=DepartmentType.CYBERSPACE)
    gz_market = Department.objects.get(
        region__code="440100", type=DepartmentType.MARKET_SUPERVISION
    )
    zj_police = Department.objects.get(region__code="330000", type=DepartmentType.PUBLIC_SECURITY)
    xinghe = Platform.objects.get(name="星河直播电商有限公司")
    yunfan = Platform.objects.get(name="云帆互动网络科技有限公司")
    handler = User.objects.get(username="demo-handler")
    supervisor = User.objects.get(username="demo-supervisor")
    officer = User.objects.get(username="demo-platform")
    cyber = User.objects.get(username="demo-cyber")

    people = {
        "handler": handler,
        "supervisor": supervisor,
        "dept_admin": User.objects.get(username="demo-deptadmin"),
        "cyber_handler": cyber,
        "gz_handler": _user("gz-handler", Role.HANDLER, department=gz_market),
        "gz_supervisor": _user("gz-supervisor", Role.SUPERVISOR, department=gz_market),
        "gz_dept_admin": _user("gz-deptadmin", Role.DEPARTMENT_ADMIN, department=gz_market),
        "officer": officer,
        "officer_b": _user("yunfan-officer", Role.PLATFORM_OFFICER, platform=yunfan),
        "site_admin": User.objects.get(username="demo-admin"),
    }
    key_a, raw_key_a = api_key_issue(platform=xinghe, name="systems", actor=officer)
    _key_b, raw_key_b = api_key_issue(platform=yunfan, name="systems", actor=people["officer_b"])

    # --- complaints: a case with evidence, forwarded to platform A --------------
    complaint = Complaint.objects.get(description__startswith="直播间承诺七天无理由退货")
    assert complaint.department == hz_market, complaint.department
    evidence = store_evidence(upload=_pdf("订单截图.pdf"))
    evidence.complaint = complaint
    evidence.save()
    complaint_assign(complaint=complaint, actor=handler, assignee=handler)
    complaint_accept(complaint=complaint, actor=handler)
    forward = complaint_forward(complaint=complaint, actor=handler, message="请核实处理并反馈")
    report = Complaint.objects.get(description__startswith="主播宣称普通食品")

    # --- blacklist ----------------------------------------------------------
    marketer = Marketer.objects.get(name="李佳怡")
    category = ViolationCategory.objects.get(code="false-information")
    proposed = entry_propose(
        actor=handler,
        party=marketer,
        category=category,
        facts="直播中虚构食品功效。",
        legal_basis="《网络直播营销管理办法（试行）》第十四条",
        decision_number="杭市监罚〔2026〕1号",
        decision_date=date(2026, 1, 20),
        measures=Measure.objects.filter(code__in=["key-supervision"]),
        share_scope=ShareScope.PROVINCE,
    )
    listed_at = datetime(2025, 3, 2, 10, tzinfo=SHANGHAI)
    from time_machine import travel

    with travel(listed_at, tick=False):
        listed = entry_propose(
            actor=handler,
            party=Marketer.objects.get(name="王浩然"),
            category=category,
            facts="刷单炒信。",
            legal_basis="《网络直播营销管理办法（试行）》第十四条",
            decision_number="杭市监罚〔2025〕9号",
            decision_date=date(2025, 2, 20),
            share_scope=ShareScope.PROVINCE,
        )
        entry_notify(actor=handler, entry=listed)
        entry_record_statement(
            actor=handler, entry=listed, received_on=date(2025, 3, 5), text="请求从轻处理。"
        )
        entry_decide(actor=supervisor, entry=listed, list_entry=True, reason="未提出陈述申辩。")
    repair = entry_repair_apply(
        actor=handler,
        entry=listed,
        applied_on=timezone.localdate(),
        grounds="已缴清罚款，一年内未再受处罚。",
    )

    # --- filings, notices, rosters (the demo made them for platform A) -----------
    filing = DisposalFiling.objects.filter(platform=xinghe).first()
    notice = PlatformNotice.objects.filter(platform=xinghe).first()
    roster = Roster.objects.filter(platform=xinghe).first()
    screening_job = screening_job_submit(
        actor=officer,
        body=['{"reference": "m-1", "name": "张伟"}\n'.encode()],
        content_type="application/x-ndjson",
        channel="web",
    )
    screening_job_run(job_id=screening_job.pk)
    screening = screening_run(  # hits the listed entry: the department's hits page shows it
        actor=officer, queries=[ScreeningQuery(name="王浩然")], channel="api"
    ).log

    # --- inspections --------------------------------------------------------
    inspection = PlatformInspection.objects.get(platform=xinghe)
    campaign = inspection.campaign
    request = DocumentRequest.objects.get(inspection=inspection)
    document_request_answer(
        actor=officer, request=request, answer="制度文本见附件。", files=[_pdf("制度.pdf")]
    )
    request.refresh_from_db()
    attachment = request.files.get()
    for item in inspection.items.all():
        item_record_finding(
            actor=handler,
            item=item,
            result=ItemResult.NON_COMPLIANT
            if item.code == "blacklist-system"
            else ItemResult.COMPLIANT,
            note="未建立黑名单申诉渠道" if item.code == "blacklist-system" else "",
        )
    inspection_findings_complete(actor=handler, inspection=inspection)
    order = rectification_order_issue(
        actor=handler,
        inspection=inspection,
        requirements="建立黑名单申诉渠道并公示",
        due_on=date(2099, 1, 31),
    )
    item = InspectionItem.objects.filter(inspection=inspection).first()
    clue = ClueTransfer.objects.get(to_department=hz_market)
    consultation = consultation_convene(
        actor=handler,
        subject="鲜果坊直播间虚假宣传会商",
        background="多部门收到投诉举报。",
        held_on=timezone.localdate() + timedelta(days=3),
        participants=[hz_cyber, zj_police],
    )
    follow_up = follow_up_add(
        actor=handler,
        consultation=consultation,
        owner=hz_market,
        text="约谈平台负责人",
        due_on=timezone.localdate() + timedelta(days=20),
    )
    interview = interview_schedule(
        actor=handler,
        target_kind="platform",
        platform=xinghe,
        ground=InterviewGround.CONSUMERS,
        ground_detail="近三个月投诉集中于退货难。",
        scheduled_for=timezone.now() + timedelta(days=5),
        place="杭州市市场监督管理局第三会议室",
        responsible_persons="张明 合规总监",
    )
    statistical_report = StatisticalReport.objects.create(
        department=hz_market,
        period_kind="monthly",
        period_start=date(2026, 10, 1),
        requested_by=supervisor,
    )

    objects = {
        "live_room": LiveRoom.objects.get(account_id="xh-10086"),
        "marketer": Marketer.objects.get(name="王浩然"),  # in platform A's rooms only
        "complaint": complaint,
        "report": report,
        "evidence": evidence,
        "forward": forward,
        "entry": proposed,
        "listed_entry": listed,
        "repair": repair,
        "filing": filing,
        "notice": notice,
        "roster": roster,
        "screening_job": screening_job,
        "saved_filter": SavedFilter.objects.create(
            user=handler, name="逾期", query="queue=overdue"
        ),
        "screening": screening,
        "campaign": campaign,
        "inspection": inspection,
        "item": item,
        "request": request,
        "order": order,
        "attachment": attachment,
        "clue": clue,
        "consultation": consultation,
        "follow_up": follow_up,
        "interview": interview,
        "api_key": key_a,
        "staff_member": handler,  # Hangzhou market supervision, managed by its admin
        "statistical_report": statistical_report,
        # what the outbox recorded for platform A's officer: the case forwarded to it
        "notification": Notification.objects.get(
            recipient_user=officer, kind="complaints.forwarded", object_id=forward.pk
        ),
    }
    return SimpleNamespace(
        people=people,
        keys={"key_a": raw_key_a, "key_b": raw_key_b},
        objects=objects,
        departments={"hz_market": hz_market, "hz_cyber": hz_cyber, "gz_market": gz_market},
        platforms={"a": xinghe, "b": yunfan},
    )
