"""Site administrators maintain every kind of reference data in the Django admin."""

import pytest
from django.urls import reverse

from accounts.models import Platform, Role
from accounts.roles import REFERENCE_MODELS
from portal.models import CalendarYear
from registry.models import Marketer
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, regions):
    client.force_login(UserFactory(role=Role.SITE_ADMIN, is_staff=True))
    return client


@pytest.mark.parametrize(("app", "model"), REFERENCE_MODELS)
def test_site_admin_opens_list_and_add_form_of_each_reference_model(admin_client, app, model):
    assert admin_client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200


def test_site_admin_role_is_not_a_superuser_but_can_edit_platforms(admin_client, regions):
    response = admin_client.post(
        reverse("admin:accounts_platform_add"),
        {
            "name": "测试平台有限公司",
            "name_en": "",
            "uscc": "91330106MA27XU1234",
            "domicile": "330106",
            "is_active": "on",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "check character of this unified social credit code is wrong" in response.text
    assert not Platform.objects.exists()


def test_bad_resident_id_in_admin_is_refused_beside_the_field(admin_client):
    response = admin_client.post(
        reverse("admin:registry_marketer_add"),
        {"name": "李四", "id_number": "110105194912310021", "contact": "", "qualifications": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "The check digit of this resident ID number is wrong." in response.text
    assert not Marketer.objects.exists()


def test_marketer_added_in_admin_is_stored_masked(admin_client):
    response = admin_client.post(
        reverse("admin:registry_marketer_add"),
        {"name": "李四", "id_number": "11010519491231002X", "contact": "", "qualifications": ""},
    )

    assert response.status_code == 302
    marketer = Marketer.objects.get()
    assert marketer.id_number_masked == "110105********002X"
    changelist = admin_client.get(reverse("admin:registry_marketer_changelist"))
    assert "11010519491231002X" not in changelist.text


def test_calendar_year_loaded_from_pasted_notice(admin_client):
    response = admin_client.post(
        reverse("admin:portal_calendaryear_add"),
        {"year": "2027", "notice_text": "一、元旦：1月1日（周五）至3日（周日）放假，共3天。"},
    )

    assert response.status_code == 302
    assert CalendarYear.objects.filter(year=2027).exists()


def test_unreadable_notice_is_refused_with_a_message(admin_client):
    response = admin_client.post(
        reverse("admin:portal_calendaryear_add"),
        {"year": "2027", "notice_text": "一、元旦：2月30日放假，共1天。"},
    )

    assert response.status_code == 200
    assert "errorlist" in response.text
    assert not CalendarYear.objects.filter(year=2027).exists()
