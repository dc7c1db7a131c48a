"""Printing the consumer's pages: the tracked case and the receipt print as content
only (no menu, language switch or buttons), and every page carries the favicon."""

import pytest

from accounts.models import Platform, Region
from complaints.services import Intake, complaint_submit
from portal.demo import load_demo
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
