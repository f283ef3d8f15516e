#!/usr/bin/env python3
"""Build static/icons/icons.svg: the Bootstrap icons the product uses, as one SVG sprite.

Reads the vendored upstream sprite (static/vendor/bootstrap-icons/bootstrap-icons.svg,
every icon as a <symbol>) and keeps the symbols named by ``{% icon "name" %}`` in
templates/ and by ``icon="name"`` in the apps' navigation registrations. The icon
font it replaces cost every first visit ~130 KB compressed for about fifty glyphs;
the sprite is a few KB. Run it after using a new icon (tests/test_icons.py fails
until you do):

    .venv/bin/python scripts/build_icons.py

``--app-icons`` also renders static/icons/app-icon.svg (the favicon) to the PNGs a
phone puts on its home screen (apple-touch-icon 180 px, manifest 192 and 512 px),
with the Chromium the browser tests use.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static/vendor/bootstrap-icons/bootstrap-icons.svg"
TARGET = ROOT / "static/icons/icons.svg"
APPS = ["congress", "representatives", "suggestions", "livelihood_votes", "supervision"]

TEMPLATE_ICON = re.compile(r"""\{%\s*icon\s+["']([a-z0-9-]+)["']""")
PYTHON_ICON = re.compile(r"""\bicon\s*[:=]\s*(?:str\s*=\s*)?["']([a-z0-9-]+)["']""")
SYMBOL = re.compile(
    r'<symbol class="[^"]*" viewBox="([^"]+)" id="([a-z0-9-]+)">(.*?)</symbol>', re.S
)


def used_icons() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "templates").rglob("*.html"):
        names.update(TEMPLATE_ICON.findall(path.read_text(encoding="utf-8")))
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                names.update(PYTHON_ICON.findall(path.read_text(encoding="utf-8")))
    return names


def symbols() -> dict[str, tuple[str, str]]:
    text = SOURCE.read_text(encoding="utf-8")
    return {name: (box, body) for box, name, body in SYMBOL.findall(text)}


def build(names: set[str]) -> str:
    available = symbols()
    missing = sorted(names - available.keys())
    if missing:
        raise SystemExit(f"not in bootstrap-icons: {', '.join(missing)}")
    parts = [
        f'<symbol id="{name}" viewBox="{available[name][0]}">{available[name][1]}</symbol>'
        for name in sorted(names)
    ]
    # The license travels with the file (MIT, see static/vendor/bootstrap-icons/LICENSE).
    return (
        "<!-- Bootstrap Icons (MIT), built by scripts/build_icons.py: do not edit -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg">\n' + "\n".join(parts) + "\n</svg>\n"
    )


def render_app_icons() -> None:
    from playwright.sync_api import sync_playwright

    svg = (TARGET.parent / "app-icon.svg").read_text(encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for size in (180, 192, 512):
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(
                f"<style>html,body{{margin:0}}svg{{display:block;width:{size}px;"
                f"height:{size}px}}</style>{svg}"
            )
            page.screenshot(path=str(TARGET.parent / f"app-icon-{size}.png"), omit_background=True)
        browser.close()


def main() -> int:
    names = used_icons()
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(build(names), encoding="utf-8")
    print(f"{len(names)} icons written to {TARGET.relative_to(ROOT)}")
    if "--app-icons" in sys.argv:
        render_app_icons()
        print("app icons rendered")
    return 0


if __name__ == "__main__":
    sys.exit(main())
