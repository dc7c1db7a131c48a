"""Emails owed are recorded with their cause and go out once, however often the
task runs, whether a worker dies or the broker loses its queue."""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from complaints import notifications
from portal.models import Notification
from portal.notifications import CLAIM_LEASE, notification_claim, notification_deliver
from portal.tasks import notification_send_task, notifications_resend_task

pytestmark = pytest.mark.django_db


def test_a_submission_owes_one_email_and_running_its_task_twice_sends_it_once(
    submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit()

    (owed,) = Notification.objects.all()
    assert (owed.kind, owed.recipient, owed.object_id) == (
        "complaints.consumer.received",
        "chen@example.com",
        case.pk,
    )
    assert owed.sent_at is not None
    assert [m.to for m in mail.outbox] == [["chen@example.com"]]
    assert case.tracking_code in mail.outbox[0].subject

    # Delivered again (acks_late after a lost acknowledgement): nothing more goes out.
    assert notification_send_task(owed.pk) is False
    assert notification_send_task(owed.pk) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"].endswith("@portal.invalid>")


def test_a_case_rolled_back_owes_nothing(submit, django_capture_on_commit_callbacks):
    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        submit()
        raise Abort

    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_an_email_whose_queue_message_was_lost_is_sent_by_the_resend_sweep_once(
    submit, django_capture_on_commit_callbacks
):
    # The callbacks that would queue the task are dropped: as if Redis restarted
    # with the message in it.
    with django_capture_on_commit_callbacks(execute=False):
        case = submit()
    assert mail.outbox == []

    assert notifications_resend_task(older_than_seconds=120) == 0  # too fresh to chase
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert notifications_resend_task(older_than_seconds=120) == 1
        assert notifications_resend_task(older_than_seconds=120) == 0

    assert [m.to for m in mail.outbox] == [["chen@example.com"]]
    assert case.tracking_code in mail.outbox[0].subject


def test_a_mail_server_that_refuses_releases_the_claim_and_the_retry_sends_once(
    submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        submit()
    owed = Notification.objects.get()

    # A real SMTP connection to a port nobody listens on.
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=1,
            EMAIL_TIMEOUT=2,
        ),
        pytest.raises(OSError),
    ):
        notification_deliver(notification_id=owed.pk, render=notifications.render)
    owed.refresh_from_db()
    assert (owed.sent_at, owed.claimed_at, owed.attempts) == (None, None, 1)
    assert owed.last_error

    assert notification_deliver(notification_id=owed.pk, render=notifications.render) is True
    assert notification_deliver(notification_id=owed.pk, render=notifications.render) is False
    owed.refresh_from_db()
    assert owed.attempts == 2 and owed.sent_at is not None and owed.last_error == ""
    assert len(mail.outbox) == 1


def test_a_worker_killed_holding_a_claim_is_taken_over_once_its_lease_ends(
    submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        submit()
    owed = Notification.objects.get()
    assert notification_claim(notification_id=owed.pk) is not None  # …and the worker dies

    # A second delivery while the claim holds sends nothing; nor does the sweep.
    assert notification_send_task(owed.pk) is False
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert notifications_resend_task(older_than_seconds=120) == 0
    assert mail.outbox == []

    with time_machine.travel(timezone.now() + CLAIM_LEASE + timedelta(minutes=1)):
        assert notifications_resend_task(older_than_seconds=120) == 1
        assert notifications_resend_task(older_than_seconds=120) == 0
    assert [m.to for m in mail.outbox] == [["chen@example.com"]]


def test_each_consumer_email_is_owed_once_per_event(submit, django_capture_on_commit_callbacks):
    from accounts.models import User
    from complaints.services.workflow import (
        complaint_answer_material,
        complaint_assign,
        complaint_request_material,
    )

    with django_capture_on_commit_callbacks(execute=True):
        case = submit()
        handler = User.objects.get(email="h@example.com")
        complaint_assign(complaint=case, actor=handler, assignee=handler)
        complaint_request_material(complaint=case, actor=handler, message="请补充订单截图")
        complaint_answer_material(complaint=case, answer="已补充")
        complaint_request_material(complaint=case, actor=handler, message="请补充聊天记录")

    kinds = list(Notification.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [
        "complaints.consumer.received",
        "complaints.consumer.material_requested",
        "complaints.consumer.material_requested",
    ]
    assert len(mail.outbox) == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_claiming_at_once_on_postgresql_send_once(submit):
    """Two deliveries of the same task at the same moment (a broker restart hands the
    message to two workers): the first claim holds its row lock; the second waits,
    finds the row claimed once the first commits, and sends nothing."""
    submit()  # autocommit: the on_commit callback runs the (eager) task at once
    mail.outbox.clear()
    owed = Notification.objects.get()
    Notification.objects.filter(pk=owed.pk).update(sent_at=None, claimed_at=None)

    first_claimed = threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = notification_claim(notification_id=owed.pk)
                first_claimed.set()
                time.sleep(0.5)  # the second claim is now blocked on the row
        finally:
            connection.close()

    def second():
        try:
            first_claimed.wait(5)
            started = time.monotonic()
            results["second"] = notification_claim(notification_id=owed.pk)
            results["waited"] = time.monotonic() - started
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert results["first"] is not None
    assert results["second"] is None
    assert results["waited"] > 0.3  # it did wait for the first claim's lock

    # And full deliveries racing: exactly one email.
    Notification.objects.filter(pk=owed.pk).update(sent_at=None, claimed_at=None)
    barrier = threading.Barrier(4)
    sent = []

    def deliver():
        try:
            barrier.wait(5)
            sent.append(notification_send_task(owed.pk))
        finally:
            connection.close()

    racers = [threading.Thread(target=deliver) for _ in range(4)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(10)
    assert sorted(sent) == [False, False, False, True]
    assert [m.to for m in mail.outbox] == [["chen@example.com"]]


def _fresh_connections(app):
    """Make the app open its broker connections anew from its (changed) settings."""
    app._pool = None
    app.amqp._producer_pool = None


def test_a_broker_that_is_down_at_commit_fails_nothing_and_the_sweep_sends_later(
    submit, django_capture_on_commit_callbacks, caplog
):
    """A real broker address where nothing listens (as while Redis restarts): the
    case is filed, its email owed, and the resend sweep sends it once Redis is back."""
    from config.celery import app

    saved = {
        "task_always_eager": app.conf.task_always_eager,
        "broker_url": app.conf.broker_url,
        "broker_connection_retry": app.conf.broker_connection_retry,
        "broker_connection_max_retries": app.conf.broker_connection_max_retries,
        "task_publish_retry": app.conf.task_publish_retry,
    }
    app.conf.update(
        task_always_eager=False,
        broker_url="redis://127.0.0.1:1/0",
        broker_connection_retry=False,
        broker_connection_max_retries=0,
        task_publish_retry=False,
    )
    _fresh_connections(app)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            case = submit()
    finally:
        app.conf.update(saved)
        _fresh_connections(app)

    owed = Notification.objects.get()
    assert owed.object_id == case.pk and owed.sent_at is None
    assert mail.outbox == []
    assert f"notification {owed.pk} not queued" in caplog.text
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert notifications_resend_task() == 1
    assert [m.to for m in mail.outbox] == [["chen@example.com"]]
