"""A person signs in with a demo account and lands on their role's home page."""

from pathlib import Path

import pytest
from django.conf import settings

from demo.data import DEMO_PASSWORD, load_demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


async def sign_in(page, base_url, username, password=DEMO_PASSWORD):
    await page.goto(f"{base_url}/login/")
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码").fill(password)
    await page.get_by_role("button", name="登录").click()


def test_handler_signs_in_and_sees_the_home_page(in_browser, live_server):
    load_demo()

    async def scenario(page):
        await sign_in(page, live_server.url, "demo-handler")
        await page.get_by_role("heading", level=1, name="杭州市市场监督管理局").wait_for()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENSHOTS / "home-handler.png"), full_page=True)
        return page.url, await page.get_by_text("王敏 · 承办人").is_visible()

    url, identity_shown = in_browser(scenario)

    assert url == f"{live_server.url}/"
    assert identity_shown


def test_handler_switches_the_page_to_english(in_browser, live_server):
    load_demo()

    async def scenario(page):
        await sign_in(page, live_server.url, "demo-handler")
        await page.get_by_label("语言").select_option("en")
        await page.get_by_role("button", name="切换").click()
        await page.get_by_role(
            "heading", level=1, name="Hangzhou Administration for Market Regulation"
        ).wait_for()
        return await page.get_by_role("heading", name="Jurisdiction").is_visible()

    assert in_browser(scenario)


def test_wrong_password_shows_an_error_summary(in_browser, live_server):
    load_demo()

    async def scenario(page):
        await sign_in(page, live_server.url, "demo-handler", password="wrong-password")
        alert = page.get_by_role("alert")
        await alert.wait_for()
        return page.url, await alert.inner_text()

    url, alert_text = in_browser(scenario)

    assert url.endswith("/login/")
    assert "请输入一个正确的用户名和密码" in alert_text
