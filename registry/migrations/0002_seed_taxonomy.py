"""Seed the violation taxonomy (REGULATIONS.md) and the negative catalogue
(Trial Art. 7; Order 117 Art. 33). Both are data an admin edits afterwards."""

from django.db import migrations

T = "《网络直播营销管理办法（试行）》"
O = "《直播电商监督管理办法》"

# code, Chinese name, English name, articles (zh), articles (en), department types
TAXONOMY = [
    ("consumer-dispute", "消费纠纷（商品或者服务质量、退换货、售后等）",
     "Consumer dispute (quality, returns, after-sales)",
     "《消费者权益保护法》；" + T + "第十五条", "Consumer Rights Protection Law; Trial Art. 15",
     ["market"]),
    ("prohibited-content", "发布违反《网络信息内容生态治理规定》第六条、第七条的内容",
     "Prohibited content (Network Information Content Regulations Art. 6–7)",
     T + "第十八条第（一）项；《网络信息内容生态治理规定》第六条、第七条",
     "Trial Art. 18(1); Network Information Content Regulations Art. 6–7",
     ["cyberspace", "radio_tv"]),
    ("false-information", "发布虚假或者引人误解的信息，欺骗、误导用户",
     "False or misleading information", T + "第十八条第（二）项", "Trial Art. 18(2)", ["market"]),
    ("bad-goods", "营销假冒伪劣、侵犯知识产权或者不符合保障人身、财产安全要求的商品",
     "Counterfeit, shoddy, IP-infringing or unsafe goods", T + "第十八条第（三）项",
     "Trial Art. 18(3)", ["market"]),
    ("fake-traffic", "虚构或者篡改交易、关注度、浏览量、点赞量等数据流量造假",
     "Faked traffic data (sales, followers, views, likes)", T + "第十八条第（四）项",
     "Trial Art. 18(4)", ["market", "cyberspace"]),
    ("promoting-illegal", "知道或者应当知道他人存在违法违规或者高风险行为，仍为其推广、引流",
     "Promoting others' illegal or high-risk activity", T + "第十八条第（五）项",
     "Trial Art. 18(5)", ["cyberspace", "market"]),
    ("harassment", "骚扰、诋毁、谩骂及恐吓他人，侵害他人合法权益",
     "Harassment, slander, insult or intimidation", T + "第十八条第（六）项",
     "Trial Art. 18(6)", ["cyberspace", "public_security"]),
    ("fraud-gambling", "传销、诈骗、赌博、贩卖违禁品及管制物品等",
     "Pyramid selling, fraud, gambling, contraband", T + "第十八条第（七）项",
     "Trial Art. 18(7)", ["public_security", "market"]),
    ("key-links", "账号名称、头像、简介、标题、封面、布景、道具、服饰等关键环节违法违规",
     "Unlawful key links (account name, avatar, title, cover, set, props, dress)",
     T + "第二十条；" + O + "第二十九条", "Trial Art. 20; Order 117 Art. 29",
     ["cyberspace", "radio_tv"]),
    ("review-deletion", "删除、屏蔽消费者对商品或者服务的不利评价",
     "Deleting or hiding unfavourable reviews", T + "第二十一条", "Trial Art. 21", ["market"]),
    ("virtual-persons", "未经同意使用他人虚拟形象、声音，或者未标识人工智能生成的虚拟人物",
     "Virtual images or voices without consent; unlabelled AI-generated persons",
     T + "第二十五条；" + O + "第三十七条", "Trial Art. 25; Order 117 Art. 37", ["cyberspace"]),
    ("missing-information", "未明码标价或者未公示经营者信息",
     "Missing price or operator information", O + "第二十六条、第三十二条",
     "Order 117 Art. 26, 32", ["market"]),
    ("negative-catalogue", "营销负面目录所列商品或者服务",
     "Selling goods or services on the negative catalogue", T + "第七条；" + O + "第三十三条",
     "Trial Art. 7; Order 117 Art. 33", ["market"]),
    ("agency-fake-deals", "直播营销人员服务机构组织虚假交易或者虚假评价",
     "Fake transactions or reviews organised by an agency", O + "第四十四条",
     "Order 117 Art. 44", ["market"]),
    ("minors", "未满十六周岁的未成年人从事直播营销", "Minors under 16 broadcasting",
     T + "第十七条", "Trial Art. 17", ["cyberspace", "culture_tourism"]),
    ("other", "其他违反国家法律法规和有关规定的行为", "Other violations of law and regulations",
     T + "第十八条第（八）项", "Trial Art. 18(8)", ["market"]),
]

# code, Chinese name, English name, basis (zh), basis (en)
NEGATIVE_CATALOGUE = [
    ("prohibited-by-law", "法律、行政法规禁止生产、销售的商品或者服务",
     "Goods or services whose production or sale is prohibited by law",
     T + "第七条", "Trial Art. 7"),
    ("tobacco", "烟草制品（含电子烟）", "Tobacco products, e-cigarettes included",
     "《烟草专卖法》第三十一条；《电子烟管理办法》第十九条",
     "Tobacco Monopoly Law Art. 31; E-cigarette Measures Art. 19"),
    ("prescription-drugs", "处方药", "Prescription drugs",
     "《广告法》第十五条；《药品网络销售监督管理办法》",
     "Advertising Law Art. 15; Online Drug Sales Measures"),
    ("firearms", "枪支、弹药、管制器具", "Firearms, ammunition and controlled knives",
     "《枪支管理法》", "Firearms Control Law"),
    ("drugs-precursors", "毒品、易制毒化学品", "Narcotics and precursor chemicals",
     "《禁毒法》", "Narcotics Control Law"),
    ("protected-wildlife", "国家重点保护野生动植物及其制品", "Protected wildlife and its products",
     "《野生动物保护法》第二十八条", "Wildlife Protection Law Art. 28"),
    ("hazardous-chemicals", "危险化学品、民用爆炸物品", "Hazardous chemicals and civil explosives",
     "《危险化学品安全管理条例》；《民用爆炸物品安全管理条例》",
     "Hazardous Chemicals Regulations; Civil Explosives Regulations"),
    ("obscene-materials", "淫秽色情物品", "Obscene materials",
     "《治安管理处罚法》", "Public Security Administration Punishments Law"),
    ("human-organs", "人体器官", "Human organs", "《人体器官捐献和移植条例》",
     "Human Organ Donation and Transplantation Regulations"),
    ("unfit-for-live", "不适宜以直播形式营销的商品或者服务", "Goods or services unfit for live marketing",
     T + "第七条；" + O + "第三十三条", "Trial Art. 7; Order 117 Art. 33"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("registry", "ViolationCategory")
    Item = apps.get_model("registry", "NegativeCatalogueItem")
    for order, (code, name, name_en, art, art_en, types) in enumerate(TAXONOMY):
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name, "name_en": name_en, "articles": art, "articles_en": art_en,
                "department_types": types, "ordering": order * 10,
            },
        )
    for code, name, name_en, basis, basis_en in NEGATIVE_CATALOGUE:
        Item.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "basis": basis, "basis_en": basis_en},
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
