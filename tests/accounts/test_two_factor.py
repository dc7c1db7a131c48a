"""Two-factor sign-in (TOTP): required for regulator staff and site admins,
optional for platform officers; the API keys of platforms are unaffected."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts.models import Role
from accounts.services import api_key_issue
from portal.models import AuditEvent
from tests.factories import DepartmentFactory, PlatformFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("otp_on")]

PASSWORD = "pw-for-tests-2026"


@pytest.fixture
def client(client):
    """Pages in English, so that the messages below read as written."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def otp_on():
    with override_settings(OTP_REQUIRED=True):
        yield


@pytest.fixture
def handler(regions):
    department = DepartmentFactory(region=regions["hz"])
    return UserFactory(username="handler-2fa", department=department, role=Role.HANDLER)


@pytest.fixture
def officer(regions):
    return UserFactory(
        username="officer-2fa",
        platform=PlatformFactory(domicile=regions["yuhang"]),
        role=Role.PLATFORM_OFFICER,
    )


def code_for(device: TOTPDevice) -> str:
    """The code an authenticator app holding the device's secret shows now."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def sign_in(client, user, next_url="/"):
    return client.post(
        f"/login/?next={next_url}", {"username": user.username, "password": PASSWORD}
    )


def enrol(client, user):
    """Sign in with the password and set up the authenticator app."""
    if "_auth_user_id" not in client.session:
        sign_in(client, user)
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/account/two-factor/", {"code": code_for(device), "next": "/"})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    next_step(device)
    return device


def next_step(device: TOTPDevice) -> None:
    """As if the next 30-second step had come: a code is accepted once only, and
    a wrong one makes the next try wait (django-otp's throttle)."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)


def test_staff_without_a_device_is_sent_to_enrol_and_then_reaches_home(client, handler):
    sign_in(client, handler)

    response = client.get("/complaints/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/?next=/complaints/cases/")

    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code, an <img>, no script
    device = TOTPDevice.objects.get(user=handler, confirmed=False)
    assert handler.username in device.config_url

    wrong = client.post("/account/two-factor/", {"code": "000000", "next": "/"})
    if code_for(device) != "000000":
        assert wrong.status_code == 400
        assert "That code does not match" in wrong.content.decode()
    next_step(device)

    done = client.post(
        "/account/two-factor/", {"code": code_for(device), "next": "/complaints/cases/"}
    )
    assert done.status_code == 302 and done["Location"] == "/complaints/cases/"
    assert client.get("/complaints/cases/").status_code == 200
    assert AuditEvent.objects.filter(action="two_factor.enrolled", actor=handler).exists()


def test_enrolled_staff_gives_a_code_after_the_password(client, handler):
    enrol(client, handler)
    client.post("/logout/")

    response = sign_in(client, handler, next_url="/complaints/cases/")
    assert response.status_code == 302
    blocked = client.get("/complaints/cases/")
    assert blocked["Location"].startswith("/login/two-factor/?next=")

    # The enrol page is no way around the code: it sends to the code step.
    assert client.get("/account/two-factor/")["Location"].startswith("/login/two-factor/")

    device = TOTPDevice.objects.get(user=handler, confirmed=True)
    bad_code = "123456" if code_for(device) != "123456" else "654321"
    bad = client.post("/login/two-factor/", {"code": bad_code, "next": "/complaints/cases/"})
    assert bad.status_code == 400
    assert "That code is wrong or has expired" in bad.content.decode()

    next_step(device)
    good = client.post(
        "/login/two-factor/", {"code": code_for(device), "next": "/complaints/cases/"}
    )
    assert good.status_code == 302 and good["Location"] == "/complaints/cases/"
    assert client.get("/complaints/cases/").status_code == 200


def test_code_step_refuses_letters_with_a_field_message(client, handler):
    enrol(client, handler)
    client.post("/logout/")
    sign_in(client, handler)
    response = client.post("/login/two-factor/", {"code": "12ab56"})
    assert response.status_code == 400
    assert "The code has digits only." in response.content.decode()


def test_platform_officer_may_sign_in_without_a_second_factor(client, officer):
    sign_in(client, officer)
    assert client.get("/").status_code == 200
    page = client.get("/account/two-factor/")
    assert "Optional for platform compliance officers" in page.content.decode()


def test_platform_officer_who_enrolled_is_asked_for_the_code(client, officer):
    sign_in(client, officer)
    enrol(client, officer)
    client.post("/logout/")
    sign_in(client, officer)
    assert client.get("/")["Location"].startswith("/login/two-factor/")


def test_unverified_staff_session_gets_403_from_the_api(client, handler):
    sign_in(client, handler)
    response = client.get("/api/v1/complaints/cases/")
    assert response.status_code == 403
    assert "Two-factor sign-in is required" in response.json()["detail"]

    enrol(client, handler)
    assert client.get("/api/v1/complaints/cases/").status_code == 200


def test_platform_api_key_is_unaffected(client, officer):
    _key, raw = api_key_issue(platform=officer.platform, name="disposal system", actor=officer)
    response = client.get("/api/v1/forwards/", HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert response.status_code == 200


def test_staff_token_needs_an_enrolled_second_factor(client, handler):
    token = Token.objects.create(user=handler)
    refused = client.get("/api/v1/complaints/cases/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert refused.status_code in (401, 403)
    assert "Set up two-factor sign-in" in refused.json()["detail"]

    TOTPDevice.objects.create(user=handler, name="phone", confirmed=True)
    accepted = client.get("/api/v1/complaints/cases/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert accepted.status_code == 200


def test_site_admin_resets_a_lost_device_and_the_user_enrols_again(client, handler):
    enrol(client, handler)
    client.post("/logout/")

    out = io.StringIO()
    call_command("two_factor_reset", handler.username, reason="phone lost, ticket 42", stdout=out)

    assert "Removed 1 device(s)" in out.getvalue()
    assert AuditEvent.objects.filter(action="two_factor.reset", reason__contains="ticket 42")
    sign_in(client, handler)
    assert client.get("/")["Location"].startswith("/account/two-factor/")


def test_demo_accounts_have_the_published_secret_and_demo_totp_prints_the_code(client):
    from demo.data import DEMO_PASSWORD, load_demo

    load_demo()
    out = io.StringIO()
    call_command("demo_totp", "demo-handler", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()

    client.post("/login/", {"username": "demo-handler", "password": DEMO_PASSWORD})
    assert client.get("/complaints/cases/")["Location"].startswith("/login/two-factor/")
    response = client.post("/login/two-factor/", {"code": code, "next": "/complaints/cases/"})
    assert response.status_code == 302
    assert client.get("/complaints/cases/").status_code == 200


def test_two_factor_off_lets_force_login_through(client, handler):
    with override_settings(OTP_REQUIRED=False):
        client.force_login(handler)
        assert client.get("/complaints/cases/").status_code == 200


def test_the_session_key_changes_at_the_code_step(client, handler):
    """A session key seen between the password and the code (a shared computer,
    a captured cookie) is worth nothing once the code is given."""
    enrol(client, handler)
    client.post("/logout/")
    sign_in(client, handler)
    before_code = client.cookies["sessionid"].value
    device = TOTPDevice.objects.get(user=handler, confirmed=True)

    good = client.post("/login/two-factor/", {"code": code_for(device), "next": "/"})

    assert good.status_code == 302
    after_code = client.cookies["sessionid"].value
    assert after_code != before_code
    assert client.get("/complaints/cases/").status_code == 200
    # The key from before the code no longer signs anyone in.
    stale = type(client)()
    stale.cookies["sessionid"] = before_code
    assert stale.get("/complaints/cases/")["Location"].startswith("/login/")


def test_the_session_key_changes_when_the_first_device_is_confirmed(client, handler):
    sign_in(client, handler)
    client.get("/account/two-factor/")
    before_code = client.cookies["sessionid"].value
    device = TOTPDevice.objects.get(user=handler, confirmed=False)

    done = client.post("/account/two-factor/", {"code": code_for(device), "next": "/"})

    assert done.status_code == 302
    assert client.cookies["sessionid"].value != before_code
    assert client.get("/complaints/cases/").status_code == 200
