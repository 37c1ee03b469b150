"""Playwright, driving Debian's Chromium, against pytest-django's live server.

One browser for the session, a fresh context (cookies, storage) for each test. Without a
Chromium at $CHROMIUM (default /usr/bin/chromium) every browser test is skipped, so the rest of
the suite still runs; under CI=true each of those skips is a failure (conftest.py).
"""

import os
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect, sync_playwright

from tests.browser.viewports import VIEWPORTS

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Long enough for a slow CI machine, short enough that a broken journey fails in seconds.
TIMEOUT_MS = 20_000


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt install chromium, or set CHROMIUM)")
    # Playwright's sync API keeps an asyncio loop running in this thread, so Django would take
    # every ORM call the tests make (factories, logins, the flush between tests) for one made
    # from async code. Nothing here is async: only the browser is driven that way.
    already_allowed = "DJANGO_ALLOW_ASYNC_UNSAFE" in os.environ
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect.set_options(timeout=TIMEOUT_MS)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if not already_allowed:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def context(browser, live_server) -> Iterator:
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


def session_cookie(user, url: str) -> dict:
    """The session cookie of a forced login: logged in without the login form."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": url,
    }


@pytest.fixture
def log_in(context, live_server) -> Callable:
    """Log the browser in as `user` without the login form."""

    def log_in(user) -> None:
        context.add_cookies([session_cookie(user, live_server.url)])

    return log_in


@pytest.fixture
def no_js_page(browser, live_server) -> Iterator[Callable]:
    """Open a page with JavaScript off, logged in as `user` (or logged out for None)."""
    contexts = []

    def open_page(user=None):
        context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        if user is not None:
            context.add_cookies([session_cookie(user, live_server.url)])
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(params=list(VIEWPORTS))
def sized_page(request, page):
    """The page at a phone's size and then a desktop's (`page.viewport_name` says which)."""
    page.set_viewport_size(VIEWPORTS[request.param])
    page.viewport_name = request.param
    return page
