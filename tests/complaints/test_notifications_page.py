"""A staff member's or platform officer's notifications page: what the outbox
recorded for them, each in the reader's language, linked to what it is about,
read when opened; the unread count in the header."""

import re
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.services.forwards import complaint_forward, forward_answer
from complaints.services.sweep import complaints_sweep
from complaints.services.workflow import complaint_accept, complaint_assign
from filings.models import NoticeKind
from filings.services.notices import notice_reply, notice_send
from portal.models import Notification
from portal.tasks import notification_send_task

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _unread(html: str) -> str:
    """The header's count, as the reader sees it."""
    found = re.search(r'class="notifications-link"[^>]*>(.*?)</a>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""


def _assigned(world, file_case, captured):
    with captured(execute=True):
        case = file_case()
        complaint_assign(complaint=case, actor=world.supervisor, assignee=world.handler)
    return case


def test_a_handler_given_a_case_reads_it_in_each_language_and_opening_it_reads_it(
    client, world, file_case, django_capture_on_commit_callbacks
):
    case = _assigned(world, file_case, django_capture_on_commit_callbacks)
    (owed,) = Notification.objects.filter(recipient_user=world.handler)
    client.force_login(world.handler)

    english = client.get("/notifications/", **ENGLISH).content.decode()
    assert f"Case {case.tracking_code} was assigned to you by" in english
    assert _unread(english) == "Notifications 1 unread"
    chinese = client.get("/notifications/", **CHINESE).content.decode()
    assert f"将案件{case.tracking_code}分派给您办理" in chinese
    assert "1条未读" in _unread(chinese)
    # the same row, each time in the reader's language
    opened = reverse("notification-open", args=[owed.pk])
    assert opened in english and opened in chinese

    answer = client.get(opened, **ENGLISH)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("complaints:detail", args=[case.pk])
    page = client.get("/notifications/", **ENGLISH).content.decode()
    assert _unread(page) == "Notifications"
    assert "Unread" not in page.split('id="notifications"')[1]


def test_another_readers_notification_answers_404_and_stays_unread(
    client, world, file_case, django_capture_on_commit_callbacks
):
    _assigned(world, file_case, django_capture_on_commit_callbacks)
    owed = Notification.objects.get(recipient_user=world.handler)
    client.force_login(world.other_handler)

    assert client.get(reverse("notification-open", args=[owed.pk])).status_code == 404
    assert "was assigned to you" not in client.get("/notifications/", **ENGLISH).content.decode()
    owed.refresh_from_db()
    assert owed.read_at is None


def test_mark_all_read_empties_the_count(
    client, world, file_case, django_capture_on_commit_callbacks
):
    _assigned(world, file_case, django_capture_on_commit_callbacks)
    _assigned(world, file_case, django_capture_on_commit_callbacks)
    client.force_login(world.handler)
    assert _unread(client.get("/notifications/", **ENGLISH).content.decode()).endswith("2 unread")

    assert client.get("/notifications/read/").status_code == 405
    assert client.post("/notifications/read/").status_code == 302
    assert _unread(client.get("/notifications/", **ENGLISH).content.decode()) == "Notifications"
    assert not Notification.objects.filter(recipient_user=world.handler, read_at=None).exists()


def test_taking_a_case_oneself_tells_nobody(world, file_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = file_case()
        complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
    assert not Notification.objects.filter(recipient_user=world.handler).exists()


def test_the_platform_officer_reads_the_forwarded_case_and_the_handler_the_answer(
    client, world, file_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(date(2026, 11, 2), tick=False):
            case = file_case()
            complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
            complaint_accept(complaint=case, actor=world.handler)
            forward = complaint_forward(complaint=case, actor=world.handler, message="请核实")
        forward_answer(forward=forward, actor=world.officer, answer="已为消费者退款")

    client.force_login(world.officer)
    page = client.get("/notifications/", **ENGLISH).content.decode()
    assert (
        f"Case {case.tracking_code} was forwarded to your platform: "
        "the answer is due on 2026-11-16." in page
    )
    (to_officer,) = Notification.objects.filter(recipient_user=world.officer)
    answer = client.get(reverse("notification-open", args=[to_officer.pk]))
    assert answer["Location"] == reverse("complaints:forward", args=[forward.pk])

    client.force_login(world.handler)
    page = client.get("/notifications/", **ENGLISH).content.decode()
    assert f"answered on case {case.tracking_code}." in page
    assert reverse("notification-open", args=[to_officer.pk]) not in page
    # the emails went to both, in the portal's language
    assert {m.to[0] for m in mail.outbox} >= {"officer@example.com", "handler@example.com"}


def test_a_notice_reaches_the_platforms_officers_and_its_reply_the_sender(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_send(
            actor=world.handler,
            platform=world.platform,
            kind=NoticeKind.VIOLATION,
            party="直播间 room-1",
            message="请核查并处置。",
        )
        notice_reply(notice=notice, actor=world.officer, reply="已处置。")

    client.force_login(world.officer)
    page = client.get("/notifications/", **CHINESE).content.decode()
    assert "向贵平台发出通知" in page
    client.force_login(world.handler)
    page = client.get("/notifications/", **ENGLISH).content.decode()
    assert "replied to your notice of" in page
    (reply,) = Notification.objects.filter(recipient_user=world.handler)
    answer = client.get(reverse("notification-open", args=[reply.pk]))
    assert answer["Location"] == reverse("filings:notice", args=[notice.pk])


def test_a_reminder_digest_is_listed_line_by_line_in_the_readers_language(
    client, world, file_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(date(2026, 11, 2), tick=False):
            case = file_case()
            complaint_assign(complaint=case, actor=world.handler, assignee=world.handler)
        complaints_sweep(today=date(2026, 11, 9))

    (digest,) = Notification.objects.filter(recipient_user=world.handler)
    assert "投诉受理决定" in digest.body  # the email, in the portal's language
    client.force_login(world.handler)
    page = client.get("/notifications/", **ENGLISH).content.decode()
    assert "Due within 2 working days" in page
    assert f"{case.tracking_code}: " in page and "due on 2026-11-11" in page
    line = reverse("notification-open", args=[digest.pk]) + "?item=0"
    assert line in page
    assert client.get(line)["Location"] == reverse("complaints:detail", args=[case.pk])


def test_the_kernel_task_sends_a_staff_message_once_however_often_it_runs(
    world, file_case, django_capture_on_commit_callbacks
):
    # recorded, and its task not run at commit: as if the worker had not yet taken it
    case = _assigned(
        world, file_case, lambda execute: django_capture_on_commit_callbacks(execute=False)
    )
    owed = Notification.objects.get(recipient_user=world.handler)
    mail.outbox.clear()

    assert notification_send_task(owed.pk) is True
    assert notification_send_task(owed.pk) is False
    (sent,) = mail.outbox
    assert sent.to == ["handler@example.com"]
    assert case.tracking_code in sent.subject and "分派给您办理" in sent.subject
    assert sent.body.rstrip().endswith("/notifications/")


def test_the_header_does_not_break_pages_for_anonymous_readers_or_consumers(client, world):
    assert client.get("/").status_code == 200
    assert client.get("/complaints/track/").status_code == 200
    assert 'class="notifications-link"' not in client.get("/").content.decode()


def test_the_list_costs_the_same_with_2_rows_as_with_20(
    client, world, file_case, django_capture_on_commit_callbacks
):

    def made(n):
        with django_capture_on_commit_callbacks(execute=False):
            for _ in range(n):
                case = file_case()
                complaint_assign(complaint=case, actor=world.supervisor, assignee=world.handler)

    client.force_login(world.handler)
    made(2)
    with CaptureQueriesContext(connection) as few:
        client.get("/notifications/", **ENGLISH)
    made(18)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/notifications/", **ENGLISH)
    assert page.content.decode().count("was assigned to you by") == 20
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_header_says_99_plus_past_99_unread(client, world):
    Notification.objects.bulk_create(
        Notification(
            key=f"test:{n}",
            kind="forward-answered",
            recipient=world.handler.email or "handler@example.org",
            recipient_user=world.handler,
            subject="平台已答复转交的投诉",
            body="平台已答复。",
        )
        for n in range(100)
    )
    client.force_login(world.handler)

    assert _unread(client.get("/notifications/", **ENGLISH).content.decode()) == (
        "Notifications 99+ unread"
    )
    assert "99+条未读" in _unread(client.get("/notifications/", **CHINESE).content.decode())
    Notification.objects.filter(key="test:0").delete()
    page = client.get("/notifications/", **ENGLISH).content.decode()
    assert _unread(page) == "Notifications 99 unread"
