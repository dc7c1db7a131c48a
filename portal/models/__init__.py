"""Cross-cutting records: the working-day calendar, the rule sets and their clocks,
the deadlines, the append-only audit trail, the notifications outbox and the issued
documents.

One module per kind of record (Django loads the models from this package):
``calendar``, ``rules``, ``deadlines``, ``audit``, ``notifications`` and ``documents``.
"""

from .audit import (
    AppendOnlyModel,
    AuditEvent,
    IdentityView,
)
from .calendar import (
    CalendarDay,
    CalendarYear,
)
from .deadlines import (
    ClockExclusion,
    ClockExtension,
    Deadline,
    DeadlineQuerySet,
)
from .documents import (
    DocumentCounter,
    DocumentKind,
    DocumentPrefix,
    IssuedDocument,
)
from .notifications import (
    Notification,
)
from .rules import (
    EXCLUDED_PERIODS,
    Certainty,
    ClockRule,
    RuleCitation,
    RuleClock,
    RuleGround,
    RuleItem,
    RuleSet,
    rule_set_in_use,
)

__all__ = [
    "EXCLUDED_PERIODS",
    "AppendOnlyModel",
    "AuditEvent",
    "CalendarDay",
    "CalendarYear",
    "Certainty",
    "ClockExclusion",
    "ClockExtension",
    "ClockRule",
    "Deadline",
    "DeadlineQuerySet",
    "DocumentCounter",
    "DocumentKind",
    "DocumentPrefix",
    "IdentityView",
    "IssuedDocument",
    "Notification",
    "RuleCitation",
    "RuleClock",
    "RuleGround",
    "RuleItem",
    "RuleSet",
    "rule_set_in_use",
]
