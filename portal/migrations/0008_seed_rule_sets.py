"""Load the instruments of REGULATIONS.md as rule sets, move the default clock
lengths into them (a department keeps only its own lengths of local clocks), and
pin every existing clock to the set it came from.

Complaint and report clocks are pinned by the complaints app's migration, which
knows the day each case was received.
"""

from django.db import migrations

C19 = "《市场监督管理投诉举报处理暂行办法》"
C121 = "《市场监督管理投诉举报处理办法》"
PEN = "《市场监督管理行政处罚程序规定》"
LIST = "《市场监督管理严重违法失信名单管理办法》"
REP = "《市场监督管理信用修复管理办法》"
TRIAL = "《网络直播营销管理办法（试行）》"
O117 = "《直播电商监督管理办法》"
EXCL = ["testing", "inspection", "quarantine", "appraisal"]

REPORT_VERIFY = dict(
    code="report-verify", name="举报核查并决定是否立案",
    name_en="Verify a report and decide whether to open a case", days=15, unit="working",
    starts_on="receipt", excludes=EXCL, extensions=1, extension_days=15, extension_approver="head",
    source=PEN + "第十八条", source_en="Administrative penalty procedure rules Art. 18",
    certainty="text",
    note="15 working days from receipt; extendable once by 15 working days with the approval of "
    "the department's head (负责人); testing, inspection, quarantine and appraisal time does not count.",
)
PLATFORM_ANSWER = dict(
    code="platform-answer", name="平台反馈转办投诉", name_en="Platform answers a forwarded complaint",
    days=10, unit="working", starts_on="forward", certainty="local",
    source=TRIAL + "第十五条；" + O117 + "第二十条（平台自行公示反馈期限，规定未设期限，由部门确定）",
    source_en="Trial Art. 15; Order 117 Art. 20 (the platform publishes its own feedback period; "
    "the rules set no time: set by the department)",
)

GROUNDS_2019 = [
    ("not_our_remit", "投诉事项不属于市场监督管理部门职责，或者本行政机关不具有处理权限的",
     "Not within market supervision's remit, or this department has no power over it"),
    ("already_handled", "法院、仲裁机构、市场监督管理部门或者其他行政机关、消费者协会或者依法成立的其他调解组织已经受理或者处理过同一消费者权益争议的",
     "A court, arbitration body, authority or mediation body has already taken up the same dispute"),
    ("not_consumer_dispute", "不是为生活消费需要购买、使用商品或者接受服务，或者不能证明与被投诉人之间存在消费者权益争议的",
     "Not bought for living consumption, or no consumer dispute with the respondent is shown"),
    ("time_barred", "除法律另有规定外，投诉人知道或者应当知道自己的权益受到被投诉人侵害之日起超过三年的",
     "More than three years since the complainant knew of the harm"),
    ("missing_material", "未提供本办法第九条第一款和第十条规定的材料的",
     "The material required by Art. 9 ¶1 and Art. 10 was not provided"),
    ("other_legal", "法律、法规、规章规定不予受理的其他情形",
     "Another ground laid down by law"),
]
GROUNDS_121 = [
    *GROUNDS_2019[:4],
    ("missing_material", "未提供本办法规定的投诉材料的", "The material these rules require was not provided"),
    ("identity_fraud", "冒用他人名义投诉，或者拒不配合核实真实身份的",
     "Complained in another's name, or refused to cooperate in verifying one's real identity"),
    ("other_legal", "法律、法规、规章规定不予受理的其他情形", "Another ground laid down by law"),
]
NUMERALS = "一二三四五六七"

INTERVIEW_GROUNDS = [
    ("duties", "履行直播电商相关法定义务不到位的", "Its legal duties in live e-commerce are not fully performed"),
    ("public_opinion", "发生直播电商相关重大负面舆情事件的", "A major negative public-opinion event in live e-commerce"),
    ("supervision", "市场监督管理、网信部门在日常监督管理中发现存在可能对直播电商秩序造成负面影响问题的",
     "Problems found in day-to-day supervision that may harm the order of live e-commerce"),
    ("consumers", "未保障消费者等有关各方主体合法权益的", "The lawful rights of consumers or other parties are not protected"),
    ("other", "其他需要约谈的情形", "Other circumstances calling for an interview"),
]

