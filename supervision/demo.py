"""The demo's supervision topics (filled in below)."""

from __future__ import annotations

from typing import Any


def build(ctx: Any) -> None:
    return None
