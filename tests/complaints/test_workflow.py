"""Every transition of a complaint and a report, with its clocks."""

from datetime import date

import pytest
import time_machine
from django.core import mail

from complaints.models import Complaint, PlatformForward
from complaints.selectors import complaints_visible_to, decision_due, forwards_for_platform
from complaints.services.common import _move, decline_grounds
from complaints.services.forwards import complaint_forward, forward_answer
from complaints.services.reports import (
    report_decide,
    report_decide_extension,
    report_request_extension,
)
from complaints.services.workflow import (
    complaint_accept,
    complaint_answer_material,
    complaint_assign,
    complaint_close,
    complaint_decline,
    complaint_rate,
    complaint_request_material,
    complaint_transfer,
)
from portal.errors import Conflict, NotAllowed
from portal.models import Deadline

pytestmark = pytest.mark.django_db
S = Complaint.Status


def clocks(case):
    return {d.clock: d for d in Deadline.objects.for_object(case)}


@time_machine.travel(date(2026, 11, 2), tick=False)
def test_new_complaint_must_be_decided_within_7_working_days(file_case):
    case = file_case()

    accept = clocks(case)["complaint-accept"]
    assert accept.due_on == date(2026, 11, 11)
    # Received after 2026-04-15: Order 121 governs the case and its clocks.
    assert case.rule_set.code == accept.rule_set.code == "order-121"
    assert "《市场监督管理投诉举报处理办法》" in accept.source
    assert case.status == S.RECEIVED


@time_machine.travel(date(2026, 11, 2), tick=False)
def test_new_report_must_be_verified_within_15_working_days(file_case):
    case = file_case(kind="report", category="false-information", contact_email="")

    assert clocks(case)["report-verify"].due_on == date(2026, 11, 23)


