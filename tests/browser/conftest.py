"""Real-browser journeys: Playwright for Python driving Debian's Chromium, at phone size.

Never downloads a browser. Skipped, with the reason, only when no Chromium exists.
"""

import os
import shutil

import pytest

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs a loop

PHONE = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    for candidate in [
        os.environ.get("LOUZU_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ]:
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip(
            "No Chromium found (install Debian's chromium package or set LOUZU_CHROMIUM)."
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server):
    """A fresh phone-sized page; page.goto(path) takes paths relative to the live server."""
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def new_phone(browser, live_server):
    """Open more phones (several people in one journey)."""
    contexts = []

    def _open():
        context = browser.new_context(
            viewport=PHONE, base_url=live_server.url, locale="zh-CN"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield _open
    for context in contexts:
        context.close()
