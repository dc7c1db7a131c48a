"""Seed the default clocks (DESIGN.md, REGULATIONS.md) and the official
calendar of 2004–2026 from the chinesecalendar package."""

import chinese_calendar
from django.db import migrations

# code, Chinese name, English name, working days, source (zh), source (en)
CLOCKS = [
    ("complaint-accept", "投诉受理决定", "Decide whether to accept a complaint", 7,
     "《市场监督管理投诉举报处理暂行办法》（2019）第十四条",
     "SAMR complaint rules (2019) Art. 14"),
    ("complaint-mediation", "投诉调解终结", "Conclude mediation of an accepted complaint", 45,
     "《市场监督管理投诉举报处理暂行办法》（2019）第二十一条",
     "SAMR complaint rules (2019) Art. 21"),
    ("report-verify", "举报核查并决定是否立案", "Verify a report and decide whether to open a case", 15,
     "《市场监督管理行政处罚程序规定》第十八条",
     "Administrative penalty procedure rules Art. 18"),
    ("platform-answer", "平台反馈转办投诉", "Platform answers a forwarded complaint", 10,
     "《网络直播营销管理办法（试行）》第十五条；《直播电商监督管理办法》第二十条",
     "Trial Art. 15; Order 117 Art. 20"),
    ("clue-acknowledge", "接收部门确认移送线索", "Receiving department acknowledges a transferred clue", 5,
     "《网络直播营销管理办法（试行）》第四条；《直播电商监督管理办法》第四十六条",
     "Trial Art. 4; Order 117 Art. 46"),
    ("blacklist-statement", "列入名单前当事人陈述申辩", "Party's statement before a blacklist listing", 10,
     "《市场监督管理严重违法失信名单管理办法》（2021）",
     "SAMR serious-dishonesty list rules (2021)"),
    ("operator-info-change", "平台核验经营者信息变更", "Platform verifies an operator's information change", 7,
     "《直播电商监督管理办法》第十五条", "Order 117 Art. 15"),
    ("platform-reminder", "平台向无法联系的经营者发送提醒", "Platform reminds an operator a regulator could not reach", 5,
     "《直播电商监督管理办法》第二十二条", "Order 117 Art. 22"),
]


def seed(apps, schema_editor):
    ClockRule = apps.get_model("portal", "ClockRule")
    CalendarDay = apps.get_model("portal", "CalendarDay")
    CalendarYear = apps.get_model("portal", "CalendarYear")
    for code, name, name_en, days, source, source_en in CLOCKS:
        ClockRule.objects.update_or_create(
            code=code,
            department=None,
            defaults={
                "name": name, "name_en": name_en, "working_days": days,
                "source": source, "source_en": source_en,
            },
        )
    names = {h.value: h.chinese for h in chinese_calendar.Holiday}
    days = {}
    for day, name in chinese_calendar.holidays.items():
        days[day] = CalendarDay(date=day, is_workday=False, name=names.get(name, name))
    for day, name in chinese_calendar.workdays.items():
        days[day] = CalendarDay(date=day, is_workday=True, name=names.get(name, name))
    years = sorted({d.year for d in days if 2004 <= d.year <= 2026})
    CalendarDay.objects.bulk_create(
        [d for d in days.values() if d.date.year in years], ignore_conflicts=True
    )
    for year in years:
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "chinesecalendar"})


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
