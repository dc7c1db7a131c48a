"""The dates and times the portal accepts: one set of bounds for every edge.

A date or time that someone sends (API, form, CSV or XLSX upload, admin) is
checked against bounds that fit its meaning, with a message beside the field:

- nothing the portal records is before 1 January 2000 (the measures it carries
  out are from 2021; older conduct is outside any instrument it applies);
- something that *happened* (conduct, an act, a decision received) is not more
  than a day in the future: a day of leeway for clocks and time zones;
- a term, a due date or a period ends by 31 December 2100.

The database holds the fixed window as CHECK constraints
(:func:`range_constraints`), so no path (bulk COPY, raw SQL, a shell) can write
a row that would break every page that reads it: PostgreSQL stores years
Python's ``datetime`` cannot read (year 1 BC). ``manage.py
find_out_of_range_dates`` lists rows stored before the constraints.

The bounds are in Beijing time, the portal's legal time (``TIME_ZONE``).
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

BEIJING = ZoneInfo("Asia/Shanghai")
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)
# Moments: from the start of EARLIEST_DAY to (not including) the day after LATEST_DAY.
EARLIEST_MOMENT = datetime.combine(EARLIEST_DAY, time.min, tzinfo=BEIJING)
AFTER_LATEST_MOMENT = datetime.combine(LATEST_DAY + timedelta(days=1), time.min, tzinfo=BEIJING)
# How far in the future something that happened may be (clocks, time zones).
LEEWAY = timedelta(days=1)

CODE = "date_out_of_range"


def _too_early():
    return _("Give a date on or after 1 January 2000.")


def _too_late():
    return _("Give a date on or before 31 December 2100.")


def _in_future():
    return _("This cannot be more than a day in the future.")


def day_error(value: date, *, happened: bool = False, today: date | None = None):
    """The message for a day out of its bounds, or ``None`` when it is within them.
    ``happened``: the day something happened, so not after tomorrow."""
    if value < EARLIEST_DAY:
        return _too_early()
    if value > LATEST_DAY:
        return _too_late()
    if happened and value > (today or timezone.localdate()) + LEEWAY:
        return _in_future()
    return None


def moment_error(value: datetime, *, happened: bool = False, now: datetime | None = None):
    """The message for a date and time out of its bounds, or ``None``. A naive value
    is read in the portal's time zone. Only compares (no conversion), so that a
    year-1 moment at +14:00 is refused rather than overflowing."""
    if timezone.is_naive(value):
        value = value.replace(tzinfo=BEIJING)
    if value < EARLIEST_MOMENT:
        return _too_early()
    if value >= AFTER_LATEST_MOMENT:
        return _too_late()
    if happened and value > (now or timezone.now()) + LEEWAY:
        return _in_future()
    return None


def _raise(message):
    if message is not None:
        raise ValidationError(message, code=CODE)


def validate_day(value: date) -> None:
    """A term, due date or period bound: 2000-01-01 … 2100-12-31."""
    if isinstance(value, datetime):
        validate_moment(value)
    elif isinstance(value, date):
        _raise(day_error(value))


def validate_past_day(value: date) -> None:
    """The day something happened: from 2000-01-01, not after tomorrow."""
    if isinstance(value, datetime):
        validate_past_moment(value)
    elif isinstance(value, date):
        _raise(day_error(value, happened=True))


def validate_moment(value: datetime) -> None:
    """A date and time to come or past: 2000-01-01 … 2100-12-31 (Beijing time)."""
    if isinstance(value, datetime):
        _raise(moment_error(value))


def validate_past_moment(value: datetime) -> None:
    """When something happened: from 2000-01-01, at most a day ahead of now."""
    if isinstance(value, datetime):
        _raise(moment_error(value, happened=True))


class RangeConstraint(models.CheckConstraint):
    """A CHECK holding one date or time field to the fixed window. The database
    enforces it; ``validate`` (``full_clean``) decides in Python what the SQL would,
    so cleaning a dated row asks the database nothing."""

    def validate(self, model, instance, exclude=None, using=None):
        for lookup, bound in self.condition.children:
            name, op = lookup.rsplit("__", 1)
            if exclude and name in exclude:
                return
            value = getattr(instance, name, None)
            if value is None:  # NULL passes, as SQL has it
                continue
            if isinstance(value, datetime) and timezone.is_naive(value):
                value = value.replace(tzinfo=BEIJING)
            elif isinstance(bound, datetime) and not isinstance(value, datetime):
                continue  # not yet a moment (a form's raw value): the field says so
            if not _holds(value, op, bound):
                raise ValidationError(
                    self.get_violation_error_message(), code=self.violation_error_code
                )


def _holds(value, op: str, bound) -> bool:
    return {"gte": value >= bound, "lte": value <= bound, "lt": value < bound}[op]


def range_constraints(prefix: str, *, days=(), moments=()) -> list[RangeConstraint]:
    """CHECK constraints holding each field of ``days`` (DateField) and ``moments``
    (DateTimeField) to the fixed window; a NULL passes, as SQL has it. A constraint
    cannot know "now": the bound on what happened is kept at the edge."""
    message = _("A date out of range (2000-01-01 to 2100-12-31).")
    windows = [(name, EARLIEST_DAY, "lte", LATEST_DAY) for name in days] + [
        (name, EARLIEST_MOMENT, "lt", AFTER_LATEST_MOMENT) for name in moments
    ]
    return [
        RangeConstraint(
            condition=models.Q(**{f"{name}__gte": start, f"{name}__{op}": end}),
            name=f"{prefix}_{name}_in_range",
            violation_error_message=message,
        )
        for name, start, op, end in windows
    ]


def out_of_range(queryset, name: str):
    """The rows of ``queryset`` whose field ``name`` lies outside the fixed window."""
    field = queryset.model._meta.get_field(name)
    if isinstance(field, models.DateTimeField):
        outside = models.Q(**{f"{name}__lt": EARLIEST_MOMENT}) | models.Q(
            **{f"{name}__gte": AFTER_LATEST_MOMENT}
        )
    else:
        outside = models.Q(**{f"{name}__lt": EARLIEST_DAY}) | models.Q(
            **{f"{name}__gt": LATEST_DAY}
        )
    return queryset.filter(outside)


def _bounded(field) -> bool:
    """Whether ``field`` carries one of this module's validators (and so its window)."""
    ours = (validate_day, validate_past_day, validate_moment, validate_past_moment)
    return any(v in ours for v in field.validators)