LOCAL_PLATFORM_CLOCKS = [
    dict(code="clue-acknowledge", name="接收部门确认移送线索", name_en="Receiving department acknowledges a transferred clue",
         days=5, unit="working", starts_on="transfer", certainty="local",
         source=TRIAL + "第四条；" + O117 + "第四十六条（规定未设期限，由部门确定）",
         source_en="Trial Art. 4; Order 117 Art. 46 (the rules set no time: set by the department)"),
    dict(code="clue-outcome", name="接收部门反馈移送线索处理结果", name_en="Receiving department reports the outcome of a transferred clue",
         days=30, unit="working", starts_on="transfer", certainty="local",
         source=TRIAL + "第四条；" + O117 + "第四十六条（规定未设期限，由移送部门确定）",
         source_en="Trial Art. 4; Order 117 Art. 46 (the rules set no time: the sending department sets it)"),
    dict(code="document-request", name="平台按检查部门要求提供数据、记录等资料",
         name_en="Platform provides the data and records an inspecting department requests",
         days=10, unit="working", starts_on="request", certainty="local",
         source=TRIAL + "第二十六条；" + O117 + "第二十一条、第四十六条（规定未设期限，由检查部门确定）",
         source_en="Trial Art. 26; Order 117 Art. 21, 46 (the rules set no time: the inspecting department sets it)"),
    dict(code="notice-reply", name="平台对部门通知的违法行为处置并反馈",
         name_en="Platform acts on a department's notice of a violation and replies",
         days=10, unit="working", starts_on="notice", certainty="local",
         source=O117 + "第十二条第二款、第五十条（规定为“及时”，未设期限，由通知部门确定）",
         source_en="Order 117 Art. 12 ¶2, Art. 50 (“promptly”; the rules set no time: the notifying department sets it)"),
]

