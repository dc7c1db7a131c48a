"""Correct the articles of the checklist template (REGULATIONS.md):

- the six-monthly re-verification of operators' identity is Order 117 Art. 8 ¶1,
  not Art. 9 (the rosters);
- the platform keeps transaction records three years from the completion of the
  transaction, Order 117 Art. 16 (Arts. 27 and 28 bind operators, from the end of
  the broadcast);
- the negative catalogue is Trial Art. 7 ¶3 alone (Order 117 Art. 33 lists
  unsafe, substandard and prohibited goods, not a negative catalogue);
- AI labelling and key links bind operators (Order 117 Arts. 29, 30, 37; Trial
  Arts. 20, 25): the items now check the platform's own duties, on new
  technology (Trial Art. 13; Order 117 Art. 17) and on content review (Order 117
  Art. 6 ¶2).

An item an admin has edited since it was seeded (its article no longer the
seeded one) is left as it is; the items copied into inspections already made
are their record and stay too.
"""

from django.db import migrations

O117 = "《直播电商监督管理办法》"
TRIAL = "《网络直播营销管理办法（试行）》"

# code: (seeded article, new text, new English text, new article, new English article);
# a text of None keeps the item's text.
CORRECTIONS = {
    "identity-verification": (
        f"{O117}第九条",
        None,
        None,
        f"{O117}第八条第一款",
        "Order 117 Art. 8 ¶1",
    ),
    "records-three-years": (
        f"{O117}第十六条、第二十七条、第二十八条",
        "通过技术手段确保交易信息完整，保存直播视频回放、订单、支付、物流、售后等交易信息，"
        "保存时间自交易完成之日起不少于三年",
        "Keeps complete transaction records (replays, orders, payments, delivery, after-sales) "
        "for at least three years from the completion of the transaction",
        f"{O117}第十六条",
        "Order 117 Art. 16",
    ),
    "negative-catalogue": (
        f"{TRIAL}第七条；{O117}第三十三条",
        None,
        None,
        f"{TRIAL}第七条第三款",
        "Trial Art. 7 ¶3",
    ),
    "ai-person-labelling": (
        f"{O117}第三十七条；{TRIAL}第二十五条",
        "加强新技术新应用新功能上线和使用管理，对利用人工智能等技术展示的虚拟形象从事直播营销的依规"
        "评估并显著标识；采取有效措施，防范和处置直播间运营者、直播营销人员利用人工智能等技术手段编造、"
        "传播虚假或者引人误解的商业信息、假冒他人进行商业宣传",
        "Manages new technologies and functions: virtual images made by AI and the like are "
        "assessed and prominently labelled; takes effective measures against operators and "
        "marketers using AI to fabricate or spread false or misleading commercial information "
        "or to impersonate others",
        f"{TRIAL}第十三条；{O117}第十七条",
        "Trial Art. 13; Order 117 Art. 17",
    ),
    "key-links-review": (
        f"{O117}第二十九条；{TRIAL}第二十条",
        "建立健全内容审核机制，加强直播电商信息内容管理（账号名称、头像、简介和直播间标题、封面、"
        "布景、道具等关键环节的合规义务在于直播间运营者：《直播电商监督管理办法》第二十九条、"
        "第三十条，《网络直播营销管理办法（试行）》第二十条）",
        "Has a content review mechanism and manages live e-commerce content (the key links, "
        "account name, avatar, profile, title, cover, set and props, bind the live room "
        "operators: Order 117 Arts. 29, 30; Trial Art. 20)",
        f"{O117}第六条第二款",
        "Order 117 Art. 6 ¶2",
    ),
}


def correct(apps, schema_editor):
    Item = apps.get_model("inspections", "ChecklistTemplateItem")
    for code, (seeded, text, text_en, article, article_en) in CORRECTIONS.items():
        item = Item.objects.filter(code=code, article=seeded).first()
        if item is None:
            continue
        item.article, item.article_en = article, article_en
        if text is not None:
            item.text, item.text_en = text, text_en
        item.save()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0005_interview_grounds_of_order_117")]
    operations = [migrations.RunPython(correct, migrations.RunPython.noop)]
