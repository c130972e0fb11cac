"""Headless Chromium (Debian's, through Playwright) against the test database's plan.

Every test under tests/browser/ is marked `browser` (run alone with `pytest -m browser`) and
`slow`, and is skipped where chromium is absent. Screenshots go to artifacts/.
"""

import os
from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM, WIDTHS
from tests.support.live_server import serving


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is not installed"))


@pytest.fixture(scope="session")
def site_url(django_db_setup, django_db_blocker):
    """The site served from the session's test database (tests/support/live_server.py)."""
    with serving(django_db_blocker) as url:
        yield url


@pytest.fixture
def served(site_url, django_db_blocker):
    """Let the server thread use the database while a browser test runs."""
    with django_db_blocker.unblock():
        yield site_url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made here are
    # ordinary blocking reads, so Django's async-safety guard is lifted for these tests.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(params=list(WIDTHS))
def page(request, browser):
    """A page at the phone and at the desktop width (the test runs once for each)."""
    context = browser.new_context(
        viewport={"width": WIDTHS[request.param], "height": 900}, locale="zh-TW"
    )
    page = context.new_page()
    page.width_name = request.param
    yield page
    context.close()
