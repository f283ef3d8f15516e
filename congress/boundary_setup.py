"""The boundaries' registration with the core: the demo's map (congress/boundary_demo.py).
Imported by ``CongressConfig.ready``."""

from __future__ import annotations

from typing import Any

from congress.registry import DemoBuilder, register_demo_builder


def _build_demo(ctx: Any) -> None:
    from congress import boundary_demo

    boundary_demo.build(ctx)


# Needs only the core's regions; before the problems, which it does not read.
register_demo_builder(DemoBuilder("map boundaries", _build_demo, order=15))