RULE_SETS = [
    dict(
        code="complaints-2019", matter="complaint", title=C19,
        title_en="SAMR Interim Measures for Handling Complaints and Reports (2019)",
        order_number="国家市场监督管理总局令第20号（2022年3月24日修正）",
        published_on="2019-11-30", in_force_from="2020-01-01", in_force_until="2026-04-14",
        replaced_by="order-121",
        transitional="Repealed by Order 121 from 2026-04-15. Complaints and reports received up to "
        "2026-04-14 (Asia/Shanghai) are handled under these rules to their end.",
        clocks=[
            dict(code="complaint-accept", name="投诉受理决定", name_en="Decide whether to accept a complaint",
                 days=7, unit="working", starts_on="receipt", certainty="text",
                 source=C19 + "第十四条", source_en="SAMR complaint rules (2019) Art. 14",
                 note="Asking for material does not stop this clock: missing material is a ground "
                 "to decline (Art. 15(5))."),
            dict(code="complaint-mediation", name="投诉调解终结", name_en="Conclude mediation of an accepted complaint",
                 days=45, unit="working", starts_on="acceptance", excludes=EXCL, certainty="text",
                 source=C19 + "第二十一条第（五）项、第二十条第三款",
                 source_en="SAMR complaint rules (2019) Art. 21(5), Art. 20 ¶3"),
            REPORT_VERIFY, PLATFORM_ANSWER,
        ],
        grounds=[
            dict(list="decline", code=code, label_zh=f"{zh}（第十五条第（{NUMERALS[i]}）项）",
                 label_en=f"{en} (Art. 15({i + 1}))", ordering=i + 1, certainty="text",
                 source=C19 + f"第十五条第（{NUMERALS[i]}）项", source_en=f"SAMR complaint rules (2019) Art. 15({i + 1})")
            for i, (code, zh, en) in enumerate(GROUNDS_2019)
        ],
        citations=[
            dict(document="acceptance-notice", source=C19 + "第十四条、第二十一条", source_en="SAMR complaint rules (2019) Art. 14 and 21", certainty="text"),
            dict(document="decline-notice", source=C19 + "第十四条、第十五条", source_en="SAMR complaint rules (2019) Art. 14 and 15", certainty="text"),
            dict(document="receipt", source=C19 + "第十四条；" + PEN + "第十八条", source_en="SAMR complaint rules (2019) Art. 14; penalty procedure rules Art. 18", certainty="text"),
            dict(document="routing", source=C19 + "第十二条；" + O117 + "第四十七条第二款", source_en="SAMR complaint rules (2019) Art. 12; Order 117 Art. 47 ¶2", certainty="text"),
        ],
    ),
    dict(
        code="order-121", matter="complaint", title=C121,
        title_en="SAMR Measures for Handling Complaints and Reports (Order 121)",
        order_number="国家市场监督管理总局令第121号", published_on="2025-12-30",
        in_force_from="2026-04-15",
        transitional="Governs complaints and reports received from 2026-04-15 (Asia/Shanghai); "
        "those received before stay under the 2019 rules. The full text is not yet held here: "
        "rules marked secondary are to be checked against the official text.",
        clocks=[
            dict(code="complaint-accept", name="投诉受理决定", name_en="Decide whether to accept a complaint",
                 days=7, unit="working", starts_on="receipt", certainty="secondary",
                 source=C121 + "第十五条", source_en="SAMR complaint rules (Order 121) Art. 15",
                 note="From summaries: 7 working days from receipt, as before; the article number "
                 "is inferred from the decline grounds of Art. 16."),
            dict(code="complaint-mediation", name="投诉调解终结", name_en="Conclude mediation of an accepted complaint",
                 days=60, unit="calendar", starts_on="acceptance", excludes=EXCL, certainty="secondary",
                 source=C121 + "第二十三条第一款第（五）项", source_en="SAMR complaint rules (Order 121) Art. 23 ¶1(5)",
                 note="60 days from acceptance (one source). The excluded periods are carried over "
                 "from the 2019 rules (Art. 20 ¶3) until checked."),
            REPORT_VERIFY, PLATFORM_ANSWER,
        ],
        grounds=[
            dict(list="decline", code=code, label_zh=f"{zh}（第十六条第（{NUMERALS[i]}）项）",
                 label_en=f"{en} (Art. 16({i + 1}))", ordering=i + 1, certainty="secondary",
                 source=C121 + f"第十六条第（{NUMERALS[i]}）项", source_en=f"SAMR complaint rules (Order 121) Art. 16({i + 1})")
            for i, (code, zh, en) in enumerate(GROUNDS_121)
        ],
        citations=[
            dict(document="acceptance-notice", source=C121 + "第十五条、第二十三条", source_en="SAMR complaint rules (Order 121) Art. 15 and 23", certainty="secondary"),
            dict(document="decline-notice", source=C121 + "第十五条、第十六条", source_en="SAMR complaint rules (Order 121) Art. 15 and 16", certainty="secondary"),
            dict(document="receipt", source=C121 + "第十五条；" + PEN + "第十八条", source_en="SAMR complaint rules (Order 121) Art. 15; penalty procedure rules Art. 18", certainty="secondary"),
            dict(document="routing", source=O117 + "第四十七条第二款；" + C121 + "（经营者无公开地址或无法联系时由平台经营者住所地部门处理）",
                 source_en="Order 117 Art. 47 ¶2; Order 121 (the platform's domicile when the operator has no published address or cannot be reached there)", certainty="secondary"),
        ],
    ),
    dict(
        code="list-rules-2021", matter="listing", title=LIST,
        title_en="SAMR serious-dishonesty list rules (2021)", order_number="国家市场监督管理总局令第44号",
        published_on="2021-07-30", in_force_from="2021-09-01",
        transitional="Listings are pinned to the rules in force on the day the listing notice is served.",
        clocks=[
            dict(code="blacklist-statement", name="列入名单前当事人陈述申辩", name_en="Party's statement before a blacklist listing",
                 days=10, unit="working", starts_on="notice", certainty="local",
                 source=LIST + "（2021）（陈述、申辩在行政处罚程序中进行，未设可核实的期限，由部门确定）",
                 source_en="SAMR serious-dishonesty list rules (2021) (the statement is made inside the penalty procedure; no verifiable time: set by the department)"),
        ],
        citations=[
            dict(document="listing-basis", source=TRIAL + "第二十九条；" + O117 + "第五十一条；" + LIST + "（2021）",
                 source_en="Trial Art. 29; Order 117 Art. 51; SAMR serious-dishonesty list rules (2021)", certainty="secondary"),
        ],
    ),
    dict(
        code="credit-repair-2021", matter="repair", title=REP + "（2021）",
        title_en="SAMR credit repair measures (2021)", in_force_from="2021-09-01", in_force_until="2025-12-24",
        replaced_by="order-107",
        transitional="Replaced by Order 107 from 2025-12-25. Applications accepted up to 2025-12-24 "
        "are decided under these measures.",
        clocks=[
            dict(code="credit-repair-decision", name="信用修复申请核实并作出决定", name_en="Verify and decide a credit repair application",
                 days=15, unit="working", starts_on="acceptance", certainty="secondary",
                 source=REP + "（2021）（自受理之日起十五个工作日内作出决定）",
                 source_en="SAMR credit repair measures (2021) (15 working days from acceptance)"),
        ],
    ),
    dict(
        code="order-107", matter="repair", title=REP, title_en="SAMR credit repair measures (Order 107)",
        order_number="国家市场监督管理总局令第107号", published_on="2025-11-21", in_force_from="2025-12-25",
        transitional="Governs applications accepted from 2025-12-25; known from summaries only.",
        clocks=[
            dict(code="credit-repair-decision", name="信用修复申请核实并作出决定", name_en="Verify and decide a credit repair application",
                 days=7, unit="working", starts_on="acceptance", certainty="secondary",
                 source=REP + "（国家市场监督管理总局令第107号）（自受理之日起七个工作日内作出决定）",
                 source_en="SAMR credit repair measures (Order 107) (7 working days from acceptance)"),
        ],
    ),
    dict(
        code="trial-2021", matter="platform", title=TRIAL,
        title_en="Online Live Marketing Management Measures (Trial)", order_number="国信办发文〔2021〕5号",
        published_on="2021-04-23", in_force_from="2021-05-25", in_force_until="2026-01-31",
        replaced_by="order-117",
        transitional="Governs platform matters (clues, notices, document requests, interviews) started "
        "before Order 117 took effect. The Trial Measures stay in force; from 2026-02-01 their rules "
        "are applied together with Order 117 in the set order-117.",
        clocks=[dict(c) for c in LOCAL_PLATFORM_CLOCKS],
    ),
    dict(
        code="order-117", matter="platform", title=O117,
        title_en="Live E-commerce Supervision Measures (Order 117)",
        order_number="国家市场监督管理总局、国家互联网信息办公室令第117号", published_on="2025-12-18",
        in_force_from="2026-02-01",
        transitional="Platform matters started from 2026-02-01; applied together with the Trial Measures.",
        clocks=[
            *[dict(c) for c in LOCAL_PLATFORM_CLOCKS],
            dict(code="operator-info-change", name="平台核验经营者信息变更", name_en="Platform verifies an operator's information change",
                 days=7, unit="working", starts_on="notice", certainty="text",
                 source=O117 + "第十五条", source_en="Order 117 Art. 15"),
            dict(code="platform-reminder", name="平台向无法联系的经营者发送提醒", name_en="Platform reminds an operator a regulator could not reach",
                 days=5, unit="working", starts_on="notice", certainty="text",
                 source=O117 + "第二十二条第二款", source_en="Order 117 Art. 22 ¶2"),
        ],
        grounds=[
            dict(list="interview", code=code, label_zh=f"{zh}（第五十二条第（{NUMERALS[i]}）项）",
                 label_en=f"{en} (Art. 52({i + 1}))", ordering=i + 1, certainty="text",
                 source=O117 + f"第五十二条第（{NUMERALS[i]}）项", source_en=f"Order 117 Art. 52({i + 1})")
            for i, (code, zh, en) in enumerate(INTERVIEW_GROUNDS)
        ],
        citations=[
            dict(document="jurisdiction", source=O117 + "第四十七条第二款", source_en="Order 117 Art. 47 ¶2", certainty="text"),
            dict(document="departments", source=TRIAL + "第四条；" + O117 + "第四十六条", source_en="Trial Art. 4; Order 117 Art. 46", certainty="text"),
        ],
    ),
]


