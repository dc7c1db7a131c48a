"""The bulk store's two paths (COPY on PostgreSQL, bulk_create elsewhere) store
the same filing, column for column."""

import pytest
from django.db import connection
from django.forms.models import model_to_dict

from filings.models import DisposalFiling
from filings.services._sql import copy_rows, create_rows
from filings.services.filings import filing_submit_batch
from portal.fields import seal_row
from tests.filings.conftest import item

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_and_bulk_create_store_the_same_row(platforms):
    (first,) = filing_submit_batch(
        platform=platforms.a,
        items=[item(1)],
        channel="api",
        actor=platforms.officer_a,
    )
    stored = DisposalFiling.objects.filter(pk=first.id).values().get()
    row = {k: v for k, v in stored.items() if k != "id"}

    copied = copy_rows(DisposalFiling, [seal_row(DisposalFiling, {**row, "external_id": "C-1"})])
    created = create_rows(DisposalFiling, [seal_row(DisposalFiling, {**row, "external_id": "C-2"})])

    def columns(pk):
        values = model_to_dict(DisposalFiling.objects.get(pk=pk))
        values.update(DisposalFiling.objects.filter(pk=pk).values().get())
        return {k: v for k, v in values.items() if k not in ("id", "external_id")}

    assert columns(copied[0]) == columns(created[0]) == columns(first.id)
    assert DisposalFiling.objects.get(pk=copied[0]).measures == stored["measures"]
