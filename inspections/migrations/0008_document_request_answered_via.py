"""The DocumentRequest is a platform request (``portal.requests``): the way each answer
came (web page or API key) is recorded, and filled in for the answers given."""

from django.db import migrations, models


def fill_answered_via(apps, schema_editor):
    """An answer with no user row came by API key; one with a user, by web page."""
    model = apps.get_model("inspections", "DocumentRequest")
    answered = model.objects.filter(answered_at__isnull=False)
    answered.filter(answered_by__isnull=True).update(answered_via="api")
    answered.filter(answered_by__isnull=False).update(answered_via="web")


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0007_sealed_free_text'),
    ]

    operations = [
        migrations.AddField(
            model_name='documentrequest',
            name='answered_via',
            field=models.CharField(blank=True, choices=[('web', 'web page'), ('api', 'API')], max_length=8, verbose_name='answered through'),
        ),
        migrations.RunPython(fill_answered_via, migrations.RunPython.noop),
    ]
