"""The filings app takes over disposal filings, their routes and notices to
platforms from complaints. The tables keep their names; the content types move,
so deadlines, audit events and blacklist sources that point at them still
resolve, and so do the permissions."""

import datetime
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import portal.dates
import portal.fields
import portal.identity
from django.conf import settings
from django.db import migrations, models


MODELS = ["disposalfiling", "filingroute", "routerecipient", "platformnotice"]


def _move(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=source, model__in=MODELS).update(app_label=target)


def _move_content_types(apps, schema_editor):
    _move(apps, "complaints", "filings")


def _move_content_types_back(apps, schema_editor):
    _move(apps, "filings", "complaints")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('complaints', '0012_forward_answer_files'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('accounts', '0005_api_key_dates_in_range'),
        ('registry', '0008_roster_pending'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(_move_content_types, _move_content_types_back),
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.CreateModel(
            name='FilingRoute',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('signature', models.CharField(max_length=500, unique=True, verbose_name='signature')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
            ],
            options={
                'verbose_name': 'filing route',
                'verbose_name_plural': 'filing routes',
                'db_table': 'complaints_filingroute',
            },
        ),
        migrations.CreateModel(
            name='DisposalFiling',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('id_number_encrypted', models.TextField(blank=True, editable=False)),
                ('id_number_hash', models.CharField(blank=True, db_index=True, editable=False, max_length=64)),
                ('id_number_masked', models.CharField(blank=True, editable=False, max_length=18, verbose_name='resident ID number')),
                ('external_id', models.CharField(max_length=128, validators=[django.core.validators.RegexValidator('^[A-Za-z0-9_-]{1,128}$', '1–128 letters, digits, “_” or “-”.', code='external_id')], verbose_name="platform's id")),
                ('party_kind', models.CharField(choices=[('live_room', 'live room'), ('operator', 'live room operator'), ('marketer', 'live marketer'), ('agency', 'marketer service agency (MCN)')], max_length=16, verbose_name='party')),
                ('party_name', models.CharField(max_length=200, verbose_name="party's name")),
                ('party_uscc', models.CharField(blank=True, max_length=18, validators=[portal.identity.validate_uscc], verbose_name='unified social credit code')),
                ('live_room_account', models.CharField(blank=True, max_length=128, verbose_name='live room account id')),
                ('measures', models.JSONField(default=list, verbose_name='measures taken')),
                ('suspended_until', models.DateField(blank=True, null=True, validators=[portal.dates.validate_day], verbose_name='suspended until')),
                ('blacklisted_until', models.DateField(blank=True, null=True, validators=[portal.dates.validate_day], verbose_name='blacklisted until')),
                ('appeal_route', portal.fields.MaskedTextField(blank=True, verbose_name='how to appeal the blacklisting')),
                ('conduct_at', models.DateTimeField(validators=[portal.dates.validate_moment], verbose_name='conduct at')),
                ('acted_at', models.DateTimeField(validators=[portal.dates.validate_moment], verbose_name='platform acted at')),
                ('facts', portal.fields.SealedTextField(max_length=5000, verbose_name='facts')),
                ('facts_sealed', portal.fields.SealField(blank=True, default='', editable=False)),
                ('evidence_links', models.JSONField(blank=True, default=list, verbose_name='evidence links')),
                ('received_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='received at')),
                ('channel', models.CharField(choices=[('api', 'API'), ('web', 'web form'), ('csv', 'CSV upload')], max_length=8, verbose_name='channel')),
                ('submitted_by_label', models.CharField(blank=True, max_length=200, verbose_name='filed by')),
                ('agency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.agency', verbose_name='agency on record')),
                ('category', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.violationcategory', verbose_name='violation')),
                ('live_room', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.liveroom', verbose_name='live room on record')),
                ('marketer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.marketer', verbose_name='marketer on record')),
                ('operator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.operator', verbose_name='operator on record')),
                ('platform', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='filings', to='accounts.platform', verbose_name='platform')),
                ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='filed by')),
                ('route', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='filings', to='filings.filingroute', verbose_name='sent to')),
            ],
            options={
                'verbose_name': 'disposal filing',
                'verbose_name_plural': 'disposal filings',
                'db_table': 'complaints_disposalfiling',
                'ordering': ['-received_at', '-id'],
                'indexes': [models.Index(fields=['platform', 'received_at'], name='complaints__platfor_aa0180_idx'), models.Index(fields=['category', 'received_at'], name='complaints__categor_6f885c_idx'), models.Index(fields=['route', 'received_at'], name='complaints__route_i_23ccc9_idx')],
                'constraints': [models.UniqueConstraint(fields=('platform', 'external_id'), name='filing_unique_external_id'), models.CheckConstraint(condition=models.Q(('acted_at__gte', models.F('conduct_at'))), name='filing_acted_after_conduct', violation_error_message='The platform cannot act before the conduct.'), models.CheckConstraint(condition=models.Q(('suspended_until__gte', datetime.date(2000, 1, 1)), ('suspended_until__lte', datetime.date(2100, 12, 31))), name='filing_suspended_until_in_range', violation_error_message='A date out of range (2000-01-01 to 2100-12-31).'), models.CheckConstraint(condition=models.Q(('blacklisted_until__gte', datetime.date(2000, 1, 1)), ('blacklisted_until__lte', datetime.date(2100, 12, 31))), name='filing_blacklisted_until_in_range', violation_error_message='A date out of range (2000-01-01 to 2100-12-31).'), models.CheckConstraint(condition=models.Q(('conduct_at__gte', datetime.datetime(1999, 12, 31, 16, 0, tzinfo=datetime.timezone.utc)), ('conduct_at__lt', datetime.datetime(2100, 12, 31, 16, 0, tzinfo=datetime.timezone.utc))), name='filing_conduct_at_in_range', violation_error_message='A date out of range (2000-01-01 to 2100-12-31).'), models.CheckConstraint(condition=models.Q(('acted_at__gte', datetime.datetime(1999, 12, 31, 16, 0, tzinfo=datetime.timezone.utc)), ('acted_at__lt', datetime.datetime(2100, 12, 31, 16, 0, tzinfo=datetime.timezone.utc))), name='filing_acted_at_in_range', violation_error_message='A date out of range (2000-01-01 to 2100-12-31).')],
            },
        ),
        migrations.CreateModel(
            name='PlatformNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('violation', 'a violation for the platform to act on (Order 117 Art. 12 ¶2, Art. 50)'), ('unreachable_operator', 'an operator the department cannot reach: remind them (Order 117 Art. 22)')], max_length=24, verbose_name='kind')),
                ('party', models.CharField(max_length=300, verbose_name='party concerned')),
                ('message', portal.fields.SealedTextField(max_length=5000, verbose_name='what the platform is asked to do')),
                ('message_sealed', portal.fields.SealField(blank=True, default='', editable=False)),
                ('sent_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='sent at')),
                ('replied_at', models.DateTimeField(blank=True, null=True, verbose_name='replied at')),
                ('reply', portal.fields.SealedTextField(blank=True, max_length=5000, verbose_name="platform's reply")),
                ('reply_sealed', portal.fields.SealField(blank=True, default='', editable=False)),
                ('replied_by_label', models.CharField(blank=True, max_length=200, verbose_name='replied by')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='platform_notices', to='accounts.department', verbose_name='sending department')),
                ('platform', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='notices', to='accounts.platform', verbose_name='platform')),
                ('replied_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='replied by')),
                ('sent_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sent by')),
            ],
            options={
                'verbose_name': 'notice to a platform',
                'verbose_name_plural': 'notices to platforms',
                'db_table': 'complaints_platformnotice',
                'ordering': ['-sent_at', '-id'],
                'indexes': [models.Index(fields=['platform', 'replied_at'], name='complaints__platfor_2c90d3_idx')],
            },
        ),
        migrations.CreateModel(
            name='RouteRecipient',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(choices=[('domicile', "county-or-higher department of the platform's domicile: every disposal measure (Order 117 Art. 12 ¶3; Trial Art. 9, 14)"), ('provincial', "provincial department of the platform's domicile: account closure, re-registration ban or blacklisting (Order 117 Art. 12 ¶3)")], max_length=16, verbose_name='why')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='filing_routes', to='accounts.department', verbose_name='department')),
                ('route', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recipients', to='filings.filingroute')),
            ],
            options={
                'verbose_name': 'filing recipient',
                'verbose_name_plural': 'filing recipients',
                'db_table': 'complaints_routerecipient',
                'ordering': ['route', 'department__region__code'],
                'constraints': [models.UniqueConstraint(fields=('route', 'department'), name='route_recipient_once')],
            },
        ),
        ]),
    ]
