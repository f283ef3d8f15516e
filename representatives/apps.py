from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _is_representative(user: Any) -> bool:
    from representatives.selectors import representative_of

    return representative_of(user) is not None


def _manager_or_representative(user: Any) -> bool:
    from congress.scoping import is_staff_or_admin

    return is_staff_or_admin(user) or _is_representative(user)


def _seats(user: Any) -> list[str]:
    """A representative's live seats, for the 我的角色 card (one query, for them only)."""
    from representatives.models import MandateStatus
    from representatives.selectors import representative_of

    me = representative_of(user)
    if me is None:
        return []
    seats = me.mandates.filter(status=MandateStatus.ACTIVE).select_related("term__congress")
    return [
        _("%(congress)s代表（第%(term)s届）")
        % {"congress": seat.term.congress.name, "term": seat.term.number}
        if seat.term is not None
        else _("%(level)s人大代表") % {"level": seat.get_level_display()}
        for seat in seats.order_by("term__congress__region__depth")
    ]


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
            register_labels,
            register_nav,
        )
        from congress.scoping import is_staff_or_admin
        from representatives import (  # noqa: F401 - points registers sources
            demo,
            points,
            signin_setup,
            views,
        )
        from representatives import workflow as w
        from representatives.models import ActivityStatus, MandateStatus, ShiftStatus
        from representatives.services import REPRESENTATIVE_CASE

        register_labels(case_type=REPRESENTATIVE_CASE, actions=w.REPRESENTATIVE_ACTION_LABELS)
        for case_type, actions, statuses in [
            (w.MANDATE_CASE, w.MANDATE_ACTION_LABELS, MandateStatus.choices),
            (w.SHIFT_CASE, w.SHIFT_ACTION_LABELS, ShiftStatus.choices),
            (w.ACTIVITY_CASE, w.ACTIVITY_ACTION_LABELS, ActivityStatus.choices),
        ]:
            register_labels(case_type=case_type, actions=actions, statuses=dict(statuses))

        register_nav(
            NavItem(
                _("代表"),
                "representative_list",
                is_staff_or_admin,
                order=100,
                icon="people",
                group="representatives",
            )
        )
        register_nav(
            NavItem(
                _("家站点"),
                "station_list",
                is_staff_or_admin,
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
                _("值班记录"),
                "duty_shift_list",
                is_staff_or_admin,
                order=122,
                icon="calendar-check",
                group="representatives",
            )
        )
        register_nav(
            NavItem(
                _("待核实的联系记录"),
                "contact_log_unverified",
                is_staff_or_admin,
                order=121,
                icon="patch-question",
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
                is_staff_or_admin,
                order=140,
                icon="bar-chart",
                group="representatives",
            )
        )
        register_home_card(
            HomeCard("representatives/card_representative.html", views.home_card, order=30)
        )
        register_home_card(HomeCard("representatives/card_staff.html", views.staff_card, order=40))

        from congress.dashboard import DashboardPanel, register_dashboard_panel
        from representatives.dashboard import representatives_panel

        register_dashboard_panel(DashboardPanel("representatives", representatives_panel, order=30))
        register_demo_builder(DemoBuilder("representatives", demo.build, order=20))

        from congress.synthetic import SyntheticBuilder, register_synthetic_builder
        from representatives import synthetic, synthetic_work

        register_synthetic_builder(SyntheticBuilder("representatives", synthetic.build, order=20))
        # After the citizens' problems (40), whose load has dropped the events' indexes.
        register_synthetic_builder(
            SyntheticBuilder("representatives' work", synthetic_work.build, order=45)
        )

        from congress.registry import RoleSource, register_role_source
        from representatives import seat_setup  # noqa: F401 - registers the seats summary

        register_role_source(RoleSource("representative seats", _seats))

        from congress.api.enums import register_api_enums

        register_api_enums(
            {
                f"{name}Enum": f"representatives.models.{name}"
                for name in (
                    "ActivityKind",
                    "ActivityStatus",
                    "Attendance",
                    "ContactKind",
                    "DutyPatternKind",
                    "Gender",
                    "MandateStatus",
                    "Party",
                    "PhonePolicy",
                    "Satisfaction",
                    "Sector",
                    "ShiftStatus",
                    "StationKind",
                    "StationRole",
                    "VoterDelegateKind",
                )
            }
        )
