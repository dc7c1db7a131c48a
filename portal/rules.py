"""The law as dated data: which rule set governs a matter, and its clocks,
grounds and citations (DESIGN.md, "Rules and deadlines"; REGULATIONS.md).

A matter is pinned to the set in force on the day its clock starts
(complaints and reports: the day of receipt, Asia/Shanghai; listings: the day
of the listing notice; credit repairs: the day of acceptance) and keeps it.
Sets are read once per process (``portal.lookups.reference``) and dropped
when an admin edits one.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import DomainError
from .i18n import localised
from .lookups import reference
from .models import ClockRule, RuleCitation, RuleClock, RuleGround, RuleSet
from .workdays import DueDate, WorkingCalendar, due_date


@dataclass(frozen=True)
class Clock:
    """A clock of a rule set as it applies to one department."""

    code: str
    name: str
    name_en: str
    days: int
    unit: str
    starts_on: str
    pauses_in: tuple
    excludes: tuple
    extensions: int
    extension_days: int
    extension_approver: str
    source: str
    source_en: str
    certainty: str
    rule_set: RuleSet

    @property
    def is_local(self) -> bool:
        return self.certainty == "local"

    @property
    def label(self) -> str:
        return localised(self.name, self.name_en)

    @property
    def source_label(self) -> str:
        return localised(self.source, self.source_en)


@dataclass(frozen=True)
class _Loaded:
    sets: tuple  # every RuleSet, newest first
    clocks: dict  # rule set id → {code: RuleClock}
    grounds: dict  # rule set id → {list: [RuleGround]}
    citations: dict  # rule set id → {document: RuleCitation}


def _load() -> _Loaded:
    sets = tuple(RuleSet.objects.order_by("-in_force_from", "-version", "-pk"))
    clocks: dict = {s.pk: {} for s in sets}
    grounds: dict = {s.pk: {} for s in sets}
    citations: dict = {s.pk: {} for s in sets}
    for clock in RuleClock.objects.all():
        clocks[clock.rule_set_id][clock.code] = clock
    for ground in RuleGround.objects.order_by("ordering", "code"):
        grounds[ground.rule_set_id].setdefault(ground.list, []).append(ground)
    for citation in RuleCitation.objects.all():
        citations[citation.rule_set_id][citation.document] = citation
    return _Loaded(sets=sets, clocks=clocks, grounds=grounds, citations=citations)


def _loaded() -> _Loaded:
    return reference.get(("rule-sets",), _load)


def _in_force(rule_set: RuleSet, day: date) -> bool:
    return rule_set.in_force_from <= day and (
        rule_set.in_force_until is None or day <= rule_set.in_force_until
    )


def rule_sets_in_force(day: date) -> list[RuleSet]:
    """Every set in force on ``day``, the newest version of each code."""
    newest: dict[str, RuleSet] = {}
    for rule_set in _loaded().sets:
        if not _in_force(rule_set, day):
            continue
        kept = newest.get(rule_set.code)
        if kept is None or rule_set.version > kept.version:
            newest[rule_set.code] = rule_set
    return list(newest.values())


def rule_set_for(matter: str, day: date) -> RuleSet:
    """The set that governs a ``matter`` whose clock starts on ``day``: the newest
    set in force that day (the latest in force from, then the highest version)."""
    candidates = [s for s in _loaded().sets if s.matter == matter and _in_force(s, day)]
    if not candidates:
        raise DomainError(
            _("No rule set governs %(matter)s on %(day)s.")
            % {"matter": RuleSet.Matter(matter).label, "day": day.isoformat()},
            code="no_rule_set",
        )
    return max(candidates, key=lambda s: (s.in_force_from, s.version, s.pk))


def rule_set_get(pk: int) -> RuleSet:
    for rule_set in _loaded().sets:
        if rule_set.pk == pk:
            return rule_set
    return RuleSet.objects.get(pk=pk)


def _department_days(code: str, department) -> int | None:
    if department is None:
        return None
    overrides = reference.get(
        ("clock-overrides", code),
        lambda: dict(
            ClockRule.objects.filter(code=code).values_list("department_id", "working_days")
        ),
    )
    return overrides.get(getattr(department, "pk", department))


def clock_of(rule_set: RuleSet, code: str, *, department=None) -> Clock:
    """Clock ``code`` of ``rule_set``; a local clock takes the department's own length."""
    rule = _loaded().clocks.get(rule_set.pk, {}).get(code)
    if rule is None:
        rule = RuleClock.objects.filter(rule_set=rule_set, code=code).first()
    if rule is None:
        raise DomainError(
            _("The rule set “%(set)s” has no clock “%(clock)s”.")
            % {"set": rule_set.label, "clock": clock_label(code)},
            code="no_clock",
        )
    clock = Clock(
        code=rule.code,
        name=rule.name,
        name_en=rule.name_en,
        days=rule.days,
        unit=rule.unit,
        starts_on=rule.starts_on,
        pauses_in=tuple(rule.pauses_in or ()),
        excludes=tuple(rule.excludes or ()),
        extensions=rule.extensions,
        extension_days=rule.extension_days,
        extension_approver=rule.extension_approver,
        source=rule.source,
        source_en=rule.source_en,
        certainty=rule.certainty,
        rule_set=rule_set,
    )
    if clock.is_local and (own := _department_days(code, department)):
        clock = replace(clock, days=own)
    return clock


