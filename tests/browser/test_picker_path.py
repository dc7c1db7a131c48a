"""The party picker in a browser: a handler finds a marketer in the register, opens
the marketer's page and proposes the listing from there, the party already chosen;
and, without JavaScript, finds a party by the picker's search and chooses it. No
register number is typed anywhere."""

import pytest
from django.utils import timezone

from blacklist.models import Entry, Status
from demo.data import DEMO_PASSWORD, load_demo
from registry.models import Marketer, ViolationCategory

from .test_blacklist_path import MARKETER, sign_in, submit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


async def fill_proposal(page, category: int, number: str):
    await page.locator("#id_category").select_option(str(category))
    await page.locator("#id_facts").fill("2026年在直播中虚构商品功效，欺骗消费者。")
    await page.locator("#id_legal_basis").fill("《网络直播营销管理办法（试行）》第二十九条")
    await page.locator("#id_decision_number").fill(number)
    await page.locator("#id_decision_date").fill(timezone.localdate().isoformat())


def test_a_handler_proposes_from_the_marketers_page(in_browser, live_server):
    load_demo()
    marketer = Marketer.objects.get(name=MARKETER)
    category = ViolationCategory.objects.get(code="false-information").pk
    base = live_server.url

    async def scenario(first_page):
        handler = await sign_in(first_page.context.browser, base, "demo-handler")
        # The handler finds the marketer by name in the register and opens the page.
        await handler.goto(f"{base}/registry/search/")
        await handler.locator("#register-q").fill(MARKETER)
        await handler.locator("main form[role=search] button[type=submit]").click()
        await handler.locator(f"main a:text-is('{MARKETER}')").first.click()
        await handler.wait_for_load_state()
        # "Propose listing" opens the form with the marketer chosen.
        await handler.locator("#propose-listing").click()
        await handler.wait_for_load_state()
        chosen = handler.locator("input[name=party]:checked")
        chosen_text = await handler.locator(".picker-results li").first.inner_text()
        chosen_value = await chosen.get_attribute("value")
        await fill_proposal(handler, category, "杭市监罚〔2026〕90号")
        await submit(handler)
        await handler.locator("#entry-status").wait_for()
        return chosen_value, chosen_text, handler.url

    chosen_value, chosen_text, url = in_browser(scenario)

    assert chosen_value == f"marketer:{marketer.pk}"
    assert MARKETER in chosen_text and marketer.id_number_masked in chosen_text
    entry = Entry.objects.get()
    assert url.split("?")[0].endswith(entry.get_absolute_url())
    assert entry.party == marketer and entry.status == Status.PROPOSED


def test_the_picker_works_without_javascript(in_browser, live_server):
    load_demo()
    marketer = Marketer.objects.get(name=MARKETER)
    category = ViolationCategory.objects.get(code="false-information").pk
    base = live_server.url

    async def scenario(first_page):
        context = await first_page.context.browser.new_context(
            locale="zh-CN", java_script_enabled=False
        )
        page = await context.new_page()
        page.set_default_timeout(15_000)
        await page.goto(f"{base}/login/")
        await page.locator("#id_username").fill("demo-handler")
        await page.locator("#id_password").fill(DEMO_PASSWORD)
        await page.locator("form[action='/login/'] button[type=submit]").click()
        await page.wait_for_url(f"{base}/")
        await page.goto(f"{base}/blacklist/propose/")
        # The search box submits its own GET form: the page comes back with the parties.
        await page.locator("#id_party").fill("李佳")
        await page.locator("#id_party").press("Enter")
        await page.wait_for_url("**party_q=**")
        await page.locator(f"input[name=party][value='marketer:{marketer.pk}']").check()
        await fill_proposal(page, category, "杭市监罚〔2026〕91号")
        await submit(page)
        await page.locator("#entry-status").wait_for()

    in_browser(scenario)

    assert Entry.objects.get().party == marketer
