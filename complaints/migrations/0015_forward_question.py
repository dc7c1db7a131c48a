"""A forward asks its question in the fields every platform request shares
(portal.requests.PlatformRequest); its due date is its clock's. A forward stored
before without a clock keeps its due date on a clock made for it."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils.timezone import localdate

import portal.fields


def clocks_for_forwards_without_one(apps, schema_editor):
    Forward = apps.get_model("complaints", "PlatformForward")
    Deadline = apps.get_model("portal", "Deadline")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind, _made = ContentType.objects.get_or_create(app_label="complaints", model="platformforward")
    clocked = Deadline.objects.filter(content_type=kind).values("object_id")
    source = (
        Deadline.objects.filter(clock="platform-answer").values_list("source", flat=True).first()
        or "《直播电商监督管理办法》第二十条"
    )
    for forward in Forward.objects.exclude(pk__in=clocked).order_by("pk").iterator():
        Deadline.objects.create(
            content_type=kind,
            object_id=forward.pk,
            clock="platform-answer",
            source=source,
            started_on=localdate(forward.asked_at),
            working_days=max((forward.due_on - localdate(forward.asked_at)).days, 0),
            unit="calendar",
            due_on=forward.due_on,
            state="met" if forward.answered_at else "running",
            closed_at=forward.answered_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("complaints", "0014_forward_answered_via"),
        ("portal", "0013_dates_in_range"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RenameField("platformforward", "message", "question"),
        migrations.RenameField("platformforward", "message_sealed", "question_sealed"),
        migrations.RenameField("platformforward", "forwarded_at", "asked_at"),
        migrations.RenameField("platformforward", "forwarded_by", "asked_by"),
        migrations.RunPython(clocks_for_forwards_without_one, migrations.RunPython.noop),
        migrations.RemoveConstraint("platformforward", "forward_due_on_in_range"),
        migrations.RemoveField("platformforward", "due_on"),
        migrations.AlterModelOptions(
            name='platformforward',
            options={'ordering': ['-asked_at'], 'verbose_name': 'case forwarded to a platform', 'verbose_name_plural': 'cases forwarded to platforms'},
        ),
        migrations.AlterField(
            model_name='platformforward',
            name='asked_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='asked at'),
        ),
        migrations.AlterField(
            model_name='platformforward',
            name='asked_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='asked by'),
        ),
        migrations.AlterField(
            model_name='platformforward',
            name='question',
            field=portal.fields.SealedTextField(max_length=5000, verbose_name='what the platform is asked'),
        ),
    ]
