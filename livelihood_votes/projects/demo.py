from typing import Any


def build(ctx: Any) -> None:
    """Filled in below."""
