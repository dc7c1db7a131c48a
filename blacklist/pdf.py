"""The documents of the listing procedure, rendered to PDF by :func:`portal.pdf.html_to_pdf`:

- the notice (告知书) served before listing: facts, grounds, basis, the
  measures proposed and the statement window;
- the listing decision (决定书): the same, the party's statement and the
  answer to it, the term, removal and remedies;
- the decision on a credit repair application.

Each cites the rule set its matter is pinned to: a listing the listing set in
force on the day of its notice (its ``listing-basis`` articles), a credit
repair the repair set in force on the day the application was accepted.
Documents are served to the party in Chinese by default (``language``). They
are issued (numbered, signed, stored) by ``blacklist.services.documents``.
"""

from datetime import date

from django.template.loader import render_to_string
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import override

from portal.errors import DomainError
from portal.models import Certainty, Deadline, RuleSet
from portal.pdf import html_to_pdf
from portal.rules import citation_of, clock_of, rule_set_for
from registry.models import PartyKind

from .models import Entry, EntryState, RepairApplication, Status

DEFAULT_LANGUAGE = "zh-hans"
STATEMENT_CLOCK = "blacklist-statement"
REPAIR_CLOCK = "credit-repair-decision"


class DocumentNotReady(Exception):
    """The entry has not reached the step that issues this document."""


def _state(entry: Entry, status: str) -> EntryState | None:
    return entry.states.filter(status=status).order_by("-at", "-id").first()


def clock_source(rule_set: RuleSet | None, code: str, department=None) -> str:
    """The article clock ``code`` of ``rule_set`` rests on; a clock the rules leave to
    the department says so, never passing for a legal time limit."""
    if rule_set is None:
        return ""
    try:
        clock = clock_of(rule_set, code, department=department)
    except DomainError:
        return ""
    if clock.is_local:
        return f"{clock.source_label} — {Certainty.LOCAL.label}"
    return clock.source_label


def listing_basis(rule_set: RuleSet | None) -> str:
    """The articles the departments' list rests on under ``rule_set``."""
    citation = citation_of(rule_set, "listing-basis") if rule_set is not None else None
    return citation.source_label if citation else ""


# Worded when the document is rendered, in the document's language.
_source = lazy(clock_source, str)
_basis = lazy(listing_basis, str)


def _set_in_force(matter: str, day: date | None) -> RuleSet | None:
    if day is None:
        return None
    try:
        return rule_set_for(matter, day)
    except DomainError:
        return None


# The Chinese documents speak to the party as 你（单位） in the catalogue, which
# fits either kind; the issued document addresses the one it is for: 你 for a
# natural person or an individual business, 你单位 for an organisation.
_NEUTRAL_ADDRESS = "你（单位）"


def _addressed(html: str, entry: Entry) -> str:
    if entry.party_kind == PartyKind.ORGANISATION:
        return html.replace(_NEUTRAL_ADDRESS, "你单位")
    return html.replace(_NEUTRAL_ADDRESS, "你")


def _render(template: str, context: dict, *, language: str) -> bytes:
    with override(language):
        html = render_to_string(template, context)
    return html_to_pdf(_addressed(html, context["entry"]))


def _common(entry: Entry) -> dict:
    return {
        "entry": entry,
        "department": entry.department,
        "measures": list(entry.proposed_measures.all()),
        "category": entry.category,
        "rule_set": entry.rule_set,
        "listing_basis": _basis(entry.rule_set),
    }


def notice_pdf(entry: Entry, *, language: str = DEFAULT_LANGUAGE, issue=None) -> bytes:
    notified = _state(entry, Status.NOTIFIED)
    if notified is None:
        raise DocumentNotReady(_("No notice has been served on this entry."))
    deadline = (
        Deadline.objects.for_object(entry).filter(clock=STATEMENT_CLOCK).order_by("pk").first()
    )
    context = _common(entry) | {
        "number": f"{entry.reference}-1",
        "notified": notified,
        "notified_on": notified.data.get("notified_on"),
        "deadline": deadline,
        "clock_source": _source(entry.rule_set, STATEMENT_CLOCK),
        "issued": issue,
    }
    return _render("blacklist/pdf/notice.html", context, language=language)


def decision_pdf(entry: Entry, *, language: str = DEFAULT_LANGUAGE, issue=None) -> bytes:
    listed = _state(entry, Status.LISTED)
    if listed is None or entry.listed_on is None or entry.department_id is None:
        raise DocumentNotReady(_("This entry has not been listed by a department."))
    repair_set = _set_in_force(RuleSet.Matter.REPAIR, entry.listed_on)
    context = _common(entry) | {
        "number": f"{entry.reference}-2",
        "listed": listed,
        "notified": _state(entry, Status.NOTIFIED),
        "statements": list(entry.statements.all()),
        "repair_set": repair_set,
        "repair_clock_source": _source(repair_set, REPAIR_CLOCK),
        "issued": issue,
    }
    return _render("blacklist/pdf/decision.html", context, language=language)


def repair_decision_pdf(
    application: RepairApplication, *, language: str = DEFAULT_LANGUAGE, issue=None
) -> bytes:
    if application.outcome not in (
        RepairApplication.Outcome.GRANTED,
        RepairApplication.Outcome.REFUSED,
    ):
        raise DocumentNotReady(_("This application has not been decided."))
    entry = application.entry
    context = _common(entry) | {
        "number": f"{entry.reference}-R{application.pk}",
        "application": application,
        "granted": application.outcome == RepairApplication.Outcome.GRANTED,
        "repair_set": application.rule_set,
        "repair_clock_source": _source(application.rule_set, REPAIR_CLOCK),
        "issued": issue,
    }
    return _render("blacklist/pdf/repair_decision.html", context, language=language)
