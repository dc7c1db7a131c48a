from django import template

from portal.rules import clock_label as _clock_label
from portal.workdays import WorkingCalendar

register = template.Library()


@register.filter
def days_left(deadline) -> int:
    """Working days from today to the due date (negative when overdue)."""
    from django.utils import timezone

    return WorkingCalendar().working_days_between(timezone.localdate(), deadline.due_on)


@register.filter
def clock_label(deadline) -> str:
    return _clock_label(deadline.clock, deadline.rule_set_id)
