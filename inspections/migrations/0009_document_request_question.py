"""A document request asks its question in the fields every platform request
shares (portal.requests.PlatformRequest)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import portal.fields


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("inspections", "0008_document_request_answered_via"),
    ]

    operations = [
        migrations.RenameField("documentrequest", "requested", "question"),
        migrations.RenameField("documentrequest", "requested_sealed", "question_sealed"),
        migrations.RenameField("documentrequest", "requested_at", "asked_at"),
        migrations.RenameField("documentrequest", "requested_by", "asked_by"),
        migrations.AlterModelOptions(
            name='documentrequest',
            options={'ordering': ['-asked_at', '-id'], 'verbose_name': 'document request', 'verbose_name_plural': 'document requests'},
        ),
        migrations.AlterField(
            model_name='documentrequest',
            name='asked_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='asked at'),
        ),
        migrations.AlterField(
            model_name='documentrequest',
            name='asked_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='asked by'),
        ),
        migrations.AlterField(
            model_name='documentrequest',
            name='question',
            field=portal.fields.SealedTextField(max_length=5000, verbose_name='what the platform is asked'),
        ),
    ]
