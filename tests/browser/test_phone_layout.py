"""The public pages on a phone (375 × 812) and on a desktop (1366 × 768), in both
languages: no sideways scroll, tap targets of 44 px, a menu that collapses, and
axe-core finds no serious or critical accessibility violation — the form's error
state included. Screenshots of the phone layout go to docs/screenshots/."""

from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import Platform, Region
from complaints.services.intake import Intake, complaint_submit
from demo.data import load_demo
from registry.models import ViolationCategory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1366, "height": 768}
CONTACT = "13800000066"

# Interactive elements a thumb must hit; links inside running text are exempt
# (WCAG 2.5.8's inline exception).
TAP_TARGETS = """() => [...document.querySelectorAll(
    'button, input:not([type=hidden], [type=radio], [type=checkbox]), select, textarea,'
    + ' summary, a.button,'
    + ' .site-nav a, .menu-toggle-label, .field label.inline, .field li label'
  )].filter(e => {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !e.closest('.hp');
  }).map(e => {
    const r = e.getBoundingClientRect();
    return {what: e.outerHTML.slice(0, 80), height: Math.round(r.height),
            width: Math.round(r.width)};
  }).filter(t => t.height < 44 || t.width < 44)"""

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


@pytest.fixture
def tracked_case(db):
    load_demo()
    return complaint_submit(
        intake=Intake(
            kind="complaint",
            category=ViolationCategory.objects.get(code="consumer-dispute"),
            description="直播间承诺七天无理由退货，收货后商家拒绝退货。",
            consumer_region=Region.objects.get(code="330106"),
            platform=Platform.objects.get(name="星河直播电商有限公司"),
            live_room_account="xh-10086",
            contact_name="陈女士",
            contact_phone=CONTACT,
        )
    )


async def _visit_all(page, base, code, *, shoot: str | None):
    """Each public page, as a consumer reaches it; yields (name, page) after each."""
    seen = []

    async def at(name):
        if shoot:
            await page.screenshot(
                path=str(SCREENSHOTS / f"phone-{name}-{shoot}.png"), full_page=True
            )
        seen.append((name, await _findings(page)))

    await page.goto(f"{base}/")
    await at("home")
    await page.goto(f"{base}/complaints/new/")
    await at("form")
    await page.locator("main form button[type=submit]").click()  # empty: the error state
    await page.wait_for_load_state()
    await at("form-errors")
    await page.goto(f"{base}/complaints/track/")
    await at("track")
    await page.locator("#id_code").fill(code)
    await page.locator("#id_contact").fill(CONTACT)
    await page.locator("main form button[type=submit]").click()
    await page.wait_for_load_state()
    await at("tracked")
    await page.goto(f"{base}/complaints/submitted/{code}/")
    await at("submitted")
    await page.goto(f"{base}/blacklist/public/")
    await at("blacklist")
    await page.goto(f"{base}/statistics/")
    await at("statistics")
    return seen


async def _findings(page):
    await page.add_script_tag(path=str(AXE))
    overflow = await page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return {
        "overflow": overflow,
        "small": await page.evaluate(TAP_TARGETS),
        "axe": await page.evaluate(AXE_RUN),
    }


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_public_pages_on_a_phone(in_browser, live_server, tracked_case, locale):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    code = tracked_case.tracking_code

    async def scenario(page):
        seen = await _visit_all(page, live_server.url, code, shoot=locale[:2])
        await page.goto(f"{live_server.url}/complaints/new/")
        inputs = [
            await page.locator(f"#id_{name}").get_attribute("type")
            for name in ("occurred_on", "amount", "contact_phone", "contact_email")
        ]
        await page.goto(f"{live_server.url}/")
        menu_before = await page.locator(".site-nav ul").is_visible()
        await page.locator(".menu-toggle-label").click()
        menu_after = await page.locator(".site-nav ul").is_visible()
        return seen, (menu_before, menu_after), inputs

    seen, menu, inputs = in_browser(scenario, locale=locale, viewport=PHONE, bypass_csp=True)

    assert menu == (False, True)  # collapsed, and opens at a tap
    assert inputs == ["date", "number", "tel", "email"]  # the phone's own keyboards
    for name, found in seen:
        assert found["overflow"] <= 0, f"{name}: scrolls sideways by {found['overflow']} px"
        assert not found["small"], f"{name}: tap targets under 44 px: {found['small']}"
        assert not found["axe"], f"{name}: {found['axe']}"


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_public_pages_on_a_desktop(in_browser, live_server, tracked_case, locale):
    code = tracked_case.tracking_code

    async def scenario(page):
        seen = await _visit_all(page, live_server.url, code, shoot=None)
        return seen, await page.locator(".site-nav ul").is_visible()

    seen, menu_open = in_browser(scenario, locale=locale, viewport=DESKTOP, bypass_csp=True)

    assert menu_open  # no toggle on a wide screen
    for name, found in seen:
        assert found["overflow"] <= 0, f"{name}: scrolls sideways by {found['overflow']} px"
        assert not found["axe"], f"{name}: {found['axe']}"
