"""Cases are found by the keyed hash of the consumer's phone (portal.identity.phone_hash),
not by the number: the hash is written for the cases on file, and the index on the
number gives way to one on the hash."""

from django.db import migrations, models

from portal.identity import phone_hash

BATCH = 2000


def hash_phones(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    cases = Complaint.objects.exclude(contact_phone="").only("pk", "contact_phone").order_by("pk")
    batch = []
    for case in cases.iterator(chunk_size=BATCH):
        case.contact_phone_hash = phone_hash(case.contact_phone)
        batch.append(case)
        if len(batch) == BATCH:
            Complaint.objects.bulk_update(batch, ["contact_phone_hash"])
            batch = []
    Complaint.objects.bulk_update(batch, ["contact_phone_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0019_extension_requests_indexed"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="contact_phone_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(hash_phones, migrations.RunPython.noop, elidable=True),
        migrations.RemoveIndex(
            model_name="complaint",
            name="complaints__contact_ae2f6d_idx",
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=["contact_phone_hash", "received_at"], name="complaint_phone_hash"
            ),
        ),
    ]
