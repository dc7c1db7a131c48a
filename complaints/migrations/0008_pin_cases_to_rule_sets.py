"""Pin every case to the complaint rules in force on its day of receipt
(Asia/Shanghai) and its clocks to the same set.

Open cases received before 2026-04-15 get the 2019 rules and keep their due
dates. Open cases received from 2026-04-15 get Order 121: their running clocks
are recomputed under it (mediation: 60 calendar days from acceptance; asking
for material no longer stops the acceptance clock), and each due date that
moves is recorded on the case's timeline with the old date and the new one.
"""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import holidays as holiday_rules
from django.db import migrations

SHANGHAI = ZoneInfo("Asia/Shanghai")
MESSAGES = {
    "zh-hans": "本案适用《市场监督管理投诉举报处理办法》（自2026年4月15日起施行）："
    "“{clock}”期限由{old}调整为{new}。",
    "en": "This case is handled under SAMR Order 121 (in force from 2026-04-15): the time limit "
    "“{clock}” moved from {old} to {new}.",
}


class _Calendar:
    """Working days on the loaded official calendar, else by the statutory rule."""

    def __init__(self, apps):
        self.years = set(apps.get_model("portal", "CalendarYear").objects.values_list("year", flat=True))
        self.days = dict(apps.get_model("portal", "CalendarDay").objects.values_list("date", "is_workday"))
        self.rule = {}

    def is_working_day(self, day: date) -> bool:
        if day.year in self.years:
            if day in self.days:
                return self.days[day]
            return day.weekday() < 5
        if day.year not in self.rule:
            self.rule[day.year] = set(holiday_rules.China(years=day.year, observed=False).keys())
        return day not in self.rule[day.year] and day.weekday() < 5

    def due(self, start: date, days: int, unit: str) -> tuple[date, bool]:
        if unit == "calendar":
            on = start + timedelta(days=days)
            while not self.is_working_day(on):
                on += timedelta(days=1)
        else:
            on, left = start, days
            while left:
                on += timedelta(days=1)
                if self.is_working_day(on):
                    left -= 1
        provisional = any(y not in self.years for y in range(start.year, on.year + 1))
        return on, provisional


def pin(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    PlatformForward = apps.get_model("complaints", "PlatformForward")
    CaseEvent = apps.get_model("complaints", "CaseEvent")
    RuleSet = apps.get_model("portal", "RuleSet")
    RuleClock = apps.get_model("portal", "RuleClock")
    Deadline = apps.get_model("portal", "Deadline")
    AuditEvent = apps.get_model("portal", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    sets = list(RuleSet.objects.filter(matter="complaint").order_by("in_force_from", "version"))
    if not sets:
        return
    complaint_type, _ = ContentType.objects.get_or_create(app_label="complaints", model="complaint")
    forward_type, _ = ContentType.objects.get_or_create(
        app_label="complaints", model="platformforward"
    )
    clocks = {
        (c.rule_set_id, c.code): c for c in RuleClock.objects.filter(rule_set__in=sets)
    }
    calendar = _Calendar(apps)
    open_states = ["running", "paused"]
    finished = ["declined", "case_opened", "not_opened", "closed", "merged"]

    def set_on(day):
        found = [s for s in sets if s.in_force_from <= day and (s.in_force_until is None or day <= s.in_force_until)]
        return found[-1] if found else sets[0]

    for complaint in Complaint.objects.filter(rule_set__isnull=True).iterator():
        received = complaint.received_at.astimezone(SHANGHAI).date()
        rule_set = set_on(received)
        complaint.rule_set = rule_set
        complaint.save(update_fields=["rule_set"])
        forward_ids = list(
            PlatformForward.objects.filter(complaint=complaint).values_list("pk", flat=True)
        )
        deadlines = Deadline.objects.filter(
            content_type=complaint_type, object_id=complaint.pk
        ) | Deadline.objects.filter(content_type=forward_type, object_id__in=forward_ids)
        is_open = complaint.status not in finished
        for deadline in deadlines:
            rule = clocks.get((rule_set.pk, deadline.clock))
            deadline.rule_set = rule_set
            if rule is None or not is_open or deadline.state not in open_states or rule_set.code == "complaints-2019":
                deadline.save(update_fields=["rule_set"])
                continue
            old = deadline.due_on
            if rule.certainty != "local":
                deadline.working_days = rule.days
            deadline.unit = rule.unit
            if deadline.state == "paused" and "awaiting_material" not in (rule.pauses_in or []):
                deadline.state, deadline.paused_on, deadline.paused_working_days = "running", None, 0
            deadline.due_on, deadline.provisional = calendar.due(
                deadline.started_on,
                deadline.working_days + deadline.paused_working_days + deadline.excluded_days,
                deadline.unit,
            )
            deadline.save()
            if deadline.due_on == old:
                continue
            subject_is_case = deadline.content_type_id == complaint_type.pk
            language = "en" if (complaint.language or "").startswith("en") else "zh-hans"
            name = rule.name_en if language == "en" and rule.name_en else rule.name
            message = MESSAGES[language].format(
                clock=name, old=old.isoformat(), new=deadline.due_on.isoformat()
            )
            CaseEvent.objects.create(
                complaint=complaint,
                action="due_date_moved",
                public=subject_is_case,
                message=message,
                data={"clock": deadline.clock, "old": old.isoformat(), "new": deadline.due_on.isoformat(), "rule_set": rule_set.code},
            )
            AuditEvent.objects.create(
                action="deadline.recomputed",
                content_type=complaint_type,
                object_id=str(complaint.pk),
                object_repr=complaint.tracking_code,
                reason=message,
                data={"clock": deadline.clock, "old_due_on": old.isoformat(), "due_on": deadline.due_on.isoformat(), "rule_set": rule_set.code},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0007_rule_set"),
        ("portal", "0009_clock_rule_department_required"),
    ]
    operations = [migrations.RunPython(pin, migrations.RunPython.noop)]
