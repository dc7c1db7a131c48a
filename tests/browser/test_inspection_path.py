"""In a browser (English pages, so the test does not hang on translations):
demo-platform answers the demo inspection's document request with a file;
demo-handler sees the answer on the inspection page and opens the risk view.
Then the whole inspection path: demo-handler opens a new inspection of Xinghe
from the risk view, requests documents, demo-platform answers with a PDF,
demo-handler records a non-compliant finding, orders rectification and fetches
the order to rectify (PDF)."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from demo.data import DEMO_PASSWORD, load_demo
from inspections.models import DocumentRequest, RectificationOrder
from tests.pdftools import blank_pdf, pdf_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
PDF_BYTES = blank_pdf()  # a genuine PDF: uploads are parsed (portal.uploads)


async def _sign_in(page, base, username):
    await page.goto(f"{base}/login/")
    await page.locator("#id_username").fill(username)
    await page.locator("#id_password").fill(DEMO_PASSWORD)
    await page.locator("form[action='/login/'] button[type=submit]").click()
    await page.wait_for_url(f"{base}/")


def test_platform_answers_and_the_handler_sees_it(in_browser, live_server, tmp_path):
    load_demo()
    request = DocumentRequest.objects.get()
    upload = tmp_path / "identity-checks.pdf"
    upload.write_bytes(PDF_BYTES)
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    async def scenario(page):
        await _sign_in(page, base, "demo-platform")
        await page.goto(f"{base}/inspections/platform/")
        await page.locator(f"a[href$='#request-{request.pk}']").click()
        await page.locator(f"#id_request-{request.pk}-answer").fill("See the attached records.")
        await page.locator(f"#id_request-{request.pk}-files").set_input_files(str(upload))
        await page.get_by_role("button", name="Send the answer").click()
        await page.get_by_text("Your answer was sent to the inspecting department.").wait_for()
        await page.screenshot(path=str(SCREENSHOTS / "inspection-platform.png"), full_page=True)
        await page.get_by_role("button", name="Sign out").click()

        await _sign_in(page, base, "demo-handler")
        await page.goto(f"{base}/inspections/{request.inspection_id}/")
        await page.get_by_text("See the attached records.").wait_for()
        await page.screenshot(path=str(SCREENSHOTS / "inspection-page.png"), full_page=True)
        await page.goto(f"{base}/inspections/risk/")
        await page.locator("#risk-table").wait_for()
        await page.screenshot(path=str(SCREENSHOTS / "risk-view.png"), full_page=True)
        return await page.get_by_role("link", name="Start an inspection").count()

    start_links = in_browser(scenario, locale="en-US")

    request.refresh_from_db()
    assert request.answer == "See the attached records."
    assert request.files.get().original_name == "identity-checks.pdf"
    assert start_links >= 1


THEME = "Live commerce platform obligations, second round"
XINGHE = "星河直播电商有限公司"
XINGHE_EN = "Xinghe Live Commerce Co., Ltd."


def test_handler_inspects_orders_rectification_and_prints_the_order(
    in_browser, live_server, tmp_path
):
    load_demo()
    upload = tmp_path / "blacklist-rules.pdf"
    upload.write_bytes(PDF_BYTES)
    base = live_server.url
    today = timezone.localdate()
    due_on = today + timedelta(days=30)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    async def scenario(page):
        # 1. demo-handler starts an inspection of Xinghe from the risk view.
        await _sign_in(page, base, "demo-handler")
        await page.goto(f"{base}/inspections/risk/")
        row = page.locator("#risk-table tbody tr", has_text=XINGHE_EN)
        await row.get_by_role("link", name="Start an inspection").click()
        await page.wait_for_url(f"{base}/inspections/new/?platform=*")
        await page.locator("#id_theme").fill(THEME)
        await page.locator("#id_period_start").fill(today.isoformat())
        await page.locator("#id_period_end").fill((today + timedelta(days=90)).isoformat())
        checked = page.locator("input[name=platforms]:checked")
        assert await checked.count() == 1
        await page.get_by_role("button", name="Open the special inspection").click()
        await page.get_by_text("The special inspection was opened.").wait_for()
        await page.get_by_role("link", name=XINGHE_EN).click()
        await page.wait_for_url(f"{base}/inspections/*/")
        inspection_url = page.url

        # 2. It requests documents (the working days are the form's default).
        await page.locator("#action-request_documents summary").click()
        await page.locator("#id_request_documents-requested").fill(
            "The blacklist rules and the records of appeals."
        )
        assert await page.locator("#id_request_documents-working_days").input_value()
        await (
            page.locator("#action-request_documents")
            .get_by_role("button", name="Request documents")
            .click()
        )
        await page.get_by_text("Done: Request documents.").wait_for()
        await page.get_by_role("button", name="Sign out").click()

        # 3. demo-platform, Xinghe's officer, answers with a PDF.
        await _sign_in(page, base, "demo-platform")
        await page.goto(f"{base}/inspections/platform/")
        await page.get_by_role("link", name=THEME).click()
        await page.locator("textarea[id$='-answer']").fill("Our blacklist rules are attached.")
        await page.locator("input[type=file][id$='-files']").set_input_files(str(upload))
        await page.get_by_role("button", name="Send the answer").click()
        await page.get_by_text("Your answer was sent to the inspecting department.").wait_for()
        await page.get_by_role("button", name="Sign out").click()

        # 4. demo-handler records the findings: the first item non-compliant, the
        # others compliant (the order waits until every item has its finding).
        await _sign_in(page, base, "demo-handler")
        await page.goto(inspection_url)
        await page.get_by_text("Our blacklist rules are attached.").wait_for()
        item_ids = await page.locator("ol.checklist > li").evaluate_all(
            "items => items.map(item => item.id)"
        )
        assert item_ids
        for index, item_id in enumerate(item_ids):
            item = page.locator(f"#{item_id}")
            await item.locator("summary").click()
            prefix = f"#id_{item_id}-result"
            if index == 0:
                await item.locator(f"{prefix}_1").check()  # non-compliant
                await item.locator(f"#id_{item_id}-note").fill(
                    "No identity re-check in the last six months."
                )
            else:
                await item.locator(f"{prefix}_0").check()  # compliant
            await item.get_by_role("button", name="Save the finding").click()
            # Each finding redirects to its own item: wait for that page, not the last.
            await page.wait_for_url(re.compile(rf"#{item_id}$"))
            await page.get_by_text("Finding recorded.").wait_for()
        await page.locator("#action-complete_findings summary").click()
        await (
            page.locator("#action-complete_findings")
            .get_by_role("button", name="Findings complete")
            .click()
        )
        await page.get_by_text("Done: Findings complete.").wait_for()

        # 5. It orders rectification by a date and fetches the order (PDF).
        await page.locator("#action-order_rectification summary").click()
        chosen = page.locator("input[name=order_rectification-items]:checked")
        assert await chosen.count() == 1
        await page.locator("#id_order_rectification-requirements").fill(
            "Re-check the identity of every live room operator and marketer."
        )
        await page.locator("#id_order_rectification-due_on").fill(due_on.isoformat())
        await (
            page.locator("#action-order_rectification")
            .get_by_role("button", name="Order rectification")
            .click()
        )
        await page.get_by_text("Done: Order rectification.").wait_for()
        await page.screenshot(
            path=str(SCREENSHOTS / "inspection-rectification.png"), full_page=True
        )
        link = page.locator("aside a[href$='.pdf']", has_text="Order to rectify")
        href = await link.get_attribute("href")
        response = await page.request.get(f"{base}{href}")
        assert response.ok
        assert response.headers["content-type"].startswith("application/pdf")
        return await response.body()

    content = in_browser(scenario, locale="en-US")

    order = RectificationOrder.objects.get(inspection__campaign__theme=THEME)
    assert order.inspection.platform.name == XINGHE
    assert order.due_on == due_on
    assert order.items.get().result == "non_compliant"
    request = order.inspection.document_requests.get()
    assert request.answer == "Our blacklist rules are attached."
    assert request.files.get().original_name == "blacklist-rules.pdf"
    text = pdf_text(content)
    assert XINGHE in text
    assert due_on.isoformat() in text
