"""Listings and credit repairs pinned to their rule sets, and the acceptance step of
credit repair.

- A departments' list entry whose notice was served is pinned to the listing set
  in force on the day of the notice.
- Every existing credit repair application counts as accepted on the day it was
  made (its decision clock already ran from that day) and is pinned to the repair
  set in force then; an entry awaiting the decision moves to "application
  accepted", recorded as a state row of its history.
"""

from datetime import date
from zoneinfo import ZoneInfo

from django.db import migrations

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _set_in_force(sets, matter, day):
    found = [
        s
        for s in sets
        if s.matter == matter
        and s.in_force_from <= day
        and (s.in_force_until is None or day <= s.in_force_until)
    ]
    return max(found, key=lambda s: (s.in_force_from, s.version, s.pk)) if found else None


def _notified_on(state) -> date:
    try:
        return date.fromisoformat((state.data or {}).get("notified_on", ""))
    except (TypeError, ValueError):
        return state.at.astimezone(SHANGHAI).date()


def pin(apps, schema_editor):
    RuleSet = apps.get_model("portal", "RuleSet")
    Entry = apps.get_model("blacklist", "Entry")
    EntryState = apps.get_model("blacklist", "EntryState")
    RepairApplication = apps.get_model("blacklist", "RepairApplication")
    sets = list(RuleSet.objects.all())

    notices = EntryState.objects.filter(status="notified", entry__rule_set__isnull=True)
    for state in notices.order_by("entry_id", "at", "pk"):
        rule_set = _set_in_force(sets, "listing", _notified_on(state))
        if rule_set is not None:
            Entry.objects.filter(pk=state.entry_id, rule_set__isnull=True).update(
                rule_set=rule_set
            )

    for application in RepairApplication.objects.filter(accepted_on__isnull=True):
        application.accepted_on = application.applied_on
        application.rule_set = _set_in_force(sets, "repair", application.applied_on)
        application.save(update_fields=["accepted_on", "rule_set"])
        if application.outcome != "pending":
            continue
        entry = Entry.objects.select_related("current").get(pk=application.entry_id)
        if entry.current is None or entry.current.status != "repair_pending":
            continue
        state = EntryState.objects.create(
            entry=entry,
            status="repair_accepted",
            actor_label="system",
            reason="Accepted on the day it was made (the acceptance step came later).",
            data={
                "application": application.pk,
                "accepted_on": application.applied_on.isoformat(),
                "migrated": True,
            },
        )
        entry.current = state
        entry.save(update_fields=["current"])


class Migration(migrations.Migration):
    # Apart from 0005, whose new columns' indexes and constraints PostgreSQL builds at
    # the end of that migration, which it cannot do on rows changed in the same one.
    dependencies = [("blacklist", "0006_listing_and_repair_rule_sets")]
    operations = [migrations.RunPython(pin, migrations.RunPython.noop)]
