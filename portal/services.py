"""State-changing actions of the portal core: clocks and the official calendar.

Every function is one transaction and writes its audit event in it.
"""

from dataclasses import dataclass
from datetime import date

import chinese_calendar
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from . import dates
from ._sql import update_returning
from .audit import actor_user, audit_event, audit_record
from .calendar_notice import NoticeDay
from .errors import Conflict, DomainError, NotAllowed
from .lookups import reference_changed
from .models import (
    EXCLUDED_PERIODS,
    AuditEvent,
    CalendarDay,
    CalendarYear,
    ClockExclusion,
    ClockExtension,
    Deadline,
    RuleClock,
)
from .rules import (
    Clock,
    clock_due,
    clock_for,
    clock_of,
    days_between,
    days_in_period,
    deadline_due,
    rule_set_get,
)
from .transitions import may_move
from .workdays import WorkingCalendar

# --- clocks -----------------------------------------------------------------

DEADLINE_MOVES = {
    Deadline.State.RUNNING: {Deadline.State.PAUSED, Deadline.State.MET, Deadline.State.CANCELLED},
    Deadline.State.PAUSED: {Deadline.State.RUNNING, Deadline.State.MET, Deadline.State.CANCELLED},
    Deadline.State.MET: set(),
    Deadline.State.CANCELLED: set(),
}


# Sent after a stored due date moved (a calendar loaded, an excluded period, an
# extension): ``deadline``, ``old_due_on``, ``reason``, ``actor``, ``action``. The
# apps whose matters carry clocks record it on their timelines (their apps.py).
due_date_moved = Signal()


def clock_rule_for(code: str, department=None, *, on: date | None = None) -> Clock:
    """Clock ``code`` of the rule set in force on ``on`` (today by default), with the
    department's own length when the rules leave the length to it."""
    return clock_for(code, on=on or timezone.localdate(), department=department)


def _move(deadline: Deadline, target: str) -> bool:
    """``transitions.may_move`` along :data:`DEADLINE_MOVES` (the state is set by the
    service's own update)."""
    return may_move(
        deadline.state,
        target,
        DEADLINE_MOVES,
        labels=dict(Deadline.State.choices),
        message=_("A deadline that is %(state)s cannot become %(target)s."),
    )


def deadline_new(
    *,
    subject,
    clock: str,
    started_on: date,
    actor,
    department=None,
    working_days: int | None = None,
    rule_set=None,
) -> tuple[Deadline, AuditEvent]:
    """A validated clock on ``subject`` and its audit event, both unsaved, for a
    service that writes them with its own rows (:func:`deadline_start` saves them).

    The clock comes from ``rule_set`` (the set the matter is pinned to), else from
    the set in force on ``started_on`` that has it. Only a clock the rules leave to
    the department (a local one) takes another length (``working_days``)."""
    if rule_set is not None:
        rule = clock_of(rule_set, clock, department=department)
    else:
        rule = clock_for(clock, on=started_on, department=department)
    if working_days and working_days != rule.days and not rule.is_local:
        raise DomainError(
            _("The length of this time limit is set by %(source)s; it cannot be changed.")
            % {"source": rule.source_label},
            code="legal_clock",
        )
    days = working_days or rule.days
    due = clock_due(started_on, days, rule.unit)
    deadline = Deadline(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        clock=clock,
        source=rule.source,
        rule_set_id=rule.rule_set.pk,
        started_on=started_on,
        working_days=days,
        unit=rule.unit,
        due_on=due.on,
        provisional=due.provisional,
    )
    # A subject not yet written (its id comes in the same statement) is not checked for one.
    deadline.full_clean(
        exclude=["content_type", "rule_set"] + (["object_id"] if subject.pk is None else [])
    )
    event = audit_event(
        actor=actor,
        action="deadline.started",
        subject=subject,
        data={"clock": clock, "due_on": due.on.isoformat(), "provisional": due.provisional},
    )
    return deadline, event


@transaction.atomic
def deadline_start(
    *,
    subject,
    clock: str,
    started_on: date,
    actor,
    department=None,
    working_days: int | None = None,
    rule_set=None,
) -> Deadline:
    """Start a clock on ``subject`` (see :func:`deadline_new`)."""
    deadline, event = deadline_new(
        subject=subject,
        clock=clock,
        started_on=started_on,
        actor=actor,
        department=department,
        working_days=working_days,
        rule_set=rule_set,
    )
    deadline.save()
    event.save()
    return deadline


