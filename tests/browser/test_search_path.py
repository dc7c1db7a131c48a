"""In a browser: a handler finds a case from the header's search box, by a word of
its description and by the consumer's phone."""

import pytest

from accounts.models import Platform, Region
from complaints.services.intake import Intake, complaint_submit
from demo.data import load_demo
from registry.models import ViolationCategory
from tests.browser.test_complaint_path import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_handler_finds_a_case_by_a_word_and_by_the_phone(in_browser, live_server):
    load_demo()
    case = complaint_submit(
        intake=Intake(
            kind="complaint",
            category=ViolationCategory.objects.get(code="consumer-dispute"),
            description="主播在直播间宣称该产品可治疗糖尿病，服用后无效。",
            consumer_region=Region.objects.get(code="330106"),
            platform=Platform.objects.get(name="星河直播电商有限公司"),
            live_room_account="xh-10086",
            contact_name="赵先生",
            contact_phone="13700001717",
        )
    )
    base = live_server.url

    async def scenario(page):
        handler = await sign_in(page.context.browser, base, "demo-handler")
        shown = []
        for typed in ("糖尿病", "137 0000 1717"):
            await handler.locator("#header-search").fill(typed)
            await handler.locator("form.header-search button[type=submit]").click()
            await handler.wait_for_load_state()
            link = handler.get_by_role("link", name=case.tracking_code)
            shown.append((await link.count(), await handler.locator("#id_q").input_value()))
        await handler.get_by_role("link", name=case.tracking_code).click()
        await handler.wait_for_load_state()
        return shown, handler.url

    shown, opened = in_browser(scenario)
    assert shown == [(1, "糖尿病"), (1, "137 0000 1717")]
    assert opened.endswith(f"/complaints/cases/{case.pk}/")
