"""Credit repair: applying, accepting and deciding (Order 107; the 2021 measures
before it)."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import actor_user
from portal.errors import Conflict, DomainError
from portal.freetext import seal_text
from portal.models import Deadline, RuleSet
from portal.rules import rule_set_for
from portal.services import deadline_close, deadline_start
from portal.transitions import require_perm

from ..models import (
    Entry,
    RepairApplication,
    Status,
)
from .common import (
    REPAIR_AFTER_MONTHS,
    REPAIR_CLOCK,
    _add_months,
    _append_state,
    _lock,
    _may_move,
    _open_deadline,
    _require_lister_department,
)


def _repairs_moot(entry_ids: list[int], *, reason: str) -> None:
    """Close the pending repair applications (and their clocks) of entries that left the
    list otherwise. Runs inside the caller's transaction."""
    pending = RepairApplication.objects.filter(
        entry_id__in=entry_ids, outcome=RepairApplication.Outcome.PENDING
    )
    application_ids = [str(pk) for pk in pending.values_list("pk", flat=True)]
    if not application_ids:
        return
    Deadline.objects.open().filter(
        content_type=ContentType.objects.get_for_model(RepairApplication),
        object_id__in=application_ids,
    ).update(state=Deadline.State.CANCELLED, closed_at=timezone.now())
    decision_reason, decision_reason_sealed = seal_text(reason)  # update() calls no pre_save
    pending.update(
        outcome=RepairApplication.Outcome.MOOT,
        decision_reason=decision_reason,
        decision_reason_sealed=decision_reason_sealed,
        decided_on=timezone.localdate(),
    )


@transaction.atomic
def entry_repair_apply(*, actor, entry: Entry, applied_on: date, grounds: str) -> RepairApplication:
    """Record the party's application for early removal (credit repair), possible after one
    year on the list (SAMR serious-dishonesty list rules (2021) Art. 18). No clock runs
    yet: the decision clock starts when the department accepts the application
    (:func:`entry_repair_accept`)."""
    require_perm(actor, "blacklist.propose_entry")
    entry = _lock(entry)
    _require_lister_department(actor, entry)
    pending = entry.repairs.filter(outcome=RepairApplication.Outcome.PENDING).first()
    if entry.status in (Status.REPAIR_PENDING, Status.REPAIR_ACCEPTED) and pending is not None:
        return pending
    _may_move(entry, Status.REPAIR_PENDING)
    earliest = _add_months(entry.listed_on, REPAIR_AFTER_MONTHS)
    if applied_on < earliest:
        raise DomainError(
            _(
                "Credit repair may be applied for after one year on the list: from "
                "%(day)s (SAMR serious-dishonesty list rules (2021) Art. 18)."
            )
            % {"day": earliest.isoformat()},
            code="too_early",
        )
    if applied_on > timezone.localdate():
        raise DomainError(_("The application cannot be dated in the future."), code="future")
    application = RepairApplication(
        entry=entry, applied_on=applied_on, grounds=grounds.strip(), recorded_by=actor_user(actor)
    )
    application.full_clean()
    application.save()
    _append_state(
        entry,
        Status.REPAIR_PENDING,
        actor=actor,
        reason=grounds.strip(),
        data={"application": application.pk, "applied_on": applied_on.isoformat()},
    )
    return application


@transaction.atomic
def entry_repair_accept(
    *, actor, application: RepairApplication, accepted_on: date | None = None
) -> RepairApplication:
    """The department accepts a credit repair application (受理).

    The application is pinned to the credit repair rule set in force on the day of
    acceptance, whose decision clock starts that day: 7 working days under Order 107
    (accepted from 2025-12-25), 15 under the 2021 measures. Accepting it again does
    nothing."""
    require_perm(actor, "blacklist.propose_entry")
    entry = _lock(application.entry)
    _require_lister_department(actor, entry)
    application = RepairApplication.objects.select_for_update().get(pk=application.pk)
    if application.is_accepted:
        return application
    if application.outcome != RepairApplication.Outcome.PENDING:
        raise Conflict(_("This application has already been decided."), code="decided")
    _may_move(entry, Status.REPAIR_ACCEPTED)
    accepted_on = accepted_on or timezone.localdate()
    if accepted_on > timezone.localdate():
        raise ValidationError(
            {"accepted_on": [_("The application cannot be accepted on a future day.")]}
        )
    rule_set = rule_set_for(RuleSet.Matter.REPAIR, accepted_on)
    application.accepted_on = accepted_on
    application.accepted_by = actor_user(actor)
    application.rule_set = rule_set
    application.full_clean()
    application.save(update_fields=["accepted_on", "accepted_by", "rule_set"])
    deadline = deadline_start(
        subject=application,
        clock=REPAIR_CLOCK,
        started_on=accepted_on,
        actor=actor_user(actor),
        department=entry.department,
        rule_set=rule_set,
    )
    _append_state(
        entry,
        Status.REPAIR_ACCEPTED,
        actor=actor,
        data={
            "application": application.pk,
            "accepted_on": accepted_on.isoformat(),
            "decision_due_on": deadline.due_on.isoformat(),
            "rule_set": rule_set.code,
            "rule_set_version": rule_set.version,
        },
    )
    return application


@transaction.atomic
def entry_repair_decide(
    *,
    actor,
    application: RepairApplication,
    granted: bool,
    reason: str,
    decided_on: date | None = None,
) -> RepairApplication:
    """The department decides an accepted credit repair application: removed early, or
    stays listed."""
    require_perm(actor, "blacklist.decide_entry")
    entry = _lock(application.entry)
    _require_lister_department(actor, entry)
    application = RepairApplication.objects.select_for_update().get(pk=application.pk)
    outcome = RepairApplication.Outcome.GRANTED if granted else RepairApplication.Outcome.REFUSED
    if application.outcome == outcome:
        return application
    if application.outcome != RepairApplication.Outcome.PENDING:
        raise Conflict(_("This application has already been decided."))
    if not application.is_accepted:
        raise Conflict(
            _("Accept the application first: the decision follows its acceptance."),
            code="not_accepted",
        )
    target = Status.REPAIRED if granted else Status.LISTED
    _may_move(entry, target)
    if not reason.strip():
        raise DomainError(_("Give the reasons of the decision."), code="reason")
    decided_on = decided_on or timezone.localdate()
    if decided_on < application.accepted_on:
        raise DomainError(
            _("The decision cannot come before the acceptance (%(day)s).")
            % {"day": application.accepted_on.isoformat()},
            code="decided_on",
        )
    application.outcome = outcome
    application.decided_on = decided_on
    application.decision_reason = reason.strip()
    application.decided_by = actor_user(actor)
    application.full_clean()
    application.save()
    deadline = _open_deadline(application, REPAIR_CLOCK)
    if deadline is not None:
        deadline_close(deadline=deadline, actor=actor_user(actor), met=True)
    _append_state(
        entry,
        target,
        actor=actor,
        reason=reason.strip(),
        data={"application": application.pk, "outcome": outcome},
    )
    return application
