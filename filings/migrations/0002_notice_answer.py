"""A notice's reply is a platform request's answer (``portal.requests``): the
columns are renamed, the data kept."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("filings", "0001_filings_app")]

    operations = [
        migrations.RemoveIndex(model_name="platformnotice", name="complaints__platfor_2c90d3_idx"),
        migrations.RenameField("platformnotice", "reply", "answer"),
        migrations.RenameField("platformnotice", "reply_sealed", "answer_sealed"),
        migrations.RenameField("platformnotice", "replied_at", "answered_at"),
        migrations.RenameField("platformnotice", "replied_by", "answered_by"),
        migrations.RenameField("platformnotice", "replied_by_label", "answered_by_label"),
        migrations.AddIndex(
            model_name="platformnotice",
            index=models.Index(
                fields=["platform", "answered_at"], name="complaints__platfor_e7a947_idx"
            ),
        ),
    ]
