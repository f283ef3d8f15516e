"""Icons come from one small SVG sprite, never from the icon font.

The font cost a citizen's first visit ~130 KB compressed for about fifty glyphs;
static/icons/icons.svg holds only the icons the templates and the navigation
name (scripts/build_icons.py builds it). An icon missing from the sprite would
render as an empty square, silently: these tests catch it instead.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from django.template import Context, Template

from congress.registry import nav_groups, nav_items

ROOT = Path(__file__).resolve().parent.parent
SPRITE = ROOT / "static" / "icons" / "icons.svg"
TEMPLATE_ICON = re.compile(r"""\{%\s*icon\s+["']([a-z0-9-]+)["']""")


def sprite_ids() -> set[str]:
    return set(re.findall(r'<symbol id="([a-z0-9-]+)"', SPRITE.read_text(encoding="utf-8")))


def templates() -> list[Path]:
    return sorted((ROOT / "templates").rglob("*.html"))


def test_every_icon_a_template_names_is_in_the_sprite() -> None:
    named = {
        (path.relative_to(ROOT).as_posix(), name)
        for path in templates()
        for name in TEMPLATE_ICON.findall(path.read_text(encoding="utf-8"))
    }
    assert len(named) > 50  # the scan found the templates' icons at all

    missing = sorted((path, name) for path, name in named if name not in sprite_ids())
    assert missing == [], "run scripts/build_icons.py"


def test_every_navigation_icon_is_in_the_sprite() -> None:
    icons = {item.icon for item in nav_items} | {group.icon for group in nav_groups.values()}
    assert {"chat-square-text", "people", "check2-square"} <= icons

    assert icons - sprite_ids() == set(), "run scripts/build_icons.py"


def test_no_template_uses_the_icon_font() -> None:
    font_classes = re.compile(r"""class="[^"]*\bbi[ -][a-z]""")
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in templates()
        if font_classes.search(path.read_text(encoding="utf-8"))
        or "bootstrap-icons.min.css" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
    assert not (ROOT / "static/vendor/bootstrap-icons/fonts").exists()


def test_the_tag_draws_a_decorative_svg_from_the_sprite() -> None:
    html = Template('{% icon "camera" %} {% icon "check-circle" "text-success" %}').render(
        Context()
    )

    assert html == (
        '<svg class="bi" aria-hidden="true"><use href="/static/icons/icons.svg#camera"></use></svg>'
        ' <svg class="bi text-success" aria-hidden="true">'
        '<use href="/static/icons/icons.svg#check-circle"></use></svg>'
    )


def test_the_committed_sprite_is_what_the_script_builds(tmp_path: Path) -> None:
    before = SPRITE.read_bytes()
    subprocess.run([sys.executable, str(ROOT / "scripts/build_icons.py")], check=True)
    after = SPRITE.read_bytes()

    assert after == before, "static/icons/icons.svg was stale: commit the rebuilt file"
