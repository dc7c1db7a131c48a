"""Interviews on the grounds of Order 117 Art. 52 (1)-(5), as the rule set
``order-117`` lists them, instead of the portal's own five.

Each existing interview is pinned to the set in force on the day it was
scheduled that has an interview grounds list, else to the first ``order-117``
set: the Trial Measures, alone before 2026-02-01, have none, and Art. 52 is the
list the portal applies to interviews of any date. The old grounds map to the
article's items:

- obligations (duties of these Measures not performed) → (1) duties;
- complaints (complaints concentrated on it) → (4) consumers' rights;
- major_risk (a major risk or hidden danger) → (3) problems found in supervision;
- not_rectified (not rectified as ordered) → (1) duties;
- other → (5) other.
"""

from django.db import migrations

OLD_TO_NEW = {
    "obligations": "duties",
    "complaints": "consumers",
    "major_risk": "supervision",
    "not_rectified": "duties",
    "other": "other",
}


def forward(apps, schema_editor):
    from zoneinfo import ZoneInfo

    RuleSet = apps.get_model("portal", "RuleSet")
    RuleGround = apps.get_model("portal", "RuleGround")
    Interview = apps.get_model("inspections", "Interview")
    holders = list(
        RuleSet.objects.filter(
            pk__in=RuleGround.objects.filter(list="interview").values("rule_set_id")
        ).order_by("in_force_from", "version")
    )
    if not holders:
        return
    shanghai = ZoneInfo("Asia/Shanghai")
    for interview in Interview.objects.filter(rule_set__isnull=True):
        day = interview.created_at.astimezone(shanghai).date()
        in_force = [
            s
            for s in holders
            if s.in_force_from <= day and (s.in_force_until is None or day <= s.in_force_until)
        ]
        interview.rule_set = (
            max(in_force, key=lambda s: (s.in_force_from, s.version)) if in_force else holders[0]
        )
        interview.ground = OLD_TO_NEW.get(interview.ground, interview.ground)
        interview.save(update_fields=["rule_set", "ground"])


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0004_interview_marketers_and_rule_set"),
        ("portal", "0008_seed_rule_sets"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
