"""StatisticalReport leaves the kernel's state; its table is oversight's now
(oversight 0001 takes it over under the same name)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0010_sealed_free_text'),
        ('oversight', '0001_statistical_report_to_oversight'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='StatisticalReport')]
        ),
    ]
