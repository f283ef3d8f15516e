"""Registration of topic selection from the data and linked sources with the core (imported by SupervisionConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from congress.registry import DemoBuilder, NavItem, register_demo_builder, register_nav
from congress.scoping import is_staff_or_admin
from supervision.setup import NAV_GROUP

register_nav(
    NavItem(
        _("选题参考"),
        "supervision_topic_ideas",
        is_staff_or_admin,
        order=403,
        icon="lightbulb",
        group=NAV_GROUP,
    )
)


def _build_demo(ctx: Any) -> None:
    from supervision.source_demo import build

    build(ctx)


# After the dashboard's summaries (order 900), which the clusters are read from, and so
# after supervision's own builders (the city's plan of this year).
register_demo_builder(DemoBuilder("supervision topic from the data", _build_demo, order=910))
