"""Printing the consumer's pages: the tracked case and the receipt print as content
only (no menu, language switch or buttons), and every page carries the favicon."""

from datetime import date

import pytest

from accounts.models import Platform, Region
from complaints.services.intake import Intake, complaint_submit
from demo.data import load_demo
from registry.models import ViolationCategory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HIDDEN_IN_PRINT = ".language-switch, main form button, .site-footer"


def _visible(page, selector):
    return page.evaluate(
        """sel => [...document.querySelectorAll(sel)]
                 .filter(e => getComputedStyle(e).display !== 'none').length""",
        selector,
    )


def test_tracked_case_and_receipt_print_without_controls(in_browser, live_server):
    load_demo()
    case = complaint_submit(
        intake=Intake(
            kind="complaint",
            category=ViolationCategory.objects.get(code="consumer-dispute"),
            description="直播间承诺七天无理由退货，收货后商家拒绝退货。",
            consumer_region=Region.objects.get(code="330106"),
            platform=Platform.objects.get(name="星河直播电商有限公司"),
            live_room_account="xh-10086",
            contact_name="陈女士",
            contact_phone="13800000077",
        )
    )
    base = live_server.url

    async def scenario(page):
        await page.goto(f"{base}/complaints/track/")
        await page.locator("#id_code").fill(case.tracking_code)
        await page.locator("#id_contact").fill("13800000077")
        await page.locator("main form button[type=submit]").click()
        await page.wait_for_load_state()
        icon = await page.locator("link[rel=icon]").get_attribute("href")
        icon_answer = await page.request.get(f"{base}{icon}")
        on_screen = await _visible(page, HIDDEN_IN_PRINT)
        await page.emulate_media(media="print")
        tracked = await _visible(page, HIDDEN_IN_PRINT)
        code_shown = case.tracking_code in await page.locator("main").inner_text()
        await page.goto(f"{base}/complaints/submitted/{case.tracking_code}/")
        receipt = await _visible(page, HIDDEN_IN_PRINT)
        code_shown = code_shown and case.tracking_code in await page.locator("main").inner_text()
        return {
            "icon": (icon_answer.status, icon_answer.headers["content-type"].split(";")[0]),
            "counts": (on_screen, tracked, receipt),
            "code_shown": code_shown,
        }

    seen = in_browser(scenario)

    on_screen, tracked, receipt = seen["counts"]
    assert seen["icon"] == (200, "image/svg+xml")
    assert seen["code_shown"]  # both pages show the case
    assert on_screen > 0  # the controls are there on screen
    assert tracked == 0 and receipt == 0  # and gone on paper


STAFF_HIDDEN_IN_PRINT = ".site-nav, .user-box, main form, main button, .language-switch"


def test_staff_pages_print_as_content_only(in_browser, live_server):
    """The case, filing, entry and inspection pages print without the menu, the
    user box or any form, and keep their content."""
    from accounts.models import User
    from blacklist.models import Measure, ShareScope
    from blacklist.services.listing import entry_propose
    from complaints.selectors import complaints_visible_to
    from demo.data import DEMO_PASSWORD
    from filings.selectors import filings_visible_to
    from inspections.selectors import inspections_visible_to
    from registry.models import Marketer

    load_demo()
    handler = User.objects.get(username="demo-handler")
    entry = entry_propose(
        actor=handler,
        party=Marketer.objects.get(name="李佳怡"),
        category=ViolationCategory.objects.get(code="false-information"),
        facts="直播中虚构食品功效。",
        legal_basis="《网络直播营销管理办法（试行）》第十四条",
        decision_number="杭市监罚〔2026〕1号",
        decision_date=date(2026, 1, 20),
        measures=Measure.objects.filter(code__in=["key-supervision"]),
        share_scope=ShareScope.PROVINCE,
    )
    pages = {
        "case": f"/complaints/cases/{complaints_visible_to(handler).first().pk}/",
        "filing": f"/filings/{filings_visible_to(handler).first().pk}/",
        "entry": f"/blacklist/{entry.pk}/",
        "inspection": f"/inspections/{inspections_visible_to(handler).first().pk}/",
    }
    base = live_server.url

    async def scenario(page):
        await page.goto(f"{base}/login/")
        await page.locator("#id_username").fill("demo-handler")
        await page.locator("#id_password").fill(DEMO_PASSWORD)
        await page.locator("form[action='/login/'] button[type=submit]").click()
        await page.wait_for_url(f"{base}/")
        seen = {}
        for name, path in pages.items():
            await page.emulate_media(media="screen")
            answer = await page.goto(f"{base}{path}")
            on_screen = await _visible(page, STAFF_HIDDEN_IN_PRINT)
            await page.emulate_media(media="print")
            on_paper = await _visible(page, STAFF_HIDDEN_IN_PRINT)
            text = await page.locator("main h1").inner_text()
            seen[name] = (answer.status, on_screen > 0, on_paper, bool(text.strip()))
        return seen

    seen = in_browser(scenario)

    assert seen == dict.fromkeys(pages, (200, True, 0, True))
