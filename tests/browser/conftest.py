"""A real headless Chromium driving the live server, on a phone and on a desktop.

How to run them:

    apt-get install -y chromium fonts-noto-cjk   # Debian's Chromium, CJK fonts for screenshots
    .venv/bin/pytest tests/browser -q

Playwright never downloads a browser here (no `playwright install`): it drives
Debian's /usr/bin/chromium. Without it these tests are skipped, unless
REQUIRE_BROWSER=1 (CI), where a missing browser is a failure. Every test gets a
fresh browser context (cookies, storage) inside one browser per test process.
Screenshots go to var/screenshots/<name>.png.

Writing a test: mark the module ``pytestmark = pytest.mark.browser``, take
``phone_page``, ``desktop_page`` or ``page`` (both viewports, one test each),
call ``log_in(page, user)``, and navigate with relative URLs ("/regions/"):
the context's base URL is the live server. A console error, an uncaught
JavaScript exception or a Content-Security-Policy violation on any page fails
the test at teardown; call ``assert_clean(page)`` to check at a point of your
choosing. Browser tests elsewhere (tests/<app>/) import the fixtures into their
conftest: ``from tests.browser.conftest import browser, new_page, phone_page``.
Never start a second ``sync_playwright()``: one runs per process, shared here.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import pytest
from django.core.signals import request_finished, request_started
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

from congress.models import User
from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# Long enough for a cold first page on a loaded 2-core CI machine.
TIMEOUT_MS = 15_000

PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
    # Bootstrap then skips its transitions: no half-open menu in a screenshot,
    # no tap on a link that is still sliding in.
    "reduced_motion": "reduce",
}
DESKTOP: dict[str, Any] = {
    "viewport": {"width": 1366, "height": 900},
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
    "reduced_motion": "reduce",
}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}

# Reports every CSP violation (enforced or report-only) to Python. It is added
# through the DevTools protocol, so the page's own CSP does not block it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""

# What went wrong on each open page: console errors, uncaught exceptions, CSP violations.
_problems: WeakKeyDictionary[Page, list[str]] = WeakKeyDictionary()


class _Chromium:
    """The one Playwright driver and Chromium of this test process.

    Only one sync Playwright can run per thread: a second sync_playwright()
    refuses to start inside the first one's event loop. The ``browser`` fixture
    may be registered more than once (a conftest elsewhere imports it, and
    pytest then keeps a session instance per registration), so every
    registration shares this one, started on first use.
    """

    def __init__(self) -> None:
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None
        self.previous_async_unsafe: str | None = None

    def start(self) -> Browser:
        if self.browser is not None:
            return self.browser
        if not os.path.exists(CHROMIUM):
            pytest.fail(
                f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk "
                "(never `playwright install`)"
            )
        # Playwright's sync API marks its asyncio loop as running in this thread
        # between calls, so Django sees an "async context" and refuses every ORM
        # call (SynchronousOnlyOperation) in fixtures, in tests, and in the
        # database set-up and flush, for as long as the browser lives. Nothing is
        # really concurrent (the loop only runs inside Playwright's own calls), so
        # the check is off from the first browser test of a process until its end.
        self.previous_async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        self.playwright = sync_playwright().start()
        # launch() gives every run a fresh temporary profile directory.
        self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return self.browser

    def stop(self) -> None:
        if self.playwright is None:
            return
        try:
            if self.browser is not None:
                self.browser.close()
            self.playwright.stop()
        finally:
            self.browser = self.playwright = None
            if self.previous_async_unsafe is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self.previous_async_unsafe


_chromium = _Chromium()


class _InFlight:
    """Requests the live server is still answering.

    Closing a browser context does not stop a request its page already sent: the
    live server's thread goes on answering it. If the test's database flush runs
    meanwhile, SQLite's shared in-memory database refuses the flush ("couldn't be
    flushed", the table is locked) and the next test starts on the last one's rows.
    The page fixture waits for the count to reach zero before the flush.
    """

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Condition()

    def started(self, **kwargs: Any) -> None:
        if threading.current_thread() is threading.main_thread():
            return  # the test client's request, answered before it returns
        with self.lock:
            self.count += 1

    def finished(self, **kwargs: Any) -> None:
        if threading.current_thread() is threading.main_thread():
            return
        with self.lock:
            self.count = max(0, self.count - 1)
            self.lock.notify_all()

    def wait(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        with self.lock:
            while self.count and time.monotonic() < deadline:
                self.lock.wait(deadline - time.monotonic())


_in_flight = _InFlight()
request_started.connect(_in_flight.started, dispatch_uid="browser-tests-in-flight")
request_finished.connect(_in_flight.finished, dispatch_uid="browser-tests-in-flight")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    yield _chromium.start()
    _chromium.stop()  # the first registration's teardown stops it; later ones find it stopped


@pytest.fixture
def new_page(browser: Browser, live_server: LiveServer) -> Iterator[Callable[[str], Page]]:
    """Open a page in a fresh context for "phone" or "desktop"; closed after the test.

    The live server is plain HTTP on http://localhost:<port>, while the tests'
    production-like settings (DEBUG=0) mark the session and CSRF cookies Secure.
    Chromium keeps Secure cookies from localhost and 127.0.0.1 (both count as
    secure origins), so logging in works as it does behind HTTPS.
    """
    contexts = []

    def open_page(viewport: str) -> Page:
        context = browser.new_context(base_url=live_server.url, **VIEWPORTS[viewport])
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        problems = _problems.setdefault(page, [])
        context.expose_function(
            "__reportCspViolation", lambda text: problems.append(f"CSP violation: {text}")
        )
        context.add_init_script(REPORT_CSP_VIOLATIONS)

        def on_console(message: ConsoleMessage) -> None:
            url = message.location.get("url", "")
            if message.type == "error":
                problems.append(f"console error: {message.text} ({url})")

        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
        return page

    yield open_page
    pages = [page for context in contexts for page in context.pages]
    for context in contexts:
        context.close()
    _in_flight.wait(TIMEOUT_MS / 1000)
    for page in pages:
        assert_clean(page)


@pytest.fixture
def phone_page(new_page: Callable[[str], Page]) -> Page:
    return new_page("phone")


@pytest.fixture
def desktop_page(new_page: Callable[[str], Page]) -> Page:
    return new_page("desktop")


@pytest.fixture(params=list(VIEWPORTS))
def page(request: pytest.FixtureRequest, new_page: Callable[[str], Page]) -> Page:
    """The same test once on a phone and once on a desktop (ids: phone, desktop)."""
    return new_page(request.param)


def viewport_of(page: Page) -> str:
    return "phone" if (page.viewport_size or {}).get("width", 0) < 768 else "desktop"


def log_in(page: Page, user: User, password: str = PASSWORD) -> None:
    """Log in through the real form, as a person would, and wait for the home page."""
    page.goto("/accounts/login/")
    page.get_by_label("用户名", exact=True).fill(user.username)
    page.get_by_label("密码", exact=True).fill(password)
    page.locator("main").get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_test_id("home-title")).to_be_visible()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as var/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def problems_on(page: Page) -> list[str]:
    return list(_problems.get(page, []))


def assert_clean(page: Page) -> None:
    problems = problems_on(page)
    assert not problems, "the page reported problems:\n" + "\n".join(problems)


# The names ECharts lays out under a chart's bars, and the chart's categories.
LABELS = """(key) => {
  const chart = echarts.getInstanceByDom(document.querySelector(`[data-chart="${key}"]`));
  const axis = chart.getModel().getComponent("xAxis", 0).axis;
  return [axis.getViewLabels().map((label) => label.formattedLabel), chart.getOption().xAxis[0].data];
}"""
