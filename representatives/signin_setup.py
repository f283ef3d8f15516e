"""The sign-in's and bulk logins' registrations with the core: the staff's menu entry,
and how representatives' notifications reach their phone by default.

Imported once the app registry is ready; its imports of the app stay inside the
functions, since it is loaded while ``representatives.registry`` is.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy as _

from congress.models import Channel, DeliveryMode
from congress.notifications import register_default_modes
from congress.registry import DemoBuilder, NavItem, register_demo_builder, register_nav
from congress.scoping import is_staff_or_admin


def representatives_default_modes(user_ids: set[int]) -> dict[tuple[int, str], str]:
    """The SMS mode of those of ``user_ids`` who are representatives, each by the rule
    in force at their region (their congress's, else the congress above's): two
    queries, one when the rule is the product's default (at once) everywhere. Also for
    representatives who never signed in: their login exists from the day staff opened it."""
    from representatives import conf
    from representatives.models import Representative

    modes = conf.sms_mode_everywhere()
    if modes.values() == [DeliveryMode.IMMEDIATE]:
        return {}
    linked = Representative.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "region__path"
    )
    found: dict[tuple[int, str], str] = {}
    for user_id, path in linked:
        mode = modes.at(path)
        if user_id is not None and mode != DeliveryMode.IMMEDIATE:
            found[(user_id, Channel.SMS)] = mode
    return found


def _demo_logins(ctx: Any) -> None:
    from representatives.demo import build_logins

    build_logins(ctx)


register_default_modes(representatives_default_modes)
# After every other builder (the dashboard's summaries are 900): the others still meet
# representatives without a login, and then everyone gets one for the SMS sign-in.
register_demo_builder(DemoBuilder("representative logins", _demo_logins, order=950))
register_nav(
    NavItem(
        _("开通账号"),
        "representative_accounts",
        is_staff_or_admin,
        order=105,
        icon="person-check",
        group="representatives",
    )
)


@checks.register(checks.Tags.security, deploy=True)
def demo_code_off(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``check --deploy`` fails while the demo's code display could be on: a code shown
    on the page signs in whoever typed the number, without the phone."""
    if settings.SMS_SIGNIN_DEMO_CODE:
        return [
            checks.Error(
                "SMS_SIGNIN_DEMO_CODE is on: the SMS sign-in page shows the one-time code.",
                hint="It is for the laptop demo only; run with DEBUG off.",
                id="representatives.E001",
            )
        ]
    return []
