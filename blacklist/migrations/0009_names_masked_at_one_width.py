"""Masked names of one width: an entry's published name keeps its first
character and hides the rest behind ``**`` whatever the name's length (张伟 and
欧阳娜娜 were 张* and 欧***, telling how long the name is)."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Left


def remask(apps, schema_editor):
    Entry = apps.get_model("blacklist", "Entry")
    Entry.objects.exclude(party_kind="organisation").exclude(name="").update(
        name_masked=Concat(Left("name", 1), Value("**"))
    )


class Migration(migrations.Migration):
    dependencies = [("blacklist", "0008_sealed_free_text")]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop, elidable=True)]
