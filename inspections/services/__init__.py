"""Every action that changes inspections, clue transfers, consultations and
interviews.

Plain functions, keyword-only arguments, the acting user as ``actor``, one
transaction each, ``full_clean()`` before save and an audit event in the same
transaction. Each record moves along one explicit table (``INSPECTION_MOVES``,
``CLUE_MOVES``, ``CONSULTATION_MOVES``, ``INTERVIEW_MOVES``): asking for the
state it is in already does nothing, any other move raises ``Conflict``; a role
or department that may not act gets ``NotAllowed``.

The modules of this package: ``inspections`` (campaigns, checklist, document
requests, findings, rectification), ``clues`` (transfers), ``meetings``
(consultations and interviews), ``sweep`` (the periodic sweep) and ``common``
(the domain error, the date, stored files). Callers import from the module that
owns each action.
"""
