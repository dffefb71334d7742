"""Browser fixtures: one Chromium per session, a fresh context and page per test.

The browser is Debian's Chromium (`make test` installs it); Playwright never downloads one.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, Playwright, expect, sync_playwright

from tests.browser import pages
from tests.factories import PASSWORD, totp_code

# Playwright's sync API runs an event loop in the test thread, which trips Django's
# async-unsafe check whenever the test itself uses the ORM; the documented way out for
# Playwright with pytest-django is this variable (the ORM still runs in this one thread).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Auto-waiting expectations give up after this long: a broken page fails fast.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium. "
            "Run `make test`, which installs it (apt-get install chromium); "
            "never `playwright install`.",
            pytrace=False,
        )
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def login(page: Page, live_server, user, password: str = PASSWORD) -> None:
    """Sign in through the sign-in form (Enter in the password field submits that form only:
    the header's language switch has a submit button of its own), and for whoever must have
    a second factor, with the code their authenticator app shows (tests/factories.py)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    if user.needs_second_factor:
        page.locator("#id_code").fill(totp_code())
        page.locator("#id_code").press("Enter")
    expect(page).not_to_have_url(re.compile(r"/accounts/(login|2fa)/"))
    expect(page.locator("a.who")).to_have_text(user.email)


TABS_MAX = 200


def arrive(page: Page, url: str) -> None:
    """Wait until a navigation a key or click started has reached `url` and the page has
    loaded, its deferred scripts (the keyboard shortcuts) included: a key pressed as soon as
    the address changes would reach a page without its listeners."""
    expect(page).to_have_url(url)
    page.wait_for_load_state("load")


def tab_to(page: Page, selector: str | Locator) -> None:
    """Press Tab until `selector` has the focus, as a person without a mouse does."""
    target = page.locator(selector) if isinstance(selector, str) else selector
    for _ in range(TABS_MAX):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{selector} is not reachable with Tab")


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[pages.Site]:
    """Every persona's pages in both languages, built once per module and served by a server of
    the module's own (tests/browser/pages.py says why not `live_server`)."""
    with pages.running_site(django_db_blocker) as running:
        yield running


@pytest.fixture(scope="module")
def contexts(browser: Browser, site: pages.Site) -> Iterator[pages.Contexts]:
    """One signed-in browser context per persona, language and width, shared by the module."""
    made = pages.Contexts(browser, site)
    yield made
    made.close()
