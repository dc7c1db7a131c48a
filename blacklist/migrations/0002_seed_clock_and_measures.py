"""Seed the credit-repair decision clock and the catalogue of joint-punishment measures.

Both are data an admin edits afterwards (admin: *Clocks*, *Joint-punishment measures*).
"""

from django.db import migrations

S = "《市场监督管理严重违法失信名单管理办法》（2021）"
S_EN = "SAMR serious-dishonesty list rules (2021)"
T = "《网络直播营销管理办法（试行）》"
O = "《直播电商监督管理办法》"

# code, Chinese name, English name, working days, source (zh), source (en)
CLOCKS = [
    ("credit-repair-decision", "信用修复（提前移出）申请核实并作出决定",
     "Verify and decide a credit repair (early removal) application", 15,
     S + "第十九条（自受理之日起十五个工作日内核实并决定是否移出）",
     S_EN + " Art. 19 (15 working days from acceptance)"),
]

# code, Chinese name, English name, basis (zh), basis (en), departments, platforms
MEASURES = [
    ("licensing-consideration",
     "审查行政许可、资质、资格、政府采购、工程招投标时作为重要考量因素",
     "An important consideration in licensing, qualifications, public procurement and tenders",
     S + "第十七条第（一）项", S_EN + " Art. 17(1)", True, False),
    ("key-supervision", "列为重点监管对象，提高检查频次，依法严格监管",
     "A key supervision target: more frequent inspections",
     S + "第十七条第（二）项", S_EN + " Art. 17(2)", True, False),
    ("no-commitment-approval", "不适用告知承诺制", "No approval on notice and commitment",
     S + "第十七条第（三）项", S_EN + " Art. 17(3)", True, False),
    ("no-honours", "不予授予荣誉称号等表彰奖励", "No honours or awards",
     S + "第十七条第（四）项", S_EN + " Art. 17(4)", True, False),
    ("credit-publicity", "通过国家企业信用信息公示系统公示",
     "Published through the national enterprise credit publicity system",
     O + "第五十一条", "Order 117 Art. 51", True, False),
    ("cyber-dishonesty-list", "纳入互联网严重失信名单", "Put on the internet serious-dishonesty list",
     O + "第五十一条", "Order 117 Art. 51", True, False),
    ("joint-punishment", "其他部门依法实施的联合惩戒措施",
     "Other joint-punishment measures a department applies by law",
     T + "第二十九条", "Trial Art. 29", True, False),
    ("account-closure", "关闭账号", "Account closed",
     O + "第十二条第三款、第十四条；" + T + "第十四条", "Order 117 Art. 12 ¶3, 14; Trial Art. 14",
     False, True),
    ("re-registration-ban", "禁止重新注册账号", "Barred from registering again",
     O + "第十二条第三款、第十四条", "Order 117 Art. 12 ¶3, 14", False, True),
    ("live-suspension", "限期暂停直播", "Live streaming suspended for a term",
     O + "第十二条第三款", "Order 117 Art. 12 ¶3", False, True),
    ("platform-blacklist", "列入平台黑名单", "Put on the platform's blacklist",
     O + "第十四条；" + T + "第十四条第三款", "Order 117 Art. 14; Trial Art. 14 ¶3", False, True),
]


def seed(apps, schema_editor):
    ClockRule = apps.get_model("portal", "ClockRule")
    Measure = apps.get_model("blacklist", "Measure")
    for code, name, name_en, days, source, source_en in CLOCKS:
        ClockRule.objects.update_or_create(
            code=code,
            department=None,
            defaults={
                "name": name, "name_en": name_en, "working_days": days,
                "source": source, "source_en": source_en,
            },
        )
    for order, (code, name, name_en, basis, basis_en, depts, platforms) in enumerate(MEASURES):
        Measure.objects.update_or_create(
            code=code,
            defaults={
                "name": name, "name_en": name_en, "basis": basis, "basis_en": basis_en,
                "for_departments": depts, "for_platforms": platforms, "ordering": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("blacklist", "0001_initial"),
        ("portal", "0002_seed_clocks_and_calendar"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
