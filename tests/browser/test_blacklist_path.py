"""The blacklist path in a browser: a handler proposes an entry and serves the notice,
the party's statement is recorded, the supervisor lists it, and demo-platform
screens the person and gets the hit.

The live server's clock cannot be moved past the statement window, so the
party's statement is recorded instead: the service allows listing once the
party is heard."""

import pytest
from django.utils import timezone, translation

from blacklist.models import Entry, ScreeningLog, Status
from demo.data import DEMO_PASSWORD, load_demo
from registry.models import Marketer, ViolationCategory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MARKETER = "李佳怡"


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


async def submit(page):
    await page.locator("main form.narrow-form button.primary[type=submit]").click()
    await page.wait_for_load_state()


def test_propose_notify_hear_list_and_screen(in_browser, live_server):
    load_demo()
    marketer = Marketer.objects.get(name=MARKETER)
    category = ViolationCategory.objects.get(code="false-information").pk
    today = timezone.localdate().isoformat()
    base = live_server.url

    async def scenario(first_page):
        browser = first_page.context.browser
        # The handler proposes the marketer for the joint-punishment list.
        handler = await sign_in(browser, base, "demo-handler")
        await handler.goto(f"{base}/blacklist/propose/")
        # The party is found by the register search and chosen, no number typed.
        await handler.locator("#id_party").fill(MARKETER)
        await handler.locator(f"input[name=party][value='marketer:{marketer.pk}']").check()
        await handler.locator("#id_category").select_option(str(category))
        await handler.locator("#id_facts").fill("2026年在直播中虚构商品功效，欺骗消费者。")
        await handler.locator("#id_legal_basis").fill(
            "《网络直播营销管理办法（试行）》第十四条第三款、第二十九条"
        )
        await handler.locator("#id_decision_number").fill("杭市监罚〔2026〕88号")
        await handler.locator("#id_decision_date").fill(today)
        await submit(handler)
        await handler.locator("#entry-status").wait_for()
        entry_url = handler.url.split("?")[0].rstrip("/") + "/"

        # …serves the notice (default statement window) and records the statement.
        await handler.goto(f"{entry_url}notify/")
        await submit(handler)
        await handler.locator("#entry-status").wait_for()
        await handler.goto(f"{entry_url}statement/")
        await handler.locator("#id_text").fill("本人对事实无异议，请求从轻处理。")
        await submit(handler)
        await handler.locator("#entry-status").wait_for()

        # The supervisor lists the party.
        supervisor = await sign_in(browser, base, "demo-supervisor")
        await supervisor.goto(f"{entry_url}decide/")
        await supervisor.locator("#id_decision_0").check()
        await supervisor.locator("#id_reason").fill("当事人陈述不足以免除列入，决定列入。")
        await submit(supervisor)
        # Listing asks first: the page says what follows, and only Confirm lists.
        consequences = await supervisor.locator("#confirm-consequences").inner_text()
        await supervisor.locator("#confirm-button").click()
        await supervisor.wait_for_load_state()
        status = await supervisor.locator("#entry-status").inner_text()

        # The platform screens the person by name.
        platform = await sign_in(browser, base, "demo-platform")
        await platform.goto(f"{base}/blacklist/screening/")
        await platform.locator("#id_text").fill(MARKETER)
        await platform.locator("main form button[name=format][value=html]").click()
        await platform.locator("#screening-results").wait_for()
        hits = await platform.locator("#screening-results tr.hit").all_inner_texts()
        return entry_url, status, hits, consequences

    entry_url, status, hits, consequences = in_browser(scenario)

    entry = Entry.objects.get(pk=int(entry_url.rstrip("/").rsplit("/", 1)[-1]))
    assert entry.status == Status.LISTED
    assert entry.name == MARKETER
    assert entry.party == marketer
    assert list(entry.states.values_list("status", flat=True)) == [
        Status.PROPOSED,
        Status.NOTIFIED,
        Status.HEARD,
        Status.LISTED,
    ]
    with translation.override("zh-hans"):
        assert status == str(Status.LISTED.label)
    assert "36个月" in consequences
    [hit] = hits
    assert entry.reference in hit
    log = ScreeningLog.objects.get()
    assert log.platform.name == "星河直播电商有限公司"
    assert (log.queries, log.queries_with_hits) == (1, 1)
    assert log.hits >= 1
