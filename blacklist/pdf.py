"""The documents of the listing procedure, rendered by :func:`portal.pdf.render_pdf`:

- the notice (告知书) served before listing: facts, grounds, basis, the
  measures proposed and the statement window;
- the listing decision (决定书): the same, the party's statement and the
  answer to it, the term, removal and remedies;
- the decision on a credit repair application.

Documents are served to the party in Chinese by default (``language``).
"""

from django.utils.translation import gettext as _

from portal.models import ClockRule, Deadline
from portal.pdf import render_pdf

from .models import Entry, EntryState, RepairApplication, Status

DEFAULT_LANGUAGE = "zh-hans"


class DocumentNotReady(Exception):
    """The entry has not reached the step that issues this document."""


def _state(entry: Entry, status: str) -> EntryState | None:
    return entry.states.filter(status=status).order_by("-at", "-id").first()


def _clock_source(code: str) -> str:
    rule = ClockRule.objects.filter(code=code, department__isnull=True).first()
    return rule.source_label if rule else ""


def _common(entry: Entry) -> dict:
    return {
        "entry": entry,
        "department": entry.department,
        "measures": list(entry.proposed_measures.all()),
        "category": entry.category,
    }


def notice_pdf(entry: Entry, *, language: str = DEFAULT_LANGUAGE) -> bytes:
    notified = _state(entry, Status.NOTIFIED)
    if notified is None:
        raise DocumentNotReady(_("No notice has been served on this entry."))
    deadline = (
        Deadline.objects.for_object(entry)
        .filter(clock="blacklist-statement")
        .order_by("pk")
        .first()
    )
    context = _common(entry) | {
        "number": f"{entry.reference}-1",
        "notified": notified,
        "notified_on": notified.data.get("notified_on"),
        "deadline": deadline,
        "clock_source": _clock_source("blacklist-statement"),
    }
    return render_pdf("blacklist/pdf/notice.html", context, language=language)


def decision_pdf(entry: Entry, *, language: str = DEFAULT_LANGUAGE) -> bytes:
    listed = _state(entry, Status.LISTED)
    if listed is None or entry.listed_on is None or entry.department_id is None:
        raise DocumentNotReady(_("This entry has not been listed by a department."))
    context = _common(entry) | {
        "number": f"{entry.reference}-2",
        "listed": listed,
        "notified": _state(entry, Status.NOTIFIED),
        "statements": list(entry.statements.all()),
        "repair_clock_source": _clock_source("credit-repair-decision"),
    }
    return render_pdf("blacklist/pdf/decision.html", context, language=language)


def repair_decision_pdf(
    application: RepairApplication, *, language: str = DEFAULT_LANGUAGE
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
        "repair_clock_source": _clock_source("credit-repair-decision"),
    }
    return render_pdf("blacklist/pdf/repair_decision.html", context, language=language)
