"""Listings and credit repairs get their rule sets, and credit repair its acceptance
step (the rows are filled by 0006)."""

import django.db.models.deletion
import portal.dates
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('blacklist', '0005_dates_in_range'),
        ('portal', '0009_clock_rule_department_required'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='entry',
            name='rule_set',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='listings', to='portal.ruleset', verbose_name='rule set'),
        ),
        migrations.AddField(
            model_name='repairapplication',
            name='accepted_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='accepted by'),
        ),
        migrations.AddField(
            model_name='repairapplication',
            name='accepted_on',
            field=models.DateField(blank=True, help_text='The decision clock runs from the day the application is accepted.', null=True, validators=[portal.dates.validate_day], verbose_name='accepted on'),
        ),
        migrations.AddField(
            model_name='repairapplication',
            name='rule_set',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='repair_applications', to='portal.ruleset', verbose_name='rule set'),
        ),
        migrations.AlterField(
            model_name='entrystate',
            name='status',
            field=models.CharField(choices=[('proposed', 'proposed'), ('notified', 'notice served, statement window running'), ('heard', 'statement recorded'), ('listed', 'listed'), ('repair_pending', 'listed, credit repair applied for'), ('repair_accepted', 'listed, credit repair application accepted'), ('dropped', 'not listed (dropped)'), ('expired', 'removed: term ended'), ('repaired', 'removed: credit repaired'), ('revoked', 'removed: revoked on review or appeal')], max_length=16, verbose_name='status'),
        ),
    ]
