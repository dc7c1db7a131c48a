"""A notice asks its question in the fields every platform request shares
(portal.requests.PlatformRequest)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import portal.fields


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("filings", "0003_notice_answered_via"),
    ]

    operations = [
        migrations.RenameField("platformnotice", "message", "question"),
        migrations.RenameField("platformnotice", "message_sealed", "question_sealed"),
        migrations.RenameField("platformnotice", "sent_at", "asked_at"),
        migrations.RenameField("platformnotice", "sent_by", "asked_by"),
        migrations.AlterModelOptions(
            name='platformnotice',
            options={'ordering': ['-asked_at', '-id'], 'verbose_name': 'notice to a platform', 'verbose_name_plural': 'notices to platforms'},
        ),
        migrations.AlterField(
            model_name='platformnotice',
            name='asked_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='asked at'),
        ),
        migrations.AlterField(
            model_name='platformnotice',
            name='asked_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='asked by'),
        ),
        migrations.AlterField(
            model_name='platformnotice',
            name='question',
            field=portal.fields.SealedTextField(max_length=5000, verbose_name='what the platform is asked'),
        ),
    ]
