"""Lockout after repeated wrong passwords (django-axes), and a site admin's reset."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from accounts.models import Role
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-2026"


@pytest.fixture
def handler(regions):
    department = DepartmentFactory(region=regions["hz"])
    return UserFactory(username="lock-me", department=department, role=Role.HANDLER)


def attempt(client, password, username="lock-me"):
    return client.post(
        "/login/", {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_wrong_passwords_lock_the_account_with_a_clear_message(client, handler):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = attempt(client, "wrong-password")
        assert response.status_code == 200  # the form again, with its error

    locked = attempt(client, "wrong-password")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert f"This account is locked after {limit} wrong passwords in a row." in text
    assert "ask a site administrator to unlock it now" in text

    # Even the right password is refused while the lock holds.
    still = attempt(client, PASSWORD)
    assert still.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_translated(client, handler):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/login/", {"username": "lock-me", "password": "x"})
    assert response.status_code == 429
    # zh-hans is the default language: the message comes from its catalogue.
    limit = settings.AXES_FAILURE_LIMIT
    with translation.override("zh-hans"):
        expected = translation.ngettext(
            "This account is locked after %(limit)s wrong password.",
            "This account is locked after %(limit)s wrong passwords in a row.",
            limit,
        ) % {"limit": limit}
    page = response.content.decode()
    assert '<html lang="zh-Hans">' in page
    assert expected in page


def test_another_username_is_not_locked(client, handler, regions):
    other = UserFactory(username="other-user", role=Role.HANDLER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong-password")
    response = attempt(client, PASSWORD, username=other.username)
    assert response.status_code == 302


def test_site_admin_unlocks_with_axes_reset_username(client, handler):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong-password")
    assert attempt(client, PASSWORD).status_code == 429

    call_command("axes_reset_username", "lock-me")

    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(handler.pk)


def test_axes_reset_unlocks_everyone(client, handler):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong-password")
    call_command("axes_reset")
    assert attempt(client, PASSWORD).status_code == 302