@transaction.atomic
def deadline_pause(*, deadline: Deadline, on: date, actor, reason: str) -> Deadline:
    """Stop the clock, where its rule set says it stands still in the matter's state."""
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if not _move(deadline, Deadline.State.PAUSED):
        return deadline
    deadline.state = Deadline.State.PAUSED
    deadline.paused_on = on
    deadline.save(update_fields=["state", "paused_on"])
    audit_record(
        actor=actor,
        action="deadline.paused",
        subject=deadline.subject,
        reason=reason,
        data={"clock": deadline.clock, "paused_on": on.isoformat()},
    )
    return deadline


@transaction.atomic
def deadline_resume(*, deadline: Deadline, on: date, actor) -> Deadline:
    """Restart a paused clock: the days it stood still are added to it."""
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if not _move(deadline, Deadline.State.RUNNING):
        return deadline
    calendar = WorkingCalendar()
    deadline.paused_working_days += max(
        0, days_between(deadline.paused_on, on, deadline.unit, calendar=calendar)
    )
    due = deadline_due(deadline, calendar=calendar)
    deadline.due_on, deadline.provisional = due.on, due.provisional
    deadline.state, deadline.paused_on = Deadline.State.RUNNING, None
    deadline.overdue_since = None if due.on >= on else deadline.overdue_since
    deadline.save()
    audit_record(
        actor=actor,
        action="deadline.resumed",
        subject=deadline.subject,
        data={"clock": deadline.clock, "due_on": due.on.isoformat()},
    )
    return deadline


def _moved(deadline: Deadline, *, old: date, actor, action: str, reason: str, data=None) -> None:
    """Record that ``deadline``'s due date moved from ``old``, and tell its app."""
    audit_record(
        actor=actor,
        action=action,
        subject=deadline.subject,
        reason=reason,
        data={
            "clock": deadline.clock,
            "old_due_on": old.isoformat(),
            "due_on": deadline.due_on.isoformat(),
            "provisional": deadline.provisional,
            **(data or {}),
        },
    )
    if deadline.due_on != old:
        due_date_moved.send(
            sender=Deadline,
            deadline=deadline,
            old_due_on=old,
            reason=reason,
            actor=actor,
            action=action,
        )


def _clock_row(deadline: Deadline) -> Clock:
    if deadline.rule_set_id is None:
        raise DomainError(_("This time limit comes from no rule set."), code="no_rule_set")
    return clock_of(rule_set_get(deadline.rule_set_id), deadline.clock)


@transaction.atomic
def deadline_exclude(
    *, deadline: Deadline, kind: str, starts_on: date, ends_on: date, reason: str, actor
) -> ClockExclusion:
    """A period that does not count on the clock (testing, inspection, quarantine,
    appraisal, as its rule set allows): the due date moves by its days."""
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    rule = _clock_row(deadline)
    if kind not in rule.excludes:
        raise DomainError(
            _("Under %(source)s, %(kind)s time counts on this time limit.")
            % {"source": rule.source_label, "kind": EXCLUDED_PERIODS.get(kind, kind)},
            code="not_excluded",
        )
    if deadline.state not in (Deadline.State.RUNNING, Deadline.State.PAUSED):
        raise Conflict(_("This time limit is no longer running."), code="closed")
    if ends_on < starts_on:
        raise DomainError(_("The period must end on or after the day it starts."), code="period")
    wrong_day = dates.day_error(starts_on, happened=True) or dates.day_error(ends_on)
    if wrong_day:
        raise DomainError(wrong_day, code=dates.CODE)
    if starts_on < deadline.started_on:
        raise DomainError(
            _("The period cannot start before the time limit did (%(day)s).")
            % {"day": deadline.started_on.isoformat()},
            code="period",
        )
    if not reason.strip():
        raise DomainError(_("Give the reason."), code="reason")
    overlapping = deadline.exclusions.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
    if overlapping.exists():
        raise DomainError(_("This period overlaps one already excluded."), code="overlap")
    calendar = WorkingCalendar()
    days = days_in_period(starts_on, ends_on, deadline.unit, calendar=calendar)
    exclusion = ClockExclusion(
        deadline=deadline,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        days=days,
        reason=reason.strip(),
        recorded_by=actor_user(actor),
    )
    exclusion.full_clean()
    exclusion.save()
    old = deadline.due_on
    deadline.excluded_days += days
    due = deadline_due(deadline, calendar=calendar)
    if due.on > dates.LATEST_DAY:
        # Rolled back with the exclusion: a due date the portal cannot hold.
        raise DomainError(
            _("The period is too long: the time limit would end after %(day)s.")
            % {"day": dates.LATEST_DAY.isoformat()},
            code=dates.CODE,
        )
    deadline.due_on, deadline.provisional = due.on, due.provisional
    if deadline.overdue_since and due.on >= timezone.localdate():
        deadline.overdue_since = None
    deadline.reminder_sent_at = None
    deadline.save()
    _moved(
        deadline,
        old=old,
        actor=actor,
        action="deadline.excluded",
        reason=reason.strip(),
        data={"kind": kind, "days": days},
    )
    return exclusion


