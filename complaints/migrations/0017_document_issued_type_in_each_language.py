"""The "document issued" timeline lines stored the document type's Chinese name as
their ``type`` parameter; they now store it in each language, as new lines do."""

from django.db import migrations


def type_in_each_language(apps, schema_editor):
    CaseEvent = apps.get_model("complaints", "CaseEvent")
    DocumentKind = apps.get_model("portal", "DocumentKind")
    names = {kind.name: kind for kind in DocumentKind.objects.all()}
    changed = []
    for event in CaseEvent.objects.filter(action="document_issued").iterator():
        stored = event.message_params.get("type")
        if isinstance(stored, str) and stored in names:
            kind = names[stored]
            event.message_params = event.message_params | {
                "type": {"zh-hans": kind.name, "en": kind.name_en or kind.name}
            }
            changed.append(event)
    CaseEvent.objects.bulk_update(changed, ["message_params"], batch_size=1000)


def type_in_chinese(apps, schema_editor):
    CaseEvent = apps.get_model("complaints", "CaseEvent")
    changed = []
    for event in CaseEvent.objects.filter(action="document_issued").iterator():
        stored = event.message_params.get("type")
        if isinstance(stored, dict):
            event.message_params = event.message_params | {"type": stored.get("zh-hans", "")}
            changed.append(event)
    CaseEvent.objects.bulk_update(changed, ["message_params"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0016_search"),
        ("portal", "0013_dates_in_range"),
    ]

    operations = [migrations.RunPython(type_in_each_language, type_in_chinese)]
