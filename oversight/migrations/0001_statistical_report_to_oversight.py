"""StatisticalReport moves from the kernel to oversight: the table stays where it
is (portal_statisticalreport), only Django's state and the content type move, so
permissions and anything pointing at the content type follow."""

import django.core.validators
import django.db.models.deletion
import portal.fields
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="portal", model="statisticalreport").update(
        app_label="oversight"
    )


def _move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="oversight", model="statisticalreport").update(
        app_label="portal"
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('portal', '0010_sealed_free_text'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('accounts', '0005_api_key_dates_in_range'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(_move_content_type, _move_content_type_back),
        migrations.SeparateDatabaseAndState(state_operations=[migrations.CreateModel(
            name='StatisticalReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period_kind', models.CharField(choices=[('monthly', 'monthly'), ('quarterly', 'quarterly')], max_length=16, verbose_name='period')),
                ('period_start', models.DateField(verbose_name='period start')),
                ('language', models.CharField(choices=[('zh-hans', 'Chinese'), ('en', 'English')], default='zh-hans', max_length=8, verbose_name='language')),
                ('status', models.CharField(choices=[('queued', 'queued'), ('running', 'running'), ('done', 'done'), ('failed', 'failed')], default='queued', max_length=16, verbose_name='status')),
                ('progress', models.PositiveSmallIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='progress')),
                ('file', models.FileField(blank=True, upload_to='reports/%Y/%m/', verbose_name='file')),
                ('scheduled', models.BooleanField(default=False, help_text="Made by the monthly and quarterly schedule, not at a person's request.", verbose_name='made by the schedule')),
                ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='requested at')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                ('error', portal.fields.MaskedTextField(blank=True, verbose_name='error')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='statistical_reports', to='accounts.department', verbose_name='department')),
                ('requested_by', models.ForeignKey(blank=True, help_text='Empty for a report made by the schedule.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
            ],
            options={
                'verbose_name': 'statistical report',
                'verbose_name_plural': 'statistical reports',
                'db_table': 'portal_statisticalreport',
                'ordering': ['-requested_at', '-pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('scheduled', True)), fields=('department', 'period_kind', 'period_start', 'language'), name='statistical_report_scheduled_once')],
            },
        )]),
    ]
