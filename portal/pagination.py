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

    @property
    def capped(self) -> bool:
        """True when the list holds more than ``limit`` rows."""
        return self._bounded > self.limit


def bounded_count(queryset, limit: int = COUNT_LIMIT) -> int:
    """How many rows ``queryset`` holds, counting no further than ``limit + 1``.

    Only the primary keys are selected (an annotation such as a queue's
    ``next_due`` is not computed for the rows counted)."""
    return queryset.order_by().values("pk")[: limit + 1].count()