def clock_for(code: str, *, on: date, department=None) -> Clock:
    """Clock ``code`` of the set in force on ``on`` that has it (for matters not
    pinned to a set of their own: clues, notices, document requests)."""
    clocks = _loaded().clocks
    holders = [s for s in rule_sets_in_force(on) if code in clocks.get(s.pk, {})]
    if not holders:
        raise DomainError(
            _("No rule set in force on %(day)s has the clock “%(clock)s”.")
            % {"day": on.isoformat(), "clock": clock_label(code)},
            code="no_clock",
        )
    rule_set = max(holders, key=lambda s: (s.in_force_from, s.version, s.pk))
    return clock_of(rule_set, code, department=department)


def clock_label(code: str, rule_set_id: int | None = None) -> str:
    """The name of a clock in the reader's language (for pages, documents and
    messages): as its rule set names it, else as any rule set does (a clock kept
    after its rule set left it), else "Time limit", never its code."""
    loaded = _loaded()
    ids = [rule_set_id] if rule_set_id else []
    for pk in [*ids, *(s.pk for s in loaded.sets)]:
        if rule := loaded.clocks.get(pk, {}).get(code):
            return rule.label
    return _("Time limit")


def clock_rule(code: str, rule_set_id: int | None) -> RuleClock | None:
    """The stored clock row a deadline came from (``None`` for an unknown one)."""
    loaded = _loaded()
    ids = [rule_set_id] if rule_set_id else [s.pk for s in loaded.sets]
    for pk in ids:
        if rule := loaded.clocks.get(pk, {}).get(code):
            return rule
    return None


def grounds_of(rule_set: RuleSet, list_name: str) -> list[RuleGround]:
    return list(_loaded().grounds.get(rule_set.pk, {}).get(list_name, []))


def ground_of(rule_set: RuleSet, list_name: str, code: str) -> RuleGround | None:
    return next((g for g in grounds_of(rule_set, list_name) if g.code == code), None)


def citation_of(rule_set: RuleSet, document: str) -> RuleCitation | None:
    return _loaded().citations.get(rule_set.pk, {}).get(document)


def clocks_of(rule_set: RuleSet) -> list[RuleClock]:
    return sorted(_loaded().clocks.get(rule_set.pk, {}).values(), key=lambda c: c.code)


# --- due dates ----------------------------------------------------------------


def clock_due(
    started_on: date, days: int, unit: str, *, calendar: WorkingCalendar | None = None
) -> DueDate:
    """The due date of a clock of ``days`` in ``unit`` started on ``started_on``.

    Working days follow the official calendar. A calendar-day period whose last
    day is not a working day (a public holiday or a weekend) ends on the next
    working day (the general rule of Chinese procedural law on periods)."""
    calendar = calendar or WorkingCalendar()
    if unit == RuleClock.Unit.WORKING:
        return due_date(started_on, days, calendar=calendar)
    on = started_on + timedelta(days=days)
    while not calendar.is_working_day(on):
        on += timedelta(days=1)
    return DueDate(on=on, provisional=calendar.is_provisional(started_on, on))


def days_between(a: date, b: date, unit: str, *, calendar: WorkingCalendar | None = None) -> int:
    """Days after ``a`` up to and including ``b`` in ``unit`` (what a pause lasted)."""
    if unit == RuleClock.Unit.WORKING:
        return (calendar or WorkingCalendar()).working_days_between(a, b)
    return (b - a).days


def days_in_period(start: date, end: date, unit: str, *, calendar=None) -> int:
    """Days of ``unit`` from ``start`` to ``end``, both included (an excluded period)."""
    return days_between(start - timedelta(days=1), end, unit, calendar=calendar)


def deadline_due(deadline, *, calendar: WorkingCalendar | None = None) -> DueDate:
    """A stored clock's due date: its length, the days it stood still and the days
    that did not count, in its unit."""
    return clock_due(
        deadline.started_on,
        deadline.working_days + deadline.paused_working_days + deadline.excluded_days,
        deadline.unit,
        calendar=calendar,
    )


# --- editing: new versions, never rewritten history -------------------------------


@transaction.atomic
def rule_set_new_version(*, rule_set: RuleSet, actor) -> RuleSet:
    """Copy ``rule_set`` with all its rules as the next version of its code; the copy
    governs matters that start from now on, the old one keeps its matters."""
    from .audit import audit_record

    newest = RuleSet.objects.filter(code=rule_set.code).order_by("-version").first()
    clocks = list(RuleClock.objects.filter(rule_set=rule_set))
    grounds = list(RuleGround.objects.filter(rule_set=rule_set))
    citations = list(RuleCitation.objects.filter(rule_set=rule_set))
    copy = RuleSet.objects.get(pk=rule_set.pk)
    copy.pk = None
    copy.version = newest.version + 1
    copy.save()
    for rows in (clocks, grounds, citations):
        for row in rows:
            row.pk = None
            row.rule_set = copy
        if rows:
            type(rows[0]).objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="rule_set.versioned",
        subject=copy,
        data={"code": copy.code, "from_version": rule_set.version, "version": copy.version},
    )
    return copy


def citations_of(rule_set: RuleSet) -> list[RuleCitation]:
    return sorted(_loaded().citations.get(rule_set.pk, {}).values(), key=lambda c: c.document)


def all_grounds_of(rule_set: RuleSet) -> list[RuleGround]:
    lists = _loaded().grounds.get(rule_set.pk, {})
    return [g for name in sorted(lists) for g in lists[name]]


def rule_sets_all() -> list[RuleSet]:
    """Every set, newest in force first (what the public list shows without ``on``)."""
    return list(_loaded().sets)
