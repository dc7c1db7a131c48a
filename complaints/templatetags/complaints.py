from django import template

from portal.models import ClockRule
from portal.workdays import WorkingCalendar

register = template.Library()


@register.filter
def days_left(deadline) -> int:
    """Working days from today to the due date (negative when overdue)."""
    from django.utils import timezone

    return WorkingCalendar().working_days_between(timezone.localdate(), deadline.due_on)


@register.filter
def clock_label(deadline) -> str:
    rule = ClockRule.objects.filter(code=deadline.clock, department__isnull=True).first()
    return str(rule).rsplit(" (", 1)[0] if rule else deadline.clock
