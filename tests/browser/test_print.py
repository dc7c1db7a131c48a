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


# What a staff page has to act with, each by itself so a failure names it.
STAFF_CONTROLS = {
    "menu": ".site-nav",
    "header search": ".header-search",
    "language switch": ".language-switch",
    "user box": ".user-box",
    "forms": "main form",
    "buttons": "main button, main a.button",
    "folded action forms": "main details:has(form)",
    "actions heading": "#actions-title",
    "footer": ".site-footer",
}
# The printable width of an A4 page with the print stylesheet's margins (178 mm).
PAPER = {"width": 673, "height": 1000}


def _controls_shown(page):
    return page.evaluate(
        """controls => Object.fromEntries(Object.entries(controls).map(([name, sel]) =>
             [name, [...document.querySelectorAll(sel)]
                      .filter(e => getComputedStyle(e).display !== 'none'
                                   && e.getClientRects().length > 0).length]))""",
        STAFF_CONTROLS,
    )


def _paper_layout(page):
    """Tables wider than the page, headings that may end a page, outside
    addresses printed after a link whose text already is the address."""
    return page.evaluate(
        """() => {
          const right = document.querySelector('main').getBoundingClientRect().right + 1;
          const tables = [...document.querySelectorAll('main table')];
          return {
            cut_tables: tables.filter(t => t.getBoundingClientRect().right > right).length,
            split_dates: [...document.querySelectorAll('main td.date')].filter(td => {
              const range = document.createRange();
              range.selectNodeContents(td.firstChild);
              return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
            }).length,
            dates: document.querySelectorAll('main td.date').length,
            loose_headings: [...document.querySelectorAll('main h1, main h2, main h3')]
              .filter(h => getComputedStyle(h).breakAfter !== 'avoid').length,
          };
        }"""
    )


def test_staff_pages_print_as_content_only(in_browser, live_server):
    """The case, filing, entry and inspection pages print without the menu, the
    header search, the language switch, the user box, any button or form and the
    footer; they keep their content, and their tables fit the page."""
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
    case = complaints_visible_to(handler).first()
    filing = filings_visible_to(handler).first()
    inspection = inspections_visible_to(handler).select_related("platform").first()
    pages = {
        "case": (f"/complaints/cases/{case.pk}/", case.tracking_code),
        "filing": (f"/filings/{filing.pk}/", filing.external_id),
        "entry": (f"/blacklist/{entry.pk}/", "李佳怡"),
        "inspection": (f"/inspections/{inspection.pk}/", inspection.platform.name),
    }
    base = live_server.url

    async def scenario(page):
        await page.goto(f"{base}/login/")
        await page.locator("#id_username").fill("demo-handler")
        await page.locator("#id_password").fill(DEMO_PASSWORD)
        await page.locator("form[action='/login/'] button[type=submit]").click()
        await page.wait_for_url(f"{base}/")
        seen = {}
        for name, (path, content) in pages.items():
            await page.emulate_media(media="screen")
            answer = await page.goto(f"{base}{path}")
            on_screen = await _controls_shown(page)
            await page.emulate_media(media="print")
            on_paper = await _controls_shown(page)
            heading = await page.locator("main h1").inner_text()
            text = await page.locator("main").inner_text()
            seen[name] = {
                "status": answer.status,
                "on screen": {k for k, v in on_screen.items() if v},
                "on paper": {k for k, v in on_paper.items() if v},
                "content shown": content in heading and content in text,
                "layout": await _paper_layout(page),
            }
        return seen

    seen = in_browser(scenario, viewport=PAPER)

    for name, page in seen.items():
        assert page["status"] == 200, name
        # the menu, the header search, the user box and the footer are there on screen
        assert {"menu", "header search", "user box", "footer"} <= page["on screen"], name
        assert page["on paper"] == set(), name  # and none of the controls on paper
        assert page["content shown"], name  # the tracking code, reference, name, platform
        layout = page["layout"]
        assert layout["dates"] > 0 or name in ("filing", "inspection"), (name, layout)
        assert layout["cut_tables"] == 0 and layout["split_dates"] == 0, (name, layout)
        assert layout["loose_headings"] == 0, (name, layout)
    # each page has something to act with on screen that paper leaves out
    assert {"forms", "actions heading"} <= seen["case"]["on screen"]
    assert "folded action forms" in seen["inspection"]["on screen"]
    assert "buttons" in seen["entry"]["on screen"]
