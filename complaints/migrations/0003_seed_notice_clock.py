"""Seed the clock of a platform's reply to a department's notice of a violation.

The Art. 22 reminder clock (``platform-reminder``, 5 working days) exists already
(portal 0002); this one is the default when the sending department sets no
days itself. Admin-editable (*Clocks*), per department if needed.
"""

from django.db import migrations

CLOCKS = [
    (
        "notice-reply",
        "平台对部门通知的违法行为处置并反馈",
        "Platform acts on a department's notice of a violation and replies",
        10,
        "《直播电商监督管理办法》第十二条第二款、第五十条（期限由通知部门确定）",
        "Order 117 Art. 12 ¶2, Art. 50 (the notifying department sets the time)",
    ),
]


def seed(apps, schema_editor):
    ClockRule = apps.get_model("portal", "ClockRule")
    for code, name, name_en, days, source, source_en in CLOCKS:
        ClockRule.objects.update_or_create(
            code=code,
            department=None,
            defaults={
                "name": name,
                "name_en": name_en,
                "working_days": days,
                "source": source,
                "source_en": source_en,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0002_filings_and_notices"),
        ("portal", "0002_seed_clocks_and_calendar"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
