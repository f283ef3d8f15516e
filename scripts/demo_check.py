"""Check a running `make demo` the way a newcomer meets it (CI: .ci/run, "make demo").

Waits until the site at --url answers, prints how many seconds that took since
--started (when `make demo` was launched), reads a demo account and its password from
what `make demo` printed (--log), logs in through the real login form in Chromium, and
opens one page of each app (representatives, citizens' problems, suggestions,
livelihood votes; supervision has no page yet). Each must answer 200, in Chinese.

    python scripts/demo_check.py --url http://127.0.0.1:8123 --log demo.log --started T

Exit status 0 when every check passed; otherwise the first failure is printed.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

# As tests/browser/conftest.py: Debian's Chromium, never a downloaded one.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The staff account of the README's table that sees every app's pages.
ACCOUNT = "city_staff"
PAGES = {
    "representatives": ("/representatives/", "代表"),
    "citizen problems": ("/issues/", "群众"),
    "suggestions": ("/suggestions/", "建议"),
    "livelihood votes": ("/livelihood-votes/", "民生实事"),
}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def wait_until_serving(url: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            login = f"{url}/accounts/login/"  # main() accepts http:// only
            with urllib.request.urlopen(login, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(2)
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:]) if log.exists() else ""
    sys.exit(f"the demo did not answer at {url} within {timeout:.0f} s; its output ends:\n{tail}")


def printed_password(log: Path, username: str) -> str:
    """The password `seed_demo` printed, and proof that it listed the account."""
    text = log.read_text(errors="replace")
    found = re.search(r"Every demo account's password: (\S+)", text)
    if found is None or not re.search(rf"^\s+{username}\s", text, re.MULTILINE):
        sys.exit(f"`make demo` did not print the password and the account {username}")
    return found.group(1)


def check_pages(url: str, username: str, password: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=url, locale="zh-CN", timezone_id="Asia/Shanghai")
        page.set_default_timeout(30_000)
        page.goto("/accounts/login/")
        page.get_by_label("用户名", exact=True).fill(username)
        page.get_by_label("密码", exact=True).fill(password)
        page.locator("main").get_by_role("button", name="登录", exact=True).click()
        page.get_by_test_id("home-title").wait_for()
        print(f"logged in as {username}: {page.get_by_test_id('home-title').inner_text()}")
        for app, (path, word) in PAGES.items():
            response = page.goto(path)
            status = response.status if response is not None else 0
            body = page.locator("main").inner_text()
            lang = page.locator("html").get_attribute("lang") or ""
            if status != 200 or not lang.startswith("zh") or word not in body:
                sys.exit(
                    f"{app} ({path}): status {status}, lang {lang!r}, {word!r} not on the page"
                )
            if len(CHINESE.findall(body)) < 20:
                sys.exit(f"{app} ({path}): the page is not in Chinese")
            print(f"{app} ({path}): 200, in Chinese")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--log", type=Path, required=True, help="what `make demo` printed")
    parser.add_argument("--started", type=float, required=True, help="epoch seconds")
    parser.add_argument("--timeout", type=float, default=1200)
    args = parser.parse_args()
    if not args.url.startswith("http://"):
        parser.error("--url must be an http:// address")
    wait_until_serving(args.url.rstrip("/"), args.log, args.timeout)
    print(f"make demo: serving after {time.time() - args.started:.0f} s")
    check_pages(args.url.rstrip("/"), ACCOUNT, printed_password(args.log, ACCOUNT))


if __name__ == "__main__":
    main()
