"""Lockout after repeated wrong passwords (django-axes, accounts/lockout.py): by
account and address together, with a slower per-account backstop; and a site
admin's reset."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from accounts.models import Role
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-2026"


@pytest.fixture
def handler(regions):
    department = DepartmentFactory(region=regions["hz"])
    return UserFactory(username="lock-me", department=department, role=Role.HANDLER)


def attempt(client, password, username="lock-me", address="198.51.100.10"):
    return client.post(
        "/login/",
        {"username": username, "password": password},
        HTTP_ACCEPT_LANGUAGE="en",
        REMOTE_ADDR=address,
    )


def test_wrong_passwords_lock_the_account_with_a_clear_message(client, handler):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = attempt(client, "wrong-password")
        assert response.status_code == 200  # the form again, with its error

    locked = attempt(client, "wrong-password")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert (
        "Signing in to this account from your network address is locked after "
        f"{limit} wrong passwords in a row."
    ) in text
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
            "Signing in to this account from your network address is locked after "
            "%(limit)s wrong password.",
            "Signing in to this account from your network address is locked after "
            "%(limit)s wrong passwords in a row.",
            limit,
        ) % {"limit": limit}
    assert expected.startswith("从")  # translated, not the English
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


def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(client, handler):
    """Anyone can type a colleague's username: their failures lock that username
    at their address only, and the owner signs in from theirs."""
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        attempt(client, "wrong-password", address="203.0.113.66")
    assert attempt(client, PASSWORD, address="203.0.113.66").status_code == 429

    owner = attempt(client, PASSWORD, address="198.51.100.10")

    assert owner.status_code == 302
    assert client.session["_auth_user_id"] == str(handler.pk)


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_behind_the_proxy_the_lock_holds_the_forwarded_address(client, handler):
    """Behind nginx every request comes from the proxy: the lock is on the
    address nginx forwards, and a client cannot escape it by sending its own."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/login/",
            {"username": "lock-me", "password": "wrong-password"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.66",
        )
    spoofing = client.post(
        "/login/",
        {"username": "lock-me", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.66",
    )
    owner = client.post(
        "/login/",
        {"username": "lock-me", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.10",
    )

    assert spoofing.status_code == 429
    assert owner.status_code == 302


@override_settings(AXES_ACCOUNT_FAILURE_LIMIT=8)
def test_failures_from_many_addresses_lock_the_account_everywhere(client, handler):
    """The backstop: a guessing run spread over addresses, each under the
    per-address limit, locks the account from every address."""
    for n in range(8):
        response = attempt(client, "wrong-password", address=f"203.0.113.{n // 2}")
        assert response.status_code == (429 if n == 7 else 200)

    elsewhere = attempt(client, PASSWORD, address="198.51.100.10")

    assert elsewhere.status_code == 429
    assert "This account is locked after 8 wrong passwords from several network addresses." in (
        elsewhere.content.decode()
    )
    assert "_auth_user_id" not in client.session
    call_command("axes_reset_username", "lock-me")
    assert attempt(client, PASSWORD, address="198.51.100.10").status_code == 302
