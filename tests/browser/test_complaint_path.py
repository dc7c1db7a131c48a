"""The whole path in a browser: a consumer files a complaint with a photo, the
handler accepts and forwards it, the platform answers, the handler closes it,
the consumer sees the outcome and rates it."""

import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from complaints.models import Complaint
from demo.data import DEMO_PASSWORD, load_demo
from registry.models import ViolationCategory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


def tiny_png() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


async def sign_in(browser, base, username):
    context = await browser.new_context(locale="zh-CN")
    page = await context.new_page()
    page.set_default_timeout(15_000)
    await page.goto(f"{base}/login/")
    await page.locator("#id_username").fill(username)
    await page.locator("#id_password").fill(DEMO_PASSWORD)
    await page.locator("form[action='/login/'] button[type=submit]").click()
    await page.wait_for_url(f"{base}/")
    return page


async def act(page, name: str, fields: dict | None = None):
    """Open the action's box (an action with nothing to fill in is a plain button),
    fill it in and send it; ``True`` ticks a box."""
    details = page.locator(f"#action-{name}")
    if await details.locator("summary").count():
        await details.locator("summary").click()
    for selector, value in (fields or {}).items():
        element = details.locator(selector)
        if value is True:
            await element.check()
        elif await element.evaluate("e => e.tagName") == "SELECT":
            await element.select_option(value)
        else:
            await element.fill(value)
    await details.locator("button[type=submit]").click()
    await page.wait_for_load_state()


async def confirm(page):
    """The page that asks before a decision that cannot be undone: confirm it."""
    await page.locator("#confirm-consequences").wait_for()
    await page.locator("#confirm-button").click()
    await page.wait_for_load_state()


def test_complaint_from_form_to_rating(in_browser, live_server, settings, tmp_path):
    settings.COMPLAINT_MIN_FILL_SECONDS = 0
    load_demo()
    category = ViolationCategory.objects.get(code="consumer-dispute").pk
    photo = tmp_path / "聊天记录.png"
    photo.write_bytes(tiny_png())
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    async def scenario(consumer):
        browser = consumer.context.browser
        # The consumer files a complaint.
        await consumer.goto(f"{base}/complaints/new/")
        await consumer.locator("#id_kind_0").check()
        await consumer.locator("#id_category").select_option(str(category))
        await consumer.locator("#id_platform").select_option(label="星河直播电商有限公司")
        await consumer.locator("#id_live_room_account").fill("xh-10086")
        await consumer.locator("#id_description").fill(
            "直播间承诺七天无理由退货，收货后商家拒绝退货。"
        )
        await consumer.locator("#id_evidence").set_input_files(str(photo))
        await consumer.locator("#id_consumer_region").select_option("330106")
        await consumer.locator("#id_contact_name").fill("陈女士")
        await consumer.locator("#id_contact_phone").fill("13800000088")
        await consumer.screenshot(path=str(SCREENSHOTS / "complaint-form.png"), full_page=True)
        await consumer.locator("main form button[type=submit]").click()
        code = (await consumer.locator("#tracking-code").inner_text()).strip()
        await consumer.screenshot(path=str(SCREENSHOTS / "complaint-received.png"), full_page=True)
        # The handler finds it in the department's unassigned queue, takes,
        # accepts and forwards it.
        handler = await sign_in(browser, base, "demo-handler")
        await handler.goto(f"{base}/complaints/cases/?queue=unassigned")
        await handler.get_by_role("link", name=code).click()
        case_url = handler.url
        await act(handler, "take")
        await act(handler, "accept", {"#id_accept-message": "您的投诉已受理。"})
        await act(handler, "forward", {"#id_forward-message": "请核实并为消费者办理退货。"})
        await handler.screenshot(path=str(SCREENSHOTS / "case-page.png"), full_page=True)

        # The platform answers.
        platform = await sign_in(browser, base, "demo-platform")
        await platform.goto(f"{base}/complaints/forwarded/")
        await platform.get_by_role("link", name=code).click()
        await platform.locator("#id_answer").fill("已联系消费者并办理退货退款。")
        await platform.locator("main form button[type=submit]").click()
        await platform.locator("#forward-answer").wait_for()

        # The handler closes it.
        await handler.goto(case_url)
        await act(
            handler,
            "close",
            {
                "#id_close-outcome": "platform_resolved",
                "#id_close-outcome_text": "平台已退货退款，投诉办结。",
            },
        )
        # Closing asks first; the case is closed only once confirmed.
        asked_status = await handler.locator("#confirm-values").inner_text()
        await confirm(handler)
        status_after_close = await handler.locator("#case-status").inner_text()

        # The consumer follows the case, sees the outcome and rates it.
        await consumer.goto(f"{base}/complaints/track/")
        await consumer.locator("#id_code").fill(code)
        await consumer.locator("#id_contact").fill("13800000088")
        await consumer.locator("main form button[type=submit]").click()
        outcome = await consumer.locator("#case-outcome").inner_text()
        await consumer.locator("input[name=rating][value='5']").check()
        await consumer.locator("#id_comment").fill("处理及时。")
        await consumer.locator("main form:has(input[value=rate]) button[type=submit]").click()
        await consumer.wait_for_load_state()
        await consumer.screenshot(path=str(SCREENSHOTS / "complaint-tracked.png"), full_page=True)
        return code, status_after_close, outcome, asked_status

    code, status_after_close, outcome, asked_status = in_browser(scenario)

    case = Complaint.objects.get(tracking_code=code)
    assert case.status == Complaint.Status.CLOSED
    assert case.evidence.get().content_type == "image/png"
    assert case.forwards.get().answer == "已联系消费者并办理退货退款。"
    with translation.override("zh-hans"):
        assert status_after_close == str(Complaint.Status.CLOSED.label)
    assert "平台已退货退款" in outcome
    assert "平台已退货退款，投诉办结。" in asked_status  # what was written, shown before it is done
    assert case.rating == 5
