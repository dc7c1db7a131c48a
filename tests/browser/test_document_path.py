"""An issued notice in a browser: the handler accepts a complaint and downloads the
acceptance notice; the consumer's tracking page links to the same file; the
verification address printed under the notice's QR code opens the verification
page, which finds the file signed by the department and intact."""

import re

import pytest

from complaints.models import Complaint
from demo.data import demo_signing_seed, load_demo
from portal.models import IssuedDocument
from registry.models import ViolationCategory
from tests.pdftools import pdf_text

from .test_complaint_path import act, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEPARTMENT = "杭州市市场监督管理局"


def test_the_acceptance_notice_is_downloaded_tracked_and_verified(
    in_browser, live_server, settings, tmp_path
):
    settings.COMPLAINT_MIN_FILL_SECONDS = 0
    settings.DOCUMENT_DEMO_SIGNING_DIR = tmp_path / "signing"
    settings.PORTAL_BASE_URL = live_server.url
    load_demo()
    demo_signing_seed()
    category = ViolationCategory.objects.get(code="consumer-dispute").pk
    base = live_server.url

    async def scenario(consumer):
        browser = consumer.context.browser
        await consumer.goto(f"{base}/complaints/new/")
        await consumer.locator("#id_kind_0").check()
        await consumer.locator("#id_category").select_option(str(category))
        await consumer.locator("#id_platform").select_option(label="星河直播电商有限公司")
        await consumer.locator("#id_live_room_account").fill("xh-20001")
        await consumer.locator("#id_description").fill("主播承诺赠品，收货后未见赠品。")
        await consumer.locator("#id_consumer_region").select_option("330106")
        await consumer.locator("#id_contact_name").fill("陈女士")
        await consumer.locator("#id_contact_phone").fill("13800000099")
        await consumer.locator("main form button[type=submit]").click()
        code = (await consumer.locator("#tracking-code").inner_text()).strip()

        # The handler takes and accepts the case, then downloads the notice from
        # the case page's link.
        handler = await sign_in(browser, base, "demo-handler")
        await handler.goto(f"{base}/complaints/cases/?queue=unassigned")
        await handler.get_by_role("link", name=code).click()
        await act(handler, "take")
        await act(handler, "accept", {"#id_accept-message": "您的投诉已受理。"})
        link = handler.get_by_role("link", name="受理告知书（PDF）")
        downloaded = await handler.request.get(base + await link.get_attribute("href"))
        assert downloaded.ok and downloaded.headers["content-type"] == "application/pdf"
        notice = await downloaded.body()

        # The consumer's tracking page links to the same file.
        await consumer.goto(f"{base}/complaints/track/")
        await consumer.locator("#id_code").fill(code)
        await consumer.locator("#id_contact").fill("13800000099")
        await consumer.locator("main form button[type=submit]").click()
        href = await consumer.locator("#notice-link").get_attribute("href")
        tracked = await consumer.request.get(base + href)
        consumers_copy = await tracked.body()

        # The address under the QR code, read from the PDF, opens its verification page.
        url = re.search(r"https?://\S+/verify/\w+/", pdf_text(notice))[0]
        stranger = await (await browser.new_context(locale="zh-CN")).new_page()
        await stranger.goto(url)
        verification = await stranger.locator("main").inner_text()
        return code, notice, consumers_copy, url, verification

    code, notice, consumers_copy, url, verification = in_browser(scenario)

    case = Complaint.objects.get(tracking_code=code)
    issued = IssuedDocument.objects.get(kind__code="complaint-acceptance", object_id=case.pk)
    assert consumers_copy == notice
    assert url == f"{live_server.url}/verify/{issued.code}/"
    assert issued.number in verification
    assert issued.sha256 in verification
    assert f"有效，签章单位：{DEPARTMENT}" in verification