APPROVER_PERMISSION = {
    RuleClock.Approver.HEAD: "accounts.approve_as_head",
    RuleClock.Approver.SUPERVISOR: "accounts.approve_decisions",
}


def may_extend(actor, deadline: Deadline) -> bool:
    """Whether ``actor`` holds the role the clock's rule set names to approve an
    extension, and the clock has one left."""
    try:
        rule = _clock_row(deadline)
    except DomainError:
        return False
    if not rule.extensions or deadline.extensions.count() >= rule.extensions:
        return False
    permission = APPROVER_PERMISSION.get(rule.extension_approver)
    return bool(permission) and actor.has_perm(permission)


@transaction.atomic
def deadline_extend(*, deadline: Deadline, actor, reason: str = "") -> ClockExtension:
    """Extend the clock by the days its rule set allows, approved by the role it names."""
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    rule = _clock_row(deadline)
    if not rule.extensions:
        raise Conflict(_("This time limit cannot be extended."), code="not_extendable")
    if deadline.extensions.count() >= rule.extensions:
        raise Conflict(
            _("This time limit has been extended as often as the rules allow."),
            code="extended",
        )
    permission = APPROVER_PERMISSION.get(rule.extension_approver)
    if not permission or not actor.has_perm(permission):
        raise NotAllowed(
            _("Under %(source)s, the extension is approved by %(role)s.")
            % {
                "source": rule.source_label,
                "role": RuleClock.Approver(rule.extension_approver).label,
            },
            code="approver",
        )
    extension = ClockExtension.objects.create(
        deadline=deadline, days=rule.extension_days, approved_by=actor, reason=reason
    )
    old = deadline.due_on
    deadline.working_days += rule.extension_days
    due = deadline_due(deadline)
    deadline.due_on, deadline.provisional = due.on, due.provisional
    deadline.overdue_since = None if due.on >= timezone.localdate() else deadline.overdue_since
    deadline.reminder_sent_at = None
    deadline.save()
    _moved(
        deadline,
        old=old,
        actor=actor,
        action="deadline.extended",
        reason=reason,
        data={"days": rule.extension_days},
    )
    return extension


@transaction.atomic
def deadline_close(*, deadline: Deadline, actor, met: bool = True) -> Deadline:
    """The clock's act was done (``met``) or the clock no longer applies."""
    target = Deadline.State.MET if met else Deadline.State.CANCELLED
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if not _move(deadline, target):
        return deadline
    deadline.state, deadline.closed_at = target, timezone.now()
    deadline.save(update_fields=["state", "closed_at"])
    audit_record(
        actor=actor,
        action=f"deadline.{target}",
        subject=deadline.subject,
        data={"clock": deadline.clock},
    )
    return deadline


@transaction.atomic
def deadlines_claim_reminders(*, today: date, until: date, content_types=None) -> list[tuple]:
    """Mark the running clocks due between ``today`` and ``until`` as reminded and return
    them (as :func:`deadlines_mark_overdue_rows`); each clock is returned only once."""
    return update_returning(
        set_sql="reminder_sent_at = %s",
        set_params=[timezone.now()],
        where_sql="state = %s AND due_on >= %s AND due_on <= %s AND reminder_sent_at IS NULL",
        where_params=[Deadline.State.RUNNING, today, until],
        content_types=content_types,
    )


@transaction.atomic
def deadlines_mark_overdue(*, today: date) -> int:
    """Mark every running clock past its due date as overdue, set-wise and idempotently."""
    return len(deadlines_mark_overdue_rows(today=today))


