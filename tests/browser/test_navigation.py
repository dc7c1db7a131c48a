"""The grouped menu fits on a desktop in both languages: at 1024 and 1366 px no
page scrolls sideways, the menu is one row, no label wraps, and a group opens to
show its pages."""

import pytest

from demo.data import load_demo
from tests.browser.test_complaint_path import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MEASURE = """() => {
  const bar = document.querySelector('.site-nav > ul');
  const items = [...bar.children].map(li => li.querySelector('a, summary'));
  const lines = items.map(e => ({text: e.textContent.trim(), rects: e.getClientRects().length,
                                 top: Math.round(e.getBoundingClientRect().top)}));
  return {
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    wrapped: lines.filter(l => l.rects > 1).map(l => l.text),
    rows: new Set(lines.map(l => l.top)).size,
  };
}"""


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
@pytest.mark.parametrize("user", ["demo-supervisor", "demo-platform"])
def test_the_menu_fits_at_desktop_widths(in_browser, live_server, locale, user):
    load_demo()

    async def scenario(page):
        browser = page.context.browser
        staff = await sign_in(browser, live_server.url, user)
        await staff.context.add_cookies(
            [
                {
                    "name": "django_language",
                    "value": "en" if locale == "en-US" else "zh-hans",
                    "url": live_server.url,
                }
            ]
        )
        seen = {}
        for width in (1024, 1366):
            await staff.set_viewport_size({"width": width, "height": 800})
            await staff.goto(f"{live_server.url}/")
            seen[width] = await staff.evaluate(MEASURE)
        group = staff.locator(".menu-group summary").first
        await group.click()
        opened = await staff.locator(".menu-group details[open] a").count()
        first = (await staff.locator(".site-nav > ul > li").first.inner_text()).strip()
        return seen, opened, first

    seen, opened, first = in_browser(scenario, locale=locale)

    assert first == ("Home" if locale == "en-US" else "首页")
    for width, found in seen.items():
        assert found["overflow"] <= 0, f"{width} px: scrolls sideways"
        assert not found["wrapped"], f"{width} px: labels wrap: {found['wrapped']}"
        assert found["rows"] == 1, f"{width} px: the menu takes {found['rows']} rows"
    assert opened >= 2
