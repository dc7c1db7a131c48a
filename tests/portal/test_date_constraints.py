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


@pytest.mark.django_db
def test_cleaning_a_dated_row_decides_the_window_without_asking_the_database(
    django_assert_num_queries,
):
    from datetime import date

    from django.core.exceptions import ValidationError

    from portal.models import Deadline

    constraints = [c for c in Deadline._meta.constraints if c.name.endswith("_in_range")]
    inside = Deadline(started_on=date(2026, 12, 1), due_on=date(2027, 1, 5))
    outside = Deadline(started_on=date(2026, 12, 1), due_on=date(2101, 1, 1))
    with django_assert_num_queries(0):
        for constraint in constraints:
            constraint.validate(Deadline, inside)
        with pytest.raises(ValidationError):
            for constraint in constraints:
                constraint.validate(Deadline, outside)
        with pytest.raises(ValidationError):
            outside.validate_constraints()


@pytest.mark.parametrize(
    ("value", "holds"),
    [
        (None, True),
        ("2000-01-01T00:00:00+08:00", True),
        ("1999-12-31T23:59:59+08:00", False),
        ("2100-12-31T23:59:59+08:00", True),
        ("2101-01-01T00:00:00+08:00", False),
        ("2100-12-31T20:00:00+00:00", False),  # 04:00 on 1 January 2101 in Beijing
        ("2000-01-01T00:00:00", True),  # naive: read in Beijing time
    ],
)
def test_the_python_check_of_a_moment_agrees_with_the_sql_window(value, holds):
    from datetime import datetime

    from django.core.exceptions import ValidationError

    from accounts.models import PlatformApiKey

    (constraint,) = [
        c for c in PlatformApiKey._meta.constraints if c.name == "api_key_expires_at_in_range"
    ]
    key = PlatformApiKey(expires_at=datetime.fromisoformat(value) if value else None)
    if holds:
        constraint.validate(PlatformApiKey, key)
    else:
        with pytest.raises(ValidationError):
            constraint.validate(PlatformApiKey, key)
