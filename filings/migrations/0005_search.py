"""The filings list's search box: the platform's id, and the party's name by trigram
on PostgreSQL (portal.search.TrigramIndex; docs/decisions/0004-case-search.md)."""

from django.db import migrations, models

from portal.search import TrigramExtension, TrigramIndex


class Migration(migrations.Migration):
    dependencies = [("filings", "0004_notice_question")]

    operations = [
        TrigramExtension(),
        TrigramIndex(
            table="complaints_disposalfiling", column="party_name", name="filing_search_party_name"
        ),
        migrations.AddIndex(
            model_name="disposalfiling",
            index=models.Index(fields=["external_id"], name="filing_external_id"),
        ),
    ]
