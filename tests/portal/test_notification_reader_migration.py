"""The upgrade that names each notification's reader: earlier staff emails are
given the account whose address they went to, where exactly one account has
it; a consumer's email names none. Their page shows the subject stored."""

import pytest

from accounts.models import User
from portal.models import Notification
from tests.migrator import head as _head
from tests.migrator import migrate as _migrate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("portal", "0014_roster_citations")]


def test_earlier_emails_are_given_their_readers_account_where_one_account_has_the_address(
    client,
):
    apps = _migrate(BEFORE)
    try:
        OldUser = apps.get_model("accounts", "User")
        Old = apps.get_model("portal", "Notification")
        OldUser.objects.create(username="upgrade-handler", email="handler@upgrade.example")
        OldUser.objects.create(username="upgrade-a", email="shared@upgrade.example")
        OldUser.objects.create(username="upgrade-b", email="shared@upgrade.example")
        digest = {"kind": "complaints.digest.overdue", "subject": "逾期", "body": "ZJ1：已逾期"}
        Old.objects.create(key="d1", recipient="handler@upgrade.example", **digest)
        Old.objects.create(key="d2", recipient="shared@upgrade.example", **digest)
        Old.objects.create(
            key="c1", kind="complaints.consumer.received", recipient="handler@upgrade.example"
        )
    finally:
        _migrate(_head())

    handler = User.objects.get(username="upgrade-handler")
    readers = dict(Notification.objects.values_list("key", "recipient_user__username"))
    assert readers == {"d1": "upgrade-handler", "d2": None, "c1": None}

    client.force_login(handler)
    page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "逾期" in page  # an earlier row has no message key: its stored subject


def test_beat_entries_of_the_former_per_app_tasks_go_or_name_the_kernels():
    apps = _migrate(
        [
            ("portal", "0015_notification_reader"),
            ("django_celery_beat", "0019_alter_periodictasks_options"),
        ]
    )
    try:
        Interval = apps.get_model("django_celery_beat", "IntervalSchedule")
        Task = apps.get_model("django_celery_beat", "PeriodicTask")
        every = Interval.objects.create(every=300, period="seconds")
        for name, task in (
            ("account-emails-resend", "accounts.tasks.account_emails_resend_task"),
            ("notifications-resend", "complaints.tasks.notifications_resend_task"),
        ):
            Task.objects.update_or_create(name=name, defaults={"task": task, "interval": every})
    finally:
        _migrate(_head())

    from django_celery_beat.models import PeriodicTask

    tasks = dict(PeriodicTask.objects.values_list("name", "task"))
    assert "account-emails-resend" not in tasks
    assert tasks["notifications-resend"] == "portal.tasks.notifications_resend_task"
