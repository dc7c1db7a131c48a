"""Every action that moves a complaint or report.

Plain functions, keyword-only arguments, one transaction each; each checks
the move against the transition table and the actor against
``permissions.allowed_actions``, writes a timeline event (public or internal)
and an audit event, and starts or stops the legal clocks:

- accept or decline a complaint, conclude mediation, verify a report, the
  platform's answer to a forwarded case: each clock, its length and unit, what
  stops it, what does not count and who may extend it come from the rule set
  the case is pinned to (``portal.rules``): the set in force on the day of
  receipt (Asia/Shanghai), kept to the end whatever set comes later.

The actions live in one module per stage, and callers import from the module
that owns the action: ``intake``, ``workflow``, ``reports``, ``forwards`` and
``sweep``, with what they share in ``common``; ``documents`` issues the
notices, and ``_sql`` holds the intake's fast path.
"""
