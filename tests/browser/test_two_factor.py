"""Two-factor sign-in through the real pages, under the Content-Security-Policy:
no page a signed-in user walks through reports a CSP violation."""

import pytest
from django.test import override_settings

from accounts.models import User
from accounts.two_factor import demo_totp_code
from demo.data import DEMO_PASSWORD, load_demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def watch_csp(page, violations: list):
    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)


async def password_step(page, base, username, next_url):
    await page.goto(f"{base}/login/?next={next_url}")
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="登录").click()


@override_settings(OTP_REQUIRED=True)
def test_handler_gives_the_code_after_the_password(in_browser, live_server):
    load_demo()
    # Read now, outside the browser's event loop; the device accepts a code for
    # its step and the next (django-otp's tolerance), ample for these steps.
    code = demo_totp_code(User.objects.get(username="demo-handler"))
    violations: list[str] = []

    async def scenario(page):
        watch_csp(page, violations)
        await password_step(page, live_server.url, "demo-handler", "/complaints/cases/")
        await page.wait_for_url("**/login/two-factor/**")
        await page.locator("#id_code").fill(code)
        await page.locator("form[action='/login/two-factor/'] button[type=submit]").click()
        await page.wait_for_url(f"{live_server.url}/complaints/cases/")
        headers = await (await page.goto(f"{live_server.url}/complaints/cases/")).all_headers()
        return headers

    headers = in_browser(scenario)

    assert "script-src 'self'" in headers["content-security-policy"]
    assert violations == []


@override_settings(OTP_REQUIRED=True)
def test_supervisor_without_a_device_enrols_with_the_qr_code(in_browser, live_server):
    load_demo()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user__username="demo-supervisor").delete()
    violations: list[str] = []

    async def scenario(page):
        watch_csp(page, violations)
        await password_step(page, live_server.url, "demo-supervisor", "/complaints/cases/")
        await page.wait_for_url("**/account/two-factor/**")
        qr = page.get_by_role("img", name="身份验证器应用的二维码").or_(
            page.locator(".qr-code img")
        )
        width = await qr.first.evaluate("img => img.naturalWidth")
        return width

    width = in_browser(scenario)

    assert width > 0  # the SVG data: image loaded under img-src 'self' data:
    assert violations == []


def test_api_docs_render_under_the_policy(in_browser, live_server):
    load_demo()
    violations: list[str] = []

    async def scenario(page):
        watch_csp(page, violations)
        await password_step(page, live_server.url, "demo-handler", "/api/docs/")
        await page.wait_for_url(f"{live_server.url}/api/docs/")
        await page.locator(".swagger-ui .opblock").first.wait_for()
        return await page.locator(".swagger-ui .opblock").count()

    operations = in_browser(scenario)

    assert operations > 20
    assert violations == []
