"""A paginator whose count stops at a bound.

``Paginator`` counts every row of the list before showing 50 of them; for a
provincial department's queue of 700,000 cases that count is most of the
page's time (bench/pages.py). This one counts at most ``limit`` rows
(``SELECT count(*) FROM (… LIMIT limit + 1)``) and says so: the page then
reads "more than 10,000" and offers the pages up to that bound; the filters
narrow the list to what can be read.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

#: The most rows a list page counts exactly.
COUNT_LIMIT = 10_000


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, limit: int = COUNT_LIMIT, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit

    @cached_property
    def _bounded(self) -> int:
        return bounded_count(self.object_list, self.limit)

    @cached_property
    def count(self) -> int:
        return min(self._bounded, self.limit)

    def page(self, number):
        """The page's rows, read in two steps (a deferred join): first the ids of
        the page in the list's order, which reads only what the filter and the
        sort need (often from indexes alone); then those rows with everything the
        page shows. A province's "overdue" queue sorted by due date read the
        related columns of all its open cases before keeping 50: 176 ms, now
        83 ms with the index ``complaint_open_department`` (bench/pages.py)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)

    @property
    def capped(self) -> bool:
        """True when the list holds more than ``limit`` rows."""
        return self._bounded > self.limit


def bounded_count(queryset, limit: int = COUNT_LIMIT) -> int:
    """How many rows ``queryset`` holds, counting no further than ``limit + 1``.

    Only the primary keys are selected (an annotation such as a queue's
    ``next_due`` is not computed for the rows counted)."""
    return queryset.order_by().values("pk")[: limit + 1].count()
