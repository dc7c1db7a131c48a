"""The checklist: seeded from the platform obligations, each citing its article,
admin-edited, copied into each inspection when it opens."""

import pytest
from django.urls import reverse

from inspections.models import ChecklistTemplateItem, InspectionStatus, ItemResult
from inspections.services.common import InspectionError
from inspections.services.inspections import inspection_open

pytestmark = pytest.mark.django_db

# The obligations the issue names, and the article each must cite.
OBLIGATIONS = {
    "identity-verification": "Order 117 Art. 8 ¶1",  # re-verified every six months
    "identity-rosters": "Order 117 Art. 9",
    "disposal-system": "Order 117 Art. 12",
    "disposal-reports": "Order 117 Art. 12",
    "blacklist-system": "Order 117 Art. 14",
    "complaint-mechanism": "Order 117 Art. 20",
    "records-three-years": "Order 117 Art. 16",  # from the completion of the transaction
    # the platform's own duties, not the operators' (Order 117 Art. 37, 29; Trial Art. 20, 25)
    "ai-person-labelling": "Trial Art. 13; Order 117 Art. 17",
    "minors": "Trial Art. 17",
    "negative-catalogue": "Trial Art. 7 ¶3",
    "key-links-review": "Order 117 Art. 6 ¶2",
    "inspection-cooperation": "Order 117 Art. 21, 46",
}


def test_template_is_seeded_with_every_obligation_and_its_article():
    items = {i.code: i for i in ChecklistTemplateItem.objects.filter(is_active=True)}

    for code, article in OBLIGATIONS.items():
        assert code in items, code
        assert article in items[code].article_en
        assert "第" in items[code].article and "条" in items[code].article
    assert "六个月" in items["identity-verification"].text
    assert "自交易完成之日起" in items["records-three-years"].text
    # Order 117 Art. 33 is no negative catalogue; Arts. 27, 28 bind operators
    assert "第三十三条" not in items["negative-catalogue"].article
    assert "第二十七条" not in items["records-three-years"].article


def test_inspection_copies_the_active_template_in_its_order(world, campaign, inspection):
    template = list(ChecklistTemplateItem.objects.filter(is_active=True))
    items = list(inspection.items.all())

    assert [i.code for i in items] == [t.code for t in template]
    assert [(i.text, i.article) for i in items] == [(t.text, t.article) for t in template]
    assert {i.result for i in items} == {ItemResult.PENDING}
    assert inspection.status == InspectionStatus.OPEN


def test_admin_edits_apply_to_inspections_opened_afterwards(client, world, campaign, inspection):
    client.force_login(world.admin)
    minors = ChecklistTemplateItem.objects.get(code="minors")
    response = client.post(
        reverse("admin:inspections_checklisttemplateitem_change", args=[minors.pk]),
        {
            "code": "minors",
            "area": "minors",
            "text": "不为未满十六周岁的未成年人开通直播营销（修订）",
            "text_en": "",
            "article": minors.article,
            "article_en": minors.article_en,
            "ordering": minors.ordering,
            "is_active": "",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("admin:inspections_checklisttemplateitem_add"),
        {
            "code": "price-display",
            "area": "other",
            "text": "督促明码标价并公示经营者信息",
            "text_en": "Sees that prices and operator information are shown",
            "article": "《直播电商监督管理办法》第二十六条、第三十二条",
            "article_en": "Order 117 Art. 26, 32",
            "ordering": 200,
            "is_active": "on",
        },
    )
    assert response.status_code == 302

    later = inspection_open(actor=world.handler, campaign=campaign, platform=world.other)

    codes = list(later.items.values_list("code", flat=True))
    assert "minors" not in codes and codes[-1] == "price-display"
    added = later.items.get(code="price-display")
    assert added.article == "《直播电商监督管理办法》第二十六条、第三十二条"
    # The inspection already under way keeps its copy.
    assert inspection.items.filter(code="minors").exists()
    assert not inspection.items.filter(code="price-display").exists()


def test_no_inspection_without_an_active_template_item(world, campaign):
    ChecklistTemplateItem.objects.update(is_active=False)

    with pytest.raises(InspectionError):
        inspection_open(actor=world.handler, campaign=campaign, platform=world.other)
