"""The PlatformForward is a platform request (``portal.requests``): the way each answer
came (web page or API key) is recorded, and filled in for the answers given."""

import django.db.models.deletion
import portal.fields
from django.conf import settings
from django.db import migrations, models


def fill_answered_via(apps, schema_editor):
    """An answer with no user row came by API key; one with a user, by web page."""
    model = apps.get_model("complaints", "PlatformForward")
    answered = model.objects.filter(answered_at__isnull=False)
    answered.filter(answered_by__isnull=True).update(answered_via="api")
    answered.filter(answered_by__isnull=False).update(answered_via="web")


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0013_filings_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='platformforward',
            name='answered_via',
            field=models.CharField(blank=True, choices=[('web', 'web page'), ('api', 'API')], max_length=8, verbose_name='answered through'),
        ),
        migrations.AlterField(
            model_name='platformforward',
            name='answer',
            field=portal.fields.SealedTextField(blank=True, max_length=5000, verbose_name="platform's answer"),
        ),
        migrations.AlterField(
            model_name='platformforward',
            name='answered_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='answered by'),
        ),
        migrations.RunPython(fill_answered_via, migrations.RunPython.noop),
    ]
