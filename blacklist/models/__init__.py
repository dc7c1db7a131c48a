"""The joint-punishment blacklist: one entry family for two lists.

- the departments' joint-punishment list (Trial Art. 29; Order 117 Art. 51;
  SAMR serious-dishonesty list rules, 2021), listed with due process:
  proposal, notice (告知书), the party's statement, decision (决定书), then
  expiry, credit repair or revocation. The entry is pinned to the listing
  rule set in force on the day the notice is served (``Entry.rule_set``); a
  credit repair application to the repair set in force on the day it is
  accepted (``RepairApplication.rule_set``);
- the platforms' shared blacklist (Order 117 Art. 14): a platform lists a
  party for a term with an appeal route; other platforms see it when they
  screen (Art. 14 ¶4).

An entry's state is its latest :class:`EntryState` row (``Entry.current``);
state rows are appended by ``blacklist.services`` and never changed or
deleted. An entry keeps its own copy of the party's identifiers: the name,
the keyed hash of a resident ID number (never the number) and the USCC, with
their masked forms, and :class:`EntryNameKey` rows that index the name's
normalised forms for screening (``blacklist.screening``).

One module per part (Django loads the models from this package): ``entries``,
``procedure`` (statements, repairs, appeals, implemented measures), ``logs``
(screening logs) and ``jobs`` (roster screening jobs).
"""

from .entries import (
    ACTIVE_STATUSES,
    PRE_LISTING_STATUSES,
    REMOVED_STATUSES,
    Entry,
    EntryNameKey,
    EntryQuerySet,
    EntryState,
    ListKind,
    Measure,
    ShareScope,
    Status,
)
from .jobs import (
    FAILURE_REASONS,
    JOB_TRANSITIONS,
    ScreeningJob,
    ScreeningJobError,
    ScreeningJobHit,
)
from .logs import (
    ScreeningLog,
    ScreeningLogDepartment,
)
from .procedure import (
    MeasureImplementation,
    PlatformAppeal,
    RepairApplication,
    Statement,
)

__all__ = [
    "ACTIVE_STATUSES",
    "FAILURE_REASONS",
    "JOB_TRANSITIONS",
    "PRE_LISTING_STATUSES",
    "REMOVED_STATUSES",
    "Entry",
    "EntryNameKey",
    "EntryQuerySet",
    "EntryState",
    "ListKind",
    "Measure",
    "MeasureImplementation",
    "PlatformAppeal",
    "RepairApplication",
    "ScreeningJob",
    "ScreeningJobError",
    "ScreeningJobHit",
    "ScreeningLog",
    "ScreeningLogDepartment",
    "ShareScope",
    "Statement",
    "Status",
]
