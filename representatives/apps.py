from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _is_manager(user: Any) -> bool:
    return bool(user.is_superuser or user.is_congress_staff)


def _is_representative(user: Any) -> bool:
    from representatives.selectors import representative_of

    return representative_of(user) is not None


def _manager_or_representative(user: Any) -> bool:
    return _is_manager(user) or _is_representative(user)


class RepresentativesConfig(AppConfig):
    name = "representatives"
    verbose_name = _("代表与家站点")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from congress.registry import (
            DemoBuilder,
            HomeCard,
            NavItem,
            register_demo_builder,
            register_home_card,
            register_nav,
        )
        from representatives import demo, points, views  # noqa: F401 - points registers sources

        register_nav(
            NavItem(
                _("代表"),
                "representative_list",
                _is_manager,
                order=100,
                icon="people",
                group="representatives",
            )
        )
        register_nav(
            NavItem(
                _("家站点"),
                "station_list",
                _is_manager,
                order=110,
                icon="house-heart",
                group="representatives",
            )
        )
        register_nav(
            NavItem(
                _("联系选民"),
                "contact_log_list",
                _manager_or_representative,
                order=120,
                icon="chat-heart",
                group="representatives",
            )
        )
        register_nav(
            NavItem(
                _("我的值班"),
                "my_duty",
                _is_representative,
                order=125,
                icon="calendar-check",
                group="representatives",
            )
        )
        register_nav(
            NavItem(
                _("履职活动"),
                "activity_list",
                _manager_or_representative,
                order=130,
                icon="flag",
                group="representatives",
            )
        )
        register_nav(
            NavItem(
                _("活跃度排名"),
                "points_ranking",
                _is_manager,
                order=140,
                icon="bar-chart",
                group="representatives",
            )
        )
        register_home_card(
            HomeCard("representatives/card_representative.html", views.home_card, order=30)
        )
        register_home_card(HomeCard("representatives/card_staff.html", views.staff_card, order=40))
        register_demo_builder(DemoBuilder("representatives", demo.build, order=20))
