"""The emails of every app are sent and chased by the kernel's tasks
(``portal.tasks``): beat's entries naming the former per-app tasks go. The
database scheduler keeps an entry it no longer finds in the settings, and would
queue a task no worker knows; ``notifications-resend`` is rewritten to the new
task by the scheduler itself on start."""

from django.db import migrations

OLD_RESEND = {
    "accounts.tasks.account_emails_resend_task": None,
    "complaints.tasks.notifications_resend_task": "portal.tasks.notifications_resend_task",
}


def forward(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for old, new in OLD_RESEND.items():
        if new is None:
            PeriodicTask.objects.filter(task=old).delete()
        else:
            PeriodicTask.objects.filter(task=old).update(task=new)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0015_notification_reader"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
