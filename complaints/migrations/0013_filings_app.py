"""Disposal filings, their routes and notices to platforms leave complaints for
the filings app: state only, the tables stay (filings 0001 takes them over)."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('filings', '0001_filings_app'),
        ('complaints', '0012_forward_answer_files'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.RemoveField(
            model_name='routerecipient',
            name='route',
        ),
        migrations.RemoveField(
            model_name='platformnotice',
            name='department',
        ),
        migrations.RemoveField(
            model_name='platformnotice',
            name='platform',
        ),
        migrations.RemoveField(
            model_name='platformnotice',
            name='replied_by',
        ),
        migrations.RemoveField(
            model_name='platformnotice',
            name='sent_by',
        ),
        migrations.RemoveField(
            model_name='routerecipient',
            name='department',
        ),
        migrations.DeleteModel(
            name='DisposalFiling',
        ),
        migrations.DeleteModel(
            name='FilingRoute',
        ),
        migrations.DeleteModel(
            name='PlatformNotice',
        ),
        migrations.DeleteModel(
            name='RouteRecipient',
        ),
        ]),
    ]
