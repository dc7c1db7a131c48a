"""The public form's progressive help, in a browser: a live character count under
the description, and the help text of the kind chosen only."""

import pytest

from demo.data import load_demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_counter_and_help_follow_what_the_consumer_does(in_browser, live_server):
    load_demo()

    async def scenario(page):
        await page.goto(f"{live_server.url}/complaints/new/")
        complaint_help = page.locator("[data-for-kind=complaint]")
        report_help = page.locator("[data-for-kind=report]")
        before = (await complaint_help.is_visible(), await report_help.is_visible())
        await page.locator("input[name=kind][value=report]").check()
        as_report = (await complaint_help.is_visible(), await report_help.is_visible())
        await page.locator("#id_description").fill("主播宣称普通食品能治病")
        counter = await page.locator(".counter").inner_text()
        return before, as_report, counter

    before, as_report, counter = in_browser(scenario)

    assert before == (True, True)  # nothing chosen yet: both
    assert as_report == (False, True)
    assert counter == "已输入11字，最多5000字"
