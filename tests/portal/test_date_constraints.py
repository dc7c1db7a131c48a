"""Every date the portal checks at its edges is held to the same window by the
database, so that no path (COPY, raw SQL, a shell) can store a year the pages
cannot read."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from portal import dates

BOUNDED = (
    dates.validate_day,
    dates.validate_past_day,
    dates.validate_moment,
    dates.validate_past_moment,
)


def _bounded_fields():
    base = str(settings.BASE_DIR)
    for config in apps.get_app_configs():
        if not config.path.startswith(base) or "site-packages" in config.path:
            continue
        for model in config.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.DateField) and any(
                    v in BOUNDED for v in field.validators
                ):
                    yield model, field


def test_there_are_bounded_dates_in_every_app_that_takes_them():
    labels = {model._meta.app_label for model, _field in _bounded_fields()}
    assert {"portal", "complaints", "filings", "blacklist", "inspections"} <= labels


@pytest.mark.parametrize(
    ("model", "field"),
    list(_bounded_fields()),
    ids=lambda v: getattr(v, "name", None) or v._meta.label,
)
def test_a_bounded_date_has_its_check_constraint(model, field):
    names = {c.name for c in model._meta.constraints if isinstance(c, models.CheckConstraint)}
    assert any(n.endswith(f"_{field.name}_in_range") for n in names), (
        f"{model._meta.label}.{field.name} is checked at the edge but not in the database"
    )
