"""In a browser (English pages, so the test does not hang on translations):
demo-platform answers the demo inspection's document request with a file;
demo-handler sees the answer on the inspection page and opens the risk view."""

from pathlib import Path

import pytest
from django.conf import settings

from inspections.models import DocumentRequest
from portal.demo import DEMO_PASSWORD, load_demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
