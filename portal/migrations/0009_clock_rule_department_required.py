"""A department's own clock length always names its department (the defaults
moved into the rule sets in 0008)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("portal", "0008_seed_rule_sets")]
    operations = [
        migrations.AlterField(
            model_name='clockrule',
            name='department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='accounts.department', verbose_name='department'),
        ),
    ]
