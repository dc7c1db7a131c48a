"""Playwright driving Debian's chromium (never a downloaded browser).

Each test runs its browser steps in ``asyncio.run`` with Playwright's async
API: the event loop lives only for those steps, so the test's own ORM calls
stay in the synchronous context where Django's test database connections
were set up.
"""

import asyncio
import os
import shutil
from collections.abc import Awaitable, Callable

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

Scenario = Callable[..., Awaitable[None]]


@pytest.fixture
def in_browser():
    """Run ``scenario(page)`` in headless chromium; returns what the scenario returns."""
    if not os.path.exists(CHROMIUM):
        message = (
            f"Debian's chromium is not installed at {CHROMIUM} (make test installs it as root)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.async_api import async_playwright

    async def run(scenario: Scenario, locale: str, options: dict):
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                context = await browser.new_context(locale=locale, **options)
                page = await context.new_page()
                page.set_default_timeout(15_000)
                return await scenario(page)
            finally:
                await browser.close()

    def runner(scenario: Scenario, *, locale: str = "zh-CN", **options):
        """``options`` go to the browser context (``viewport``, ``bypass_csp`` …)."""
        return asyncio.run(run(scenario, locale, options))

    return runner
