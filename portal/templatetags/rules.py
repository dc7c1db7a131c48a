"""Template filters that show clocks and rule sets in the reader's language."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.models import Certainty, RuleClock
from portal.rules import clock_label, clock_rule, days_between
from portal.workdays import WorkingCalendar

register = template.Library()


def _days_and_unit(obj) -> tuple[int, str]:
    if hasattr(obj, "working_days"):  # a stored Deadline
        return obj.working_days, obj.unit
    return obj.days, obj.unit


@register.filter
def clock_length(obj) -> str:
    """“7 working days” or “60 days” for a deadline or a rule set's clock."""
    n, unit = _days_and_unit(obj)
    if unit == RuleClock.Unit.CALENDAR:
        return ngettext("%(n)s day", "%(n)s days", n) % {"n": n}
    return ngettext("%(n)s working day", "%(n)s working days", n) % {"n": n}


@register.filter
def clock_name(deadline) -> str:
    return clock_label(deadline.clock, deadline.rule_set_id)


@register.filter
def clock_source(deadline) -> str:
    """The article a deadline comes from, in the reader's language."""
    rule = clock_rule(deadline.clock, deadline.rule_set_id)
    return rule.source_label if rule else deadline.source


@register.filter
def clock_is_local(deadline) -> bool:
    """Whether the rules set no time for this clock (a department's default)."""
    rule = clock_rule(deadline.clock, deadline.rule_set_id)
    return bool(rule) and rule.certainty == Certainty.LOCAL


@register.simple_tag
def local_clock_note() -> str:
    return _("set by the department; the rules set no time")


@register.filter
def clock_state(deadline) -> str:
    """A clock's state in words: a running clock past its due date reads overdue,
    whether or not the sweep has marked it yet."""
    if deadline.state == "running" and (
        deadline.overdue_since or deadline.due_on < timezone.localdate()
    ):
        return _("overdue")
    return deadline.get_state_display()


@register.filter
def clock_days_left(deadline) -> int:
    """Days from today to the due date in the clock's unit (negative when overdue)."""
    return days_between(
        timezone.localdate(), deadline.due_on, deadline.unit, calendar=WorkingCalendar()
    )