def seed(apps, schema_editor):
    RuleSet = apps.get_model("portal", "RuleSet")
    RuleClock = apps.get_model("portal", "RuleClock")
    RuleGround = apps.get_model("portal", "RuleGround")
    RuleCitation = apps.get_model("portal", "RuleCitation")
    ClockRule = apps.get_model("portal", "ClockRule")
    Deadline = apps.get_model("portal", "Deadline")
    local_codes = set()
    for spec in RULE_SETS:
        spec = dict(spec)
        clocks, grounds, citations = (spec.pop(k, []) for k in ("clocks", "grounds", "citations"))
        rule_set = RuleSet.objects.create(**spec)
        for clock in clocks:
            RuleClock.objects.create(rule_set=rule_set, **clock)
            if clock["certainty"] == "local":
                local_codes.add(clock["code"])
        for ground in grounds:
            RuleGround.objects.create(rule_set=rule_set, **ground)
        for citation in citations:
            RuleCitation.objects.create(rule_set=rule_set, **citation)
    # The defaults now live in the sets; a department keeps its own length of a
    # local clock only (a legal clock is the same for every department).
    ClockRule.objects.filter(department__isnull=True).delete()
    ClockRule.objects.exclude(code__in=local_codes).delete()
    # Pin the existing clocks (but complaints' and reports', see the docstring)
    # to the set in force on the day each started.
    sets = list(RuleSet.objects.order_by("-in_force_from"))
    codes = {s.pk: set(RuleClock.objects.filter(rule_set=s).values_list("code", flat=True)) for s in sets}
    pinned_by_complaints = {"complaint-accept", "complaint-mediation", "report-verify", "platform-answer"}
    for deadline in Deadline.objects.filter(rule_set__isnull=True).exclude(clock__in=pinned_by_complaints):
        for rule_set in sets:
            ends = rule_set.in_force_until
            if (
                deadline.clock in codes[rule_set.pk]
                and rule_set.in_force_from <= deadline.started_on
                and (ends is None or deadline.started_on <= ends)
            ):
                deadline.rule_set = rule_set
                deadline.save(update_fields=["rule_set"])
                break


class Migration(migrations.Migration):
    # After every migration that seeded a default clock, so that none is left behind.
    dependencies = [
        ("portal", "0007_rule_sets"),
        ("complaints", "0003_seed_notice_clock"),
        ("inspections", "0002_seed_checklist_and_clocks"),
        ("blacklist", "0002_seed_clock_and_measures"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
