"""Page weight of the citizen's pages: bytes a phone downloads on a first visit.

Chromium opens each page in a fresh context (empty cache, like a citizen who
scans a QR code for the first time) and every response it receives is summed:
headers plus body as they came over the wire. A server that does not compress
its static files (Django's development server, the test live server) sends
them raw; for those the body is counted as gzip -9 would send it, which is what
WhiteNoise's CompressedManifestStaticFilesStorage serves in production (it also
has Brotli files, smaller still). HTML is counted as sent: Django does not
compress pages.

    .venv/bin/python -m bench.page_weight http://127.0.0.1:8000 /s/<token>/ /q/new/?station=<token>

The test tests/suggestions_citizen/test_browser_page_weight.py runs it against the live server.
"""

from __future__ import annotations

import gzip
import sys
from dataclasses import dataclass, field

from playwright.sync_api import Browser, Request, sync_playwright

CHROMIUM = "/usr/bin/chromium"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "locale": "zh-CN"}
# The first load on a citizen's phone must stay under this (issue 11).
BUDGET_BYTES = 150_000


@dataclass
class PageWeight:
    path: str
    transferred: int = 0  # headers + bodies as received
    compressed: int = 0  # the same, with raw static files counted as gzip would send them
    resources: list[tuple[str, int]] = field(default_factory=list)


def _sizes(request: Request) -> tuple[int, int]:
    sizes = request.sizes()
    headers = sizes["responseHeadersSize"]
    wire = headers + sizes["responseBodySize"]
    response = request.response()
    if response is None:
        return wire, wire
    raw = "content-encoding" not in response.headers and "/static/" in request.url
    if raw and response.status == 200:
        return wire, headers + len(gzip.compress(response.body(), compresslevel=9))
    return wire, wire


def measure(browser: Browser, base_url: str, paths: list[str]) -> list[PageWeight]:
    """Open each path with an empty cache and sum what came over the network."""
    weights = []
    for path in paths:
        context = browser.new_context(base_url=base_url, **PHONE)  # type: ignore[arg-type]
        page = context.new_page()
        finished: list[Request] = []

        # A function, not finished.append: Playwright tags its handlers with an attribute.
        def count(request: Request, into: list[Request] = finished) -> None:
            into.append(request)

        page.on("requestfinished", count)
        page.goto(path, wait_until="networkidle")
        weight = PageWeight(path)
        for request in finished:
            wire, compressed = _sizes(request)
            weight.transferred += wire
            weight.compressed += compressed
            weight.resources.append((request.url.removeprefix(base_url), compressed))
        context.close()
        weights.append(weight)
    return weights


def table(weights: list[PageWeight]) -> str:
    rows = [
        "| page | requests | transferred (bytes) | compressed (bytes) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for weight in weights:
        rows.append(
            f"| {weight.path} | {len(weight.resources)} | {weight.transferred:,} "
            f"| {weight.compressed:,} |"
        )
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    base_url, paths = argv[0].rstrip("/"), argv[1:]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        weights = measure(browser, base_url, paths)
        browser.close()
    print(table(weights))
    for weight in weights:
        for url, size in sorted(weight.resources, key=lambda row: -row[1]):
            print(f"  {size:>8,}  {url}")
    return 0 if all(weight.compressed < BUDGET_BYTES for weight in weights) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
