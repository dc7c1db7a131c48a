"""Words that were wrong in Chinese: each label says what it means where it stands."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from oversight.models import StatisticalReport

pytestmark = pytest.mark.django_db


def test_the_language_menu_names_each_language_in_itself(client):
    page = client.get(reverse("complaints:track"), HTTP_ACCEPT_LANGUAGE="zh-hans").text
    assert ">English</option>" in page and ">简体中文</option>" in page
    assert ">英文<" not in page


def test_the_admin_says_modify_not_vary(client):
    admin = get_user_model().objects.create_superuser("root-wording", "r@example.com", "x" * 12)
    client.force_login(admin)
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").text
    assert "修改" in page and "变化" not in page


def test_labels_with_two_meanings_are_told_apart():
    with translation.override("zh-hans"):
        assert str(StatisticalReport.Status.DONE.label) == "已完成"
        assert translation.pgettext("periodic statistics", "Reports") == "统计报告"
        assert translation.gettext("Reports") == "举报"  # complaint reports, in the charts
        assert translation.pgettext("count", "Forwarded") == "转交数"
        assert translation.pgettext("API key", "Name") == "名称"
        assert translation.gettext("done") == "已落实"  # a consultation's action item