@transaction.atomic
def deadlines_mark_overdue_rows(*, today: date, content_types=None) -> list[tuple]:
    """As :func:`deadlines_mark_overdue`, limited to ``content_types`` if given; returns
    ``(pk, content_type_id, object_id, clock, due_on)`` of each clock it marked now,
    each with its ``deadline.overdue`` audit event (one statement on PostgreSQL)."""
    return update_returning(
        set_sql="overdue_since = %s",
        set_params=[today],
        where_sql="state = %s AND due_on < %s AND overdue_since IS NULL",
        where_params=[Deadline.State.RUNNING, today],
        content_types=content_types,
        audit_action="deadline.overdue",
    )


# --- the official calendar --------------------------------------------------


@dataclass(frozen=True)
class CalendarLoadResult:
    year: int
    days_off: int
    working_weekends: int
    recomputed: int


def calendar_days_from_package(year: int) -> list[NoticeDay]:
    """The schedule of ``year`` as the chinesecalendar package records it."""
    chinese_names = {h.value: h.chinese for h in chinese_calendar.Holiday}
    days = [
        NoticeDay(day=d, is_workday=False, name=chinese_names.get(name, name))
        for d, name in chinese_calendar.holidays.items()
        if d.year == year
    ] + [
        NoticeDay(day=d, is_workday=True, name=chinese_names.get(name, name))
        for d, name in chinese_calendar.workdays.items()
        if d.year == year
    ]
    if not days:
        raise DomainError(
            _("The chinesecalendar package has no schedule for %(year)s.") % {"year": year}
        )
    return sorted(days, key=lambda d: d.day)


@transaction.atomic
def calendar_load_year(
    *, year: int, days: list[NoticeDay], source: str, actor, notice_text: str = ""
) -> CalendarLoadResult:
    """Load (or reload) the official schedule of ``year`` and recompute every
    open provisional deadline, recording the change on its case."""
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(date=d.day, is_workday=d.is_workday, name=d.name)
        for d in days
        if d.day.year == year
    )
    CalendarYear.objects.update_or_create(
        year=year,
        defaults={"source": source, "notice_text": notice_text, "loaded_by": actor},
    )
    reference_changed()  # the bulk insert above sends no signal
    audit_record(
        actor=actor,
        action="calendar.loaded",
        reason=source,
        data={"year": year, "days": len(days)},
    )
    recomputed = deadlines_recompute(
        actor=actor,
        reason=_("Official calendar for %(year)s loaded.") % {"year": year},
        since=date(year, 1, 1),
        until=date(year, 12, 31),
    )
    return CalendarLoadResult(
        year=year,
        days_off=sum(1 for d in days if not d.is_workday),
        working_weekends=sum(1 for d in days if d.is_workday),
        recomputed=recomputed,
    )


def deadlines_recompute(*, actor, reason: str, since: date, until: date) -> int:
    """Recompute the open deadlines that counted days between ``since`` and
    ``until`` (or that were provisional) after the calendar changed.

    Runs inside the calendar service's transaction. Returns how many due
    dates moved; each recomputation is recorded on the deadline's subject.
    """
    calendar = WorkingCalendar()
    changed = 0
    affected = (
        Deadline.objects.select_for_update()
        .open()
        .filter(Q(provisional=True) | Q(started_on__lte=until, due_on__gte=since))
    )
    for deadline in affected:
        due = deadline_due(deadline, calendar=calendar)
        if (due.on, due.provisional) == (deadline.due_on, deadline.provisional):
            continue
        old = deadline.due_on
        deadline.due_on, deadline.provisional = due.on, due.provisional
        deadline.save(update_fields=["due_on", "provisional"])
        changed += due.on != old
        _moved(deadline, old=old, actor=actor, action="deadline.recomputed", reason=reason)
    return changed


@transaction.atomic
def calendar_day_save(*, day: CalendarDay, actor) -> int:
    """Save one edited calendar day (admin) and recompute the clocks it touches."""
    day.full_clean()
    day.save()
    audit_record(
        actor=actor,
        action="calendar.day_changed",
        subject=day,
        data={"is_workday": day.is_workday, "name": day.name},
    )
    return deadlines_recompute(
        actor=actor,
        reason=_("Calendar day %(date)s changed.") % {"date": day.date.isoformat()},
        since=day.date,
        until=day.date,
    )
