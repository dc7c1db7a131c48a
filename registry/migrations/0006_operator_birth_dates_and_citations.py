"""Fill the birth date of operators identified by a resident ID number (the age rule
of Trial Art. 17 now covers natural-person operators), and correct the articles of
the negative catalogue: Trial Art. 7 ¶3 alone (Order 117 Art. 33 lists unsafe,
substandard and prohibited goods; it is not a negative catalogue). Rows an admin has
edited since they were seeded are left as they are."""

from django.db import migrations

T = "《网络直播营销管理办法（试行）》"
O = "《直播电商监督管理办法》"
SEEDED = (T + "第七条；" + O + "第三十三条", "Trial Art. 7; Order 117 Art. 33")
CORRECT = (T + "第七条第三款", "Trial Art. 7 ¶3")


def forward(apps, schema_editor):
    from portal.identity import decrypt_identity, ric_birth_date

    Operator = apps.get_model("registry", "Operator")
    for operator in Operator.objects.exclude(id_number_encrypted="").filter(
        birth_date__isnull=True
    ):
        operator.birth_date = ric_birth_date(decrypt_identity(operator.id_number_encrypted))
        operator.save(update_fields=["birth_date"])

    Category = apps.get_model("registry", "ViolationCategory")
    Category.objects.filter(
        code="negative-catalogue", articles=SEEDED[0], articles_en=SEEDED[1]
    ).update(articles=CORRECT[0], articles_en=CORRECT[1])
    Item = apps.get_model("registry", "NegativeCatalogueItem")
    Item.objects.filter(code="unfit-for-live", basis=SEEDED[0], basis_en=SEEDED[1]).update(
        basis=CORRECT[0], basis_en=CORRECT[1]
    )
    Item.objects.filter(code="prohibited-by-law", basis=T + "第七条", basis_en="Trial Art. 7").update(
        basis=CORRECT[0], basis_en=CORRECT[1]
    )


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_operator_age_rule")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
