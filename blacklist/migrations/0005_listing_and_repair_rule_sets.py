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

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


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

    dependencies = [
        ('blacklist', '0004_entry_name_form'),
        ('portal', '0009_clock_rule_department_required'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='entry',
            name='rule_set',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='listings', to='portal.ruleset', verbose_name='rule set'),
        ),
        migrations.AddField(
            model_name='repairapplication',
            name='accepted_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='accepted by'),
        ),
        migrations.AddField(
            model_name='repairapplication',
            name='accepted_on',
            field=models.DateField(blank=True, help_text='The decision clock runs from the day the application is accepted.', null=True, verbose_name='accepted on'),
        ),
        migrations.AddField(
            model_name='repairapplication',
            name='rule_set',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='repair_applications', to='portal.ruleset', verbose_name='rule set'),
        ),
        migrations.AlterField(
            model_name='entrystate',
            name='status',
            field=models.CharField(choices=[('proposed', 'proposed'), ('notified', 'notice served, statement window running'), ('heard', 'statement recorded'), ('listed', 'listed'), ('repair_pending', 'listed, credit repair applied for'), ('repair_accepted', 'listed, credit repair application accepted'), ('dropped', 'not listed (dropped)'), ('expired', 'removed: term ended'), ('repaired', 'removed: credit repaired'), ('revoked', 'removed: revoked on review or appeal')], max_length=16, verbose_name='status'),
        ),
        migrations.RunPython(pin, migrations.RunPython.noop),
    ]
