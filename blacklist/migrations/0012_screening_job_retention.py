"""Roster jobs: the uploaded file may be gone (deleted once the job has finished), and a
row's error is kept as a message key and its parameters, put in the reader's language.
A message written before is kept as its key: shown as it was written."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("blacklist", "0011_screening_jobs")]

    operations = [
        migrations.AlterField(
            model_name="screeningjob",
            name="file",
            field=models.FileField(
                blank=True, upload_to="screening-jobs/%Y/", verbose_name="file as uploaded"
            ),
        ),
        migrations.RenameField(
            model_name="screeningjoberror", old_name="message", new_name="message_key"
        ),
        migrations.AddField(
            model_name="screeningjoberror",
            name="message_params",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