def test_accept_meets_the_decision_clock_and_starts_mediation(
    world, file_case, django_capture_on_commit_callbacks
):
    with time_machine.travel(date(2026, 11, 2), tick=False):
        case = file_case()
    with (
        time_machine.travel(date(2026, 11, 4), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
        case = complaint_accept(complaint=case, actor=world.handler, message="予以受理")

    found = clocks(case)
    assert case.status == S.ACCEPTED
    assert found["complaint-accept"].state == Deadline.State.MET
    # Order 121: 60 calendar days from 4 November 2026 end on Sunday 3 January 2027,
    # so the period ends on the next working day.
    assert found["complaint-mediation"].unit == "calendar"
    assert found["complaint-mediation"].due_on == date(2027, 1, 4)
    assert found["complaint-mediation"].provisional is True  # 2027 not loaded yet
    assert mail.outbox[-1].to == ["chen@example.com"]
    assert case.tracking_code in mail.outbox[-1].subject


def test_decline_needs_a_ground_of_art_15_and_closes_the_clock(world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)

    case = complaint_decline(
        complaint=case, actor=world.handler, reason="already_handled", message="法院已受理"
    )

    assert case.status == S.DECLINED
    assert case.decline_reason == "already_handled"
    assert clocks(case)["complaint-accept"].state == Deadline.State.MET
    assert case.events.filter(public=True, action="declined").exists()


def test_asking_for_material_does_not_stop_the_acceptance_clock(world, file_case):
    """Missing material is a ground to decline (2019 Art. 15(5); Order 121 Art. 16(5)),
    not a reason to stop the acceptance clock."""
    with time_machine.travel(date(2026, 9, 25), tick=False):  # a Friday
        case = file_case()
        # Golden Week is off; Saturday 10 October is worked.
        assert clocks(case)["complaint-accept"].due_on == date(2026, 10, 12)
        complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    with time_machine.travel(date(2026, 9, 28), tick=False):
        complaint_request_material(complaint=case, actor=world.handler, message="请提供订单截图")
    assert clocks(case)["complaint-accept"].state == Deadline.State.RUNNING
    with time_machine.travel(date(2026, 10, 9), tick=False):
        case = complaint_answer_material(complaint=case, answer="已上传", evidence=())

    accept = clocks(case)["complaint-accept"]
    assert accept.paused_working_days == 0
    assert accept.due_on == date(2026, 10, 12)
    assert case.status == S.RECEIVED
    case.refresh_from_db()
    assert "missing_material" in [g.code for g in decline_grounds(case)]


def test_transfer_moves_the_case_and_restarts_its_clock(world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    yuhang = world.departments["yuhang_market"]

    case = complaint_transfer(
        complaint=case, actor=world.handler, to_department=yuhang, reason="经营地在余杭"
    )

    from tests.factories import UserFactory

    yuhang_handler = UserFactory(department=yuhang, role="handler")
    assert case in complaints_visible_to(yuhang_handler)
    assert case not in complaints_visible_to(world.handler)
    accept = [d for d in Deadline.objects.for_object(case) if d.clock == "complaint-accept"]
    assert [d.state for d in accept] == [Deadline.State.CANCELLED, Deadline.State.RUNNING]
    assert case.assignee is None


def test_forward_to_platform_and_its_answer(world, file_case):
    with time_machine.travel(date(2026, 11, 2), tick=False):
        case = file_case()
        complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
        complaint_accept(complaint=case, actor=world.handler)
        forward = complaint_forward(complaint=case, actor=world.handler, message="请核实处理")

    assert forward.due_on == date(2026, 11, 16)  # 10 working days by default
    assert list(forwards_for_platform(world.officer)) == [forward]
    assert case in complaints_visible_to(world.officer)

    with time_machine.travel(date(2026, 11, 5), tick=False):
        forward_answer(forward=forward, actor=world.officer, answer="已为消费者退款")

    case.refresh_from_db()
    assert case.status == S.ACCEPTED
    assert Deadline.objects.for_object(forward).get().state == Deadline.State.MET
    assert case.events.filter(action="platform_answered", public=True).exists()


def test_forward_due_date_is_set_by_the_handler(world, file_case):
    with time_machine.travel(date(2026, 11, 2), tick=False):
        case = file_case()
        complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
        complaint_accept(complaint=case, actor=world.handler)
        forward = complaint_forward(
            complaint=case, actor=world.handler, message="请处理", working_days=3
        )

    assert forward.due_on == date(2026, 11, 5)


def test_another_platform_cannot_answer(world, file_case):
    from tests.factories import PlatformFactory, UserFactory

    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    complaint_accept(complaint=case, actor=world.handler)
    forward = complaint_forward(complaint=case, actor=world.handler, message="请处理")
    stranger = UserFactory(
        platform=PlatformFactory(domicile=world.regions["tianhe"]), role="platform_officer"
    )

    with pytest.raises(NotAllowed):
        forward_answer(forward=forward, actor=stranger, answer="x")
    assert not forwards_for_platform(stranger).exists()


def test_close_with_outcome_the_consumer_sees_and_rates(world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    complaint_accept(complaint=case, actor=world.handler)

    case = complaint_close(
        complaint=case, actor=world.handler, outcome="mediated", outcome_text="双方达成退款协议"
    )
    rated = complaint_rate(complaint=case, rating=4, comment="处理及时")

    assert case.status == S.CLOSED
    assert not Deadline.objects.for_object(case).open().exists()
    assert rated.rating == 4
    with pytest.raises(Conflict):
        complaint_rate(complaint=case, rating=5, comment="")


def test_rating_waits_for_the_end(file_case):
    case = file_case()
    with pytest.raises(Conflict):
        complaint_rate(complaint=case, rating=5, comment="")


def test_report_extension_needs_the_department_heads_approval(world, file_case):
    """Penalty procedure rules Art. 18: once, by 15 working days, approved by the head
    (负责人); a supervisor who is not the head is refused."""
    from tests.factories import UserFactory

    head = UserFactory(department=world.departments["xihu_market"], role="department_head")
    with time_machine.travel(date(2026, 11, 2), tick=False):
        case = file_case(kind="report", category="false-information")
        complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
        report_request_extension(complaint=case, actor=world.handler, reason="需现场核查")
        with pytest.raises(NotAllowed):
            report_decide_extension(complaint=case, actor=world.handler, approve=True)
        with pytest.raises(NotAllowed):
            report_decide_extension(complaint=case, actor=world.supervisor, approve=True)
        assert clocks(case)["report-verify"].due_on == date(2026, 11, 23)
        report_decide_extension(complaint=case, actor=head, approve=True)

    verify = clocks(case)["report-verify"]
    assert verify.working_days == 30
    assert verify.due_on == date(2026, 12, 14)
    assert verify.extensions.get().approved_by == head
    line = case.events.get(action="extension_approved")
    assert "2026-11-23" in line.message and "2026-12-14" in line.message
    case.refresh_from_db()
    with pytest.raises(NotAllowed):  # only once
        report_request_extension(complaint=case, actor=world.handler, reason="再延")


def test_report_decision_is_told_to_a_named_reporter(
    world, file_case, django_capture_on_commit_callbacks
):
    case = file_case(kind="report", category="false-information")
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)

    with django_capture_on_commit_callbacks(execute=True):
        case = report_decide(
            complaint=case, actor=world.handler, open_case=True, message="已立案调查"
        )

    assert case.status == S.CASE_OPENED
    assert [m.to for m in mail.outbox] == [["chen@example.com"]]
    assert "已立案调查" in mail.outbox[0].body


def test_anonymous_report_gets_an_access_key_and_keeps_no_contact(world, file_case):
    case = file_case(kind="report", category="false-information", anonymous=True)

    assert case.anonymous
    assert len(case.access_key) == 8
    assert (case.contact_name, case.contact_phone, case.contact_email) == ("", "", "")


@pytest.mark.parametrize(
    ("action", "call"),
    [
        ("accept", lambda c, u: complaint_accept(complaint=c, actor=u)),
        ("forward", lambda c, u: complaint_forward(complaint=c, actor=u, message="x")),
        (
            "close",
            lambda c, u: complaint_close(complaint=c, actor=u, outcome="other", outcome_text="x"),
        ),
        (
            "decide_report",
            lambda c, u: report_decide(complaint=c, actor=u, open_case=True, message="x"),
        ),
    ],
)
def test_moves_the_state_does_not_allow_are_refused(world, file_case, action, call):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    complaint_decline(complaint=case, actor=world.handler, reason="other_legal", message="x")

    with pytest.raises(NotAllowed):
        call(case, world.handler)
    case.refresh_from_db()
    assert case.status == S.DECLINED


def test_only_the_assignee_or_a_supervisor_acts(world, file_case):
    case = file_case()
    complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)

    with pytest.raises(NotAllowed):
        complaint_accept(complaint=case, actor=world.other_handler)
    with pytest.raises(NotAllowed):
        complaint_accept(complaint=case, actor=world.dept_admin)
    complaint_accept(complaint=case, actor=world.supervisor)


def test_a_department_above_sees_the_case_but_does_not_act_on_it(world, file_case):
    from tests.factories import UserFactory

    case = file_case()
    provincial = UserFactory(department=world.departments["zj_market"], role="supervisor")

    assert case in complaints_visible_to(provincial)
    with pytest.raises(NotAllowed):
        complaint_assign(complaint=case, actor=provincial, assignee=provincial)


def test_invalid_transition_table_is_enforced_by_the_service():
    case = Complaint(kind=Complaint.Kind.COMPLAINT, status=S.CLOSED)

    with pytest.raises(Conflict):
        _move(case, S.ACCEPTED)


def test_decision_due_is_what_the_consumer_is_told(file_case):
    with time_machine.travel(date(2026, 11, 2), tick=False):
        case = file_case()

    assert decision_due(case).due_on == date(2026, 11, 11)
    assert PlatformForward.objects.count() == 0