def out_of_range_rows(app_labels=None):
    """Every stored row, of the portal's own apps, with a date or time out of range:
    outside the fixed window for a field that carries this module's validators; for
    any other date (a birth date…), a year Python cannot read (before year 1 or after
    9999). Yields ``(model label, pk, field name, the value as the database writes
    it)``: read as text, since Python cannot hold a year-1-BC timestamp."""
    from django.apps import apps
    from django.conf import settings
    from django.db.models.functions import Cast, ExtractYear

    base = str(settings.BASE_DIR)
    for config in apps.get_app_configs():
        ours = config.path.startswith(base) and "site-packages" not in config.path
        if not ours or (app_labels and config.label not in app_labels):
            continue
        for model in config.get_models():
            if not model._meta.managed or model._meta.proxy:
                continue
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.DateField):  # DateTimeField is one too
                    continue
                rows = model._base_manager.all()
                if _bounded(field):
                    rows = out_of_range(rows, field.name)
                else:
                    rows = rows.annotate(_year=ExtractYear(field.name)).filter(
                        models.Q(_year__lt=1) | models.Q(_year__gt=9999)
                    )
                shown = rows.annotate(_shown=Cast(field.name, models.TextField()))
                for pk, value in shown.order_by("pk").values_list("pk", "_shown"):
                    yield model._meta.label, pk, field.name, value
