"""The articles the identity rosters cite: the January and July deadline (Order 117
Art. 9) and the age rule (Trial Art. 17), as citations of the platform rule set
sets (every version that lacks them; an admin's own edits are kept)."""

from django.db import migrations

TRIAL = "《网络直播营销管理办法（试行）》"
O117 = "《直播电商监督管理办法》"

# (rule set codes, citation)
CITATIONS = [
    dict(
        codes=("order-117",),
        document="roster-deadline",
        source=O117 + "第九条",
        source_en="Order 117 Art. 9",
        certainty="text",
        note="每年一月、七月向住所地省级市场监督管理部门报送身份信息；逾期以当月末日为界。",
    ),
    dict(
        codes=("trial-2021", "order-117"),
        document="roster-age",
        source=TRIAL + "第十七条",
        source_en="Trial Art. 17",
        certainty="text",
        note="直播营销人员及自然人直播间运营者应年满十六周岁；十六至十八周岁应经监护人同意。",
    ),
]


def seed(apps, schema_editor):
    RuleSet = apps.get_model("portal", "RuleSet")
    RuleCitation = apps.get_model("portal", "RuleCitation")
    for spec in CITATIONS:
        citation = {k: v for k, v in spec.items() if k != "codes"}
        for rule_set in RuleSet.objects.filter(code__in=spec["codes"]):
            if not RuleCitation.objects.filter(
                rule_set=rule_set, document=citation["document"]
            ).exists():
                RuleCitation.objects.create(rule_set=rule_set, **citation)


def unseed(apps, schema_editor):
    RuleCitation = apps.get_model("portal", "RuleCitation")
    RuleCitation.objects.filter(
        rule_set__code__in=("trial-2021", "order-117"), document__in=[c["document"] for c in CITATIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0013_dates_in_range")]

    operations = [migrations.RunPython(seed, unseed)]
