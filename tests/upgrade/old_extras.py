"""Run with the code of the release the upgrade starts from (see
make_fixture.sh): adds to the demo data the kinds of record it lacks, so that
the upgrade fixture holds at least one row of every kind the restructure moved
or renamed: forwards answered by API key, replied notices, answered document
requests, material requests, a blacklist entry with its history, a screening
log, a statistical report, a notification and a clock extension, each with its
deadline and audit events where the code would keep them."""

import datetime

import django

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Platform, User  # noqa: E402
from blacklist.models import (  # noqa: E402
    Entry,
    EntryNameKey,
    EntryState,
    Statement,
)
from blacklist.services import ScreeningQuery, screening_run  # noqa: E402
from complaints.models import (  # noqa: E402
    Complaint,
    DisposalFiling,
    MaterialRequest,
    PlatformForward,
    PlatformNotice,
)
from inspections.models import DocumentRequest  # noqa: E402
from portal.identity import identity_hash, mask_ric  # noqa: E402
from portal.models import (  # noqa: E402
    AuditEvent,
    ClockExtension,
    Deadline,
    Notification,
    StatisticalReport,
)
from registry.models import Marketer, ViolationCategory  # noqa: E402

NOW = timezone.now()
RIC = "330106199003070019"  # a valid resident ID number, invented


def deadline(obj, clock, source, due_days=5):
    started = datetime.date(2026, 11, 2)
    return Deadline.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        clock=clock,
        source=source,
        started_on=started,
        working_days=due_days,
        due_on=started + datetime.timedelta(days=due_days + 2),
    )


def audit(obj, action, actor=None):
    AuditEvent.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
    )


with transaction.atomic():
    handler = User.objects.get(username="demo-handler")
    officer = User.objects.get(username="demo-platform")
    department = handler.department
    platform = Platform.objects.get(pk=officer.platform_id)
    complaint = Complaint.objects.order_by("pk").first()
    second = Complaint.objects.order_by("pk")[1]

    forward = PlatformForward.objects.create(
        complaint=complaint,
        platform=platform,
        forwarded_by=handler,
        message="请核实该直播间的宣传内容并于期限内答复。",
        due_on=datetime.date(2026, 11, 20),
        answered_at=NOW,
        answer="已下架涉事商品并警示主播。",
        answered_by_label="接口密钥：星河合规系统",
    )
    deadline(forward, "platform-reply", "《直播电商监督管理办法》第十二条第二款")
    audit(forward, "forward.sent", handler)
    audit(forward, "forward.answered")

    MaterialRequest.objects.create(
        complaint=second,
        requested_by=handler,
        message="请补充购买凭证截图。",
    )

    notice = PlatformNotice.objects.order_by("pk").first()
    notice.replied_at = NOW
    notice.reply = "已对该直播间暂停推流并核查。"
    notice.replied_by = officer
    notice.save()
    audit(notice, "notice.replied", officer)

    request = DocumentRequest.objects.order_by("pk").first()
    request.answered_at = NOW
    request.answer = "已上传近三个月的主播资质核验记录。"
    request.answered_by_label = "接口密钥：星河合规系统"
    request.save()
    audit(request, "request.answered")

    filing = DisposalFiling.objects.order_by("pk").first()
    marketer = Marketer.objects.order_by("pk").first()
    entry = Entry.objects.create(
        list="departments",
        reference="HMD-UPGRADE-0001",
        party_kind="person",
        name="周迁移",
        name_masked="周**",
        id_number_hash=identity_hash(RIC),
        id_number_masked=mask_ric(RIC),
        party_type=ContentType.objects.get_for_model(Marketer),
        party_id=marketer.pk,
        department=department,
        category=ViolationCategory.objects.order_by("pk").first(),
        facts="多次在直播中虚构原价诱导消费者购买。",
        legal_basis="《网络直播营销管理办法（试行）》第十八条",
        decision_number="杭市监罚〔2026〕101号",
        decision_date=datetime.date(2026, 10, 9),
        term_months=36,
        listed_on=datetime.date(2026, 11, 3),
        term_ends_on=datetime.date(2029, 11, 3),
        source_type=ContentType.objects.get_for_model(DisposalFiling),
        source_id=filing.pk,
        created_by=handler,
    )
    state = EntryState.objects.create(
        entry=entry, status="listed", actor=handler, reason="决定列入"
    )
    entry.current = state
    entry.save(update_fields=["current"])
    EntryNameKey.objects.create(entry=entry, key="zhouqianyi")
    Statement.objects.create(
        entry=entry,
        received_on=datetime.date(2026, 10, 20),
        text="当事人对事实无异议。",
        recorded_by=handler,
    )
    entry_clock = deadline(entry, "repair-decide", "《市场监督管理信用修复管理办法》第十条")
    audit(entry, "entry.listed", handler)

    screening_run(
        actor=officer,
        queries=[ScreeningQuery(id_number=RIC, ref="M-1"), ScreeningQuery(name="王五", ref="M-2")],
        channel="api",
    )

    report = StatisticalReport.objects.create(
        department=department,
        period_kind="monthly",
        period_start=datetime.date(2026, 10, 1),
        status="done",
        progress=100,
        requested_by=handler,
        finished_at=NOW,
    )
    audit(report, "report.generated", handler)

    Notification.objects.create(
        key=f"forward-answered:{forward.pk}",
        kind="forward-answered",
        recipient=handler.email or "handler@example.org",
        object_id=forward.pk,
        subject="平台已答复转交的投诉",
        body="平台已答复。",
        sent_at=NOW,
    )
    ClockExtension.objects.create(
        deadline=entry_clock,
        days=10,
        approved_by=User.objects.get(username="demo-head"),
        reason="案情复杂，经负责人批准延长。",
    )
print("extras added")
