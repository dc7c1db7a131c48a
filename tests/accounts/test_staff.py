"""``/accounts/staff/``: a department administrator manages their own department's
staff through the pages (invite, deactivate and reactivate, change role, reset
two-factor), each audited; another department's staff answer 404, anybody without
the role 403; the invitation's link sets a password that then signs in."""

import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from portal.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-2026"


@pytest.fixture
def client(client):
    """Pages in English, so that the messages below read as written."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def team(departments):
    xihu, yuhang = departments["xihu_market"], departments["yuhang_market"]
    return {
        "department": xihu,
        "admin": UserFactory(
            username="xihu-admin",
            department=xihu,
            role=Role.DEPARTMENT_ADMIN,
            last_name="赵",
            first_name="静",
        ),
        "handler": UserFactory(
            username="xihu-handler",
            department=xihu,
            role=Role.HANDLER,
            last_name="王",
            first_name="敏",
            email="wangmin@example.com",
        ),
        "other": UserFactory(username="yuhang-handler", department=yuhang, role=Role.HANDLER),
        "other_admin": UserFactory(
            username="yuhang-admin", department=yuhang, role=Role.DEPARTMENT_ADMIN
        ),
    }


def events(action, subject):
    return AuditEvent.objects.filter(action=action, object_id=str(subject.pk))


def test_the_list_shows_only_the_own_department(client, team):
    TOTPDevice.objects.create(user=team["handler"], name="phone", confirmed=True)
    client.force_login(team["admin"])
    page = client.get("/accounts/staff/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "王敏" in text and "xihu-handler" in text and "case handler" in text
    assert "yuhang-handler" not in text
    rows = {m.username: m for m in page.context["members"]}
    assert rows["xihu-handler"].two_factor_set_up is True
    assert rows["xihu-admin"].two_factor_set_up is False


def test_a_site_administrator_sees_every_department(client, team):
    client.force_login(UserFactory(username="root", role=Role.SITE_ADMIN))
    text = client.get("/accounts/staff/").content.decode()
    assert "xihu-handler" in text and "yuhang-handler" in text
    assert client.get(f"/accounts/staff/{team['other'].pk}/").status_code == 200


def test_another_departments_staff_answer_404(client, team):
    client.force_login(team["admin"])
    other = team["other"]
    assert client.get(f"/accounts/staff/{other.pk}/").status_code == 404
    for action in ("deactivate", "role", "reset-two-factor"):
        url = f"/accounts/staff/{other.pk}/{action}/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"confirm": "on", "role": "supervisor"}).status_code == 404
    other.refresh_from_db()
    assert other.is_active and other.role == Role.HANDLER


def test_who_is_not_a_department_admin_gets_403_on_the_list(client, team):
    client.force_login(team["handler"])
    assert client.get("/accounts/staff/").status_code == 403
    assert client.get("/accounts/staff/invite/").status_code == 403
    assert client.get(f"/accounts/staff/{team['admin'].pk}/").status_code == 404


def test_deactivate_asks_first_then_is_audited_and_the_account_signs_out(client, team):
    handler = team["handler"]
    handler_client = client.__class__(HTTP_ACCEPT_LANGUAGE="en")
    handler_client.force_login(handler)
    client.force_login(team["admin"])
    url = f"/accounts/staff/{handler.pk}/deactivate/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Deactivate the account of 王敏?" in confirm.text
    unticked = client.post(url, {"reason": "left the bureau"})
    assert unticked.status_code == 400
    assert "Tick the box to confirm." in unticked.text
    handler.refresh_from_db()
    assert handler.is_active
    done = client.post(url, {"reason": "left the bureau", "confirm": "on"}, follow=True)
    assert "The account of 王敏 was deactivated." in done.text
    handler.refresh_from_db()
    assert not handler.is_active
    event = events("staff.deactivated", handler).get()
    assert event.actor == team["admin"] and event.reason == "left the bureau" and event.at
    assert handler_client.get(reverse("complaints:list")).status_code == 302  # signed out

    back = client.post(f"/accounts/staff/{handler.pk}/reactivate/", {"confirm": "on"})
    assert back.status_code == 302
    handler.refresh_from_db()
    assert handler.is_active
    assert events("staff.reactivated", handler).get().actor == team["admin"]


def test_change_role_is_audited_with_before_and_after(client, team):
    handler = team["handler"]
    client.force_login(team["admin"])
    url = f"/accounts/staff/{handler.pk}/role/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="site_admin"' not in page.text and 'value="platform_officer"' not in page.text
    refused = client.post(url, {"role": "site_admin", "confirm": "on"})
    assert refused.status_code == 400
    assert 'id="id_role_error"' in refused.text  # beside the field
    response = client.post(url, {"role": "supervisor", "confirm": "on", "reason": "promoted"})
    assert response.status_code == 302
    handler = User.objects.get(pk=handler.pk)
    assert handler.role == Role.SUPERVISOR
    assert handler.groups.count() == 1
    event = events("staff.role_changed", handler).get()
    assert event.data == {"from": "handler", "to": "supervisor"}
    assert event.reason == "promoted" and event.actor == team["admin"]


def test_an_admin_cannot_deactivate_themself_or_drop_their_own_role(client, team):
    admin = team["admin"]
    client.force_login(admin)
    response = client.post(f"/accounts/staff/{admin.pk}/deactivate/", {"confirm": "on"})
    assert response.status_code == 400
    assert "You cannot deactivate your own account" in response.text
    response = client.post(
        f"/accounts/staff/{admin.pk}/role/", {"role": "handler", "confirm": "on"}
    )
    assert response.status_code == 400
    assert "You cannot remove your own administrator role" in response.text
    admin = User.objects.get(pk=admin.pk)
    assert admin.is_active and admin.role == Role.DEPARTMENT_ADMIN
    assert not AuditEvent.objects.filter(action__startswith="staff.", object_id=str(admin.pk))


@override_settings(OTP_REQUIRED=True)
def test_reset_two_factor_removes_the_devices_and_the_user_enrols_again(client, team):
    handler = team["handler"]
    handler.set_password(PASSWORD)
    handler.save()
    TOTPDevice.objects.create(user=handler, name="phone", confirmed=True)
    client.force_login(team["admin"])
    client.session.save()
    from django_otp import DEVICE_ID_SESSION_KEY

    admin_device = TOTPDevice.objects.create(user=team["admin"], name="phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = admin_device.persistent_id
    session.save()
    url = f"/accounts/staff/{handler.pk}/reset-two-factor/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"confirm": "on", "reason": "phone lost"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=handler).exists()
    event = events("two_factor.reset", handler).get()
    assert event.actor == team["admin"] and event.reason == "phone lost"

    other = client.__class__(HTTP_ACCEPT_LANGUAGE="en")
    other.post("/login/", {"username": handler.username, "password": PASSWORD})
    assert other.get("/").url.startswith("/account/two-factor/")


@override_settings(OTP_REQUIRED=True)
def test_the_two_factor_page_names_the_department_admin(client, team):
    handler = team["handler"]
    TOTPDevice.objects.create(user=handler, name="phone", confirmed=True)
    handler.set_password(PASSWORD)
    handler.save()
    client.post("/login/", {"username": handler.username, "password": PASSWORD})
    text = client.get("/login/two-factor/").text
    ask = re.search(r'id="two-factor-ask">(.*?)</p>', text, re.S).group(1)
    assert "department" in ask and "(赵静)" in ask and "or a site administrator" in ask, ask


def test_invite_sends_a_link_that_sets_the_password_and_signs_in(
    client, team, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_BASE_URL = "https://portal.example.gov.cn"
    client.force_login(team["admin"])
    page = client.get("/accounts/staff/invite/")
    assert 'value="site_admin"' not in page.text and 'name="department"' not in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/staff/invite/",
            {
                "username": "new-handler",
                "last_name": "李",
                "first_name": "雷",
                "email": "lilei@example.com",
                "role": "handler",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(username="new-handler")
    assert user.department == team["department"] and user.role == Role.HANDLER
    assert not user.has_usable_password()
    event = events("staff.invited", user).get()
    assert event.actor == team["admin"] and event.data["role"] == "handler"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lilei@example.com"]
    link = re.search(r"https://portal\.example\.gov\.cn(/accounts/invite/\S+/)", message.body)
    assert link, message.body

    anonymous = client.__class__(HTTP_ACCEPT_LANGUAGE="en")
    form = anonymous.get(link.group(1), follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    mismatch = anonymous.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Lanterns-over-West-Lake-7", "new_password2": "other"},
    )
    assert mismatch.status_code == 200 and "The two passwords differ." in mismatch.text
    done = anonymous.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "Lanterns-over-West-Lake-7",
            "new_password2": "Lanterns-over-West-Lake-7",
        },
    )
    assert done.status_code == 302 and done.url == "/login/"
    signed_in = anonymous.post(
        "/login/", {"username": "new-handler", "password": "Lanterns-over-West-Lake-7"}
    )
    assert signed_in.status_code == 302
    assert anonymous.session["_auth_user_id"] == str(user.pk)
    # the link works once
    again = client.__class__(HTTP_ACCEPT_LANGUAGE="en").get(link.group(1), follow=True)
    assert not again.context["validlink"]


def test_invite_errors_stand_beside_their_fields_and_nothing_is_saved(client, team):
    client.force_login(team["admin"])
    before = User.objects.count()
    response = client.post(
        "/accounts/staff/invite/",
        {"username": "xihu-handler", "email": "", "role": "site_admin"},
    )
    assert response.status_code == 400
    for field in ("email", "role"):
        assert f'id="id_{field}_error"' in response.text
    response = client.post(
        "/accounts/staff/invite/",
        {"username": "xihu-handler", "email": "a@example.com", "role": "handler"},
    )
    assert response.status_code == 400 and 'id="id_username_error"' in response.text
    assert User.objects.count() == before
    assert not AuditEvent.objects.filter(action="staff.invited").exists()
