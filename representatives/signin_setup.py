"""The sign-in's and bulk logins' registrations with the core: the staff's menu entry,
and how representatives' notifications reach their phone by default.

Imported once the app registry is ready; its imports of the app stay inside the
functions, since it is loaded while ``representatives.registry`` is.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from congress.models import Channel, DeliveryMode
from congress.notifications import register_default_modes
from congress.registry import NavItem, register_nav
from congress.scoping import is_staff_or_admin


def representatives_sms_mode() -> str:
    """How a representative's notifications go by SMS unless they chose otherwise in
    通知设置: at once (the default), in one SMS a day, or not at all."""
    return str(settings.REPRESENTATIVES_SMS_MODE)


def representatives_default_modes(user_ids: set[int]) -> dict[tuple[int, str], str]:
    """The SMS mode of those of ``user_ids`` who are representatives: one query, none
    when the rule is the product's default (at once). Also for representatives who
    never signed in: their login exists from the day staff opened it."""
    mode = representatives_sms_mode()
    if mode == DeliveryMode.IMMEDIATE:
        return {}
    from representatives.models import Representative

    linked = Representative.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True)
    return {(user_id, Channel.SMS): mode for user_id in linked if user_id is not None}


register_default_modes(representatives_default_modes)
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
