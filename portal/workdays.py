"""Working days on the official Chinese calendar.

Every legal clock of the portal counts working days (DESIGN.md, "Deadlines"):
weekends off, public holidays off, adjusted working weekends (调休) on. Loaded
years come from the State Council's annual notice (``CalendarYear`` and
``CalendarDay``, seeded from chinesecalendar for 2004–2026). Past the last
loaded year a clock still runs: it counts weekends plus the statutory
holidays of the National Holidays Regulations (Art. 2, as amended 2024) as
the ``holidays`` package computes them by rule, and whatever it returns is
*provisional* until that year is loaded.

The day a clock starts does not count: ``add_working_days(Friday, 1)`` is the
next working day after that Friday.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays as holiday_rules

from .lookups import reference
from .models import CalendarDay, CalendarYear


@dataclass
class WorkingCalendar:
    """Working-day arithmetic with the year tables it needed loaded once.

    The year tables are read once per process (``portal.lookups.reference``)
    and dropped when the calendar is edited or reloaded; an instance also
    keeps the ones it used, so that one unit of work (a recomputation) counts
    on one consistent calendar.
    """

    _loaded_years: frozenset[int] | None = None
    _days: dict[int, dict[date, bool]] = field(default_factory=dict)

    @property
    def loaded_years(self) -> frozenset[int]:
        if self._loaded_years is None:
            self._loaded_years = reference.get(
                ("calendar", "years"),
                lambda: frozenset(CalendarYear.objects.values_list("year", flat=True)),
            )
        return self._loaded_years

    def official_through(self) -> int:
        """The last year whose official schedule is loaded (0 when none is)."""
        years = self.loaded_years
        if not years:
            return 0
        return max(years)

    def is_official(self, year: int) -> bool:
        return year in self.loaded_years

    def _exceptions(self, year: int) -> dict[date, bool]:
        """Days that differ from the plain week: date → is it a working day."""
        if year not in self._days:
            official = self.is_official(year)
            self._days[year] = reference.get(
                ("calendar", year, official), lambda: _year_exceptions(year, official)
            )
        return self._days[year]

    def is_working_day(self, day: date) -> bool:
        exception = self._exceptions(day.year).get(day)
        if exception is not None:
            return exception
        return day.weekday() < 5

    def add_working_days(self, start: date, n: int) -> date:
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        while n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after ``a`` up to and including ``b``; negative when ``b`` is earlier."""
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        day = a
        while day < b:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def is_provisional(self, start: date, end: date) -> bool:
        """Whether counting from ``start`` to ``end`` went through an unloaded year."""
        return any(not self.is_official(y) for y in range(start.year, end.year + 1))


def _year_exceptions(year: int, official: bool) -> dict[date, bool]:
    if official:
        return dict(CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday"))
    rule = holiday_rules.China(years=year, observed=False)
    return dict.fromkeys(rule.keys(), False)


@dataclass(frozen=True)
class DueDate:
    on: date
    provisional: bool


def add_working_days(start: date, n: int) -> date:
    return WorkingCalendar().add_working_days(start, n)


def working_days_between(a: date, b: date) -> int:
    return WorkingCalendar().working_days_between(a, b)


def official_through() -> int:
    return WorkingCalendar().official_through()


def is_working_day(day: date) -> bool:
    return WorkingCalendar().is_working_day(day)


def due_date(start: date, n: int, *, calendar: WorkingCalendar | None = None) -> DueDate:
    """Due date of an ``n``-working-day clock started on ``start``, and whether provisional."""
    calendar = calendar or WorkingCalendar()
    on = calendar.add_working_days(start, n)
    return DueDate(on=on, provisional=calendar.is_provisional(start, on))
