"""``/help/``: each role reads what to do first, the time limits of the
rule sets in force with their articles, and whom to ask, in either language; the
header links to it on every page."""

import pytest
from django.utils import translation

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page(client, language="en") -> str:
    client.cookies["django_language"] = language
    response = client.get("/help/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_a_consumer_reads_how_to_file_and_the_complaint_time_limits(client):
    text = page(client)
    assert 'id="help-consumer"' in text
    assert "Keep the tracking code" in text
    assert "12315" in text
    assert "Art." in text  # each time limit names its article


def test_each_role_reads_its_own_help(client, departments):
    department = departments["xihu_market"]
    supervisor = UserFactory(department=department, role=Role.SUPERVISOR, first_name="敏")
    expected = {
        Role.HANDLER: "help-handler",
        Role.SUPERVISOR: "help-supervisor",
        Role.DEPARTMENT_HEAD: "help-head",
        Role.DEPARTMENT_ADMIN: "help-dept_admin",
    }
    for role, marker in expected.items():
        client.force_login(UserFactory(department=department, role=role))
        text = page(client)
        assert f'id="{marker}"' in text, role
        assert 'id="help-clocks"' in text
    client.force_login(UserFactory(department=department, role=Role.HANDLER))
    assert supervisor.get_full_name() in page(client)  # whom to ask


def test_the_help_is_in_chinese_for_a_chinese_reader(client):
    text = page(client, "zh-hans")
    with translation.override("zh-hans"):
        assert "帮助" in text
    assert "Keep the tracking code" not in text


def test_every_page_links_to_the_help(client):
    assert 'href="/help/"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_department_admin_reads_how_to_manage_the_staff(client, departments):
    client.force_login(
        UserFactory(department=departments["xihu_market"], role=Role.DEPARTMENT_ADMIN)
    )
    text = page(client)
    assert "Open “Staff” in the menu" in text and "reset their two-factor sign-in" in text
    assert 'href="/accounts/staff/"' in text  # the menu entry
    assert "人员管理" in page(client, "zh-hans")


def test_staff_read_what_the_notifications_are_and_consumers_do_not(client, departments):
    assert 'id="help-notifications"' not in page(client)
    client.force_login(UserFactory(department=departments["xihu_market"], role=Role.HANDLER))

    assert "“Notifications” in the header lists" in page(client)
    assert "页面顶部的“消息提醒”" in page(client, "zh-hans")
