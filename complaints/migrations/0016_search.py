"""The search box's indexes (complaints.selectors.case_search).

pg_trgm and GIN trigram indexes on PostgreSQL only (portal.search.TrigramIndex;
docs/decisions/0004-case-search.md); the two plain indexes everywhere.
"""

from django.db import migrations, models

from portal.search import TrigramExtension, TrigramIndex

TABLE = "complaints_complaint"


class Migration(migrations.Migration):
    dependencies = [("complaints", "0015_forward_question")]

    operations = [
        TrigramExtension(),
        TrigramIndex(table=TABLE, column="description", name="complaint_search_description"),
        TrigramIndex(table=TABLE, column="contact_name", name="complaint_search_contact_name"),
        TrigramIndex(table=TABLE, column="live_room_name", name="complaint_search_live_room"),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["order_number"], name="complaint_order_number"),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["live_room_account"], name="complaint_live_room_account"),
        ),
    ]
