"""The core's own navigation entries and home cards; feature apps add theirs in their
AppConfig.ready."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from congress.dashboard import can_see_dashboard
from congress.models.regions import LEVEL_ORDER, RegionLevel
from congress.registry import (
    HomeCard,
    NavGroup,
    NavItem,
    register_home_card,
    register_nav,
    register_nav_group,
    role_sources,
)
from congress.scoping import is_staff_or_admin, visible_departments, visible_regions


def _can_see_departments(user: Any) -> bool:
    return bool(is_staff_or_admin(user) or user.is_handler)


def _has_work(user: Any) -> bool:
    return bool(is_staff_or_admin(user) or user.is_handler)


# The menus feature apps put their entries in (NavItem.group).
register_nav_group(NavGroup("citizens", _("群众诉求"), icon="chat-square-text"))
register_nav_group(NavGroup("representatives", _("代表工作"), icon="people"))
register_nav_group(NavGroup("suggestions", _("代表建议"), icon="journal-text"))
register_nav_group(NavGroup("basics", _("基础数据"), icon="gear-wide-connected"))

register_nav(NavItem(_("督办提醒"), "assignment_list", _has_work, order=50, icon="alarm"))
register_nav(NavItem(_("数据看板"), "dashboard", can_see_dashboard, order=55, icon="bar-chart"))
register_nav(
    NavItem(
        _("行政区划"), "region_list", is_staff_or_admin, order=900, icon="diagram-3", group="basics"
    )
)
register_nav(
    NavItem(
        _("承办单位"),
        "department_list",
        _can_see_departments,
        order=910,
        icon="building",
        group="basics",
    )
)
register_nav(
    NavItem(
        _("审计日志"),
        "audit_list",
        is_staff_or_admin,
        order=950,
        icon="journal-text",
        group="basics",
    )
)
register_nav(
    NavItem(_("后台管理"), "admin:index", lambda user: user.is_superuser, order=990, icon="gear")
)


def _roles_card(request: HttpRequest) -> dict[str, Any] | None:
    user: Any = request.user
    extra = [line for source in role_sources for line in source.describe(user)]
    return {"grants": user.grants, "is_superuser": user.is_superuser, "extra": extra}


def _jurisdiction_card(request: HttpRequest) -> dict[str, Any] | None:
    user: Any = request.user
    if not is_staff_or_admin(user):
        return None
    own = [region.pk for region in user.staff_regions]
    counts = dict(
        visible_regions(user)
        .exclude(pk__in=own)
        .order_by()
        .values("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    return {
        "home": user.staff_regions,
        "levels": [
            (RegionLevel(level).label, counts[level]) for level in LEVEL_ORDER if level in counts
        ],
        "departments": visible_departments(user).count(),
    }


register_home_card(HomeCard("congress/card_roles.html", _roles_card, order=10))
register_home_card(HomeCard("congress/card_jurisdiction.html", _jurisdiction_card, order=20))
