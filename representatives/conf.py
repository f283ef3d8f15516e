"""This app's rules, each a setting with the default from practice (docs/architecture.md,
'Stations and points').

Read through these functions so that tests can override the settings.

The duty schedule's publication lead time and representatives' SMS mode are also set per
congress (``congress.rules``, docs/rules.md): a station follows the congress of its
region, a representative the congress of theirs (the nearest one at or above it).
Neither is recorded anywhere: a shift is not a case with a deadline, and an SMS mode
applies to the notification being sent (docs/rules.md says why).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from congress.rules import Rule, RuleMap, register_rule, rule_map, rule_value, rules_at

if TYPE_CHECKING:
    from congress.models import Region

DUTY_PUBLISH = "duty.publish_days_ahead"
SMS_MODE = "representatives.sms_mode"

register_rule(
    Rule(
        key=DUTY_PUBLISH,
        label=_("接待选民日值班表提前公示天数"),
        source=_("实践做法：各地代表联络站“接待选民日”制度，提前公布进站代表名单和接待时间"),
        kind="int",
        default=3,
        setting="DUTY_PUBLISH_DAYS_AHEAD",
        app="representatives",
        group=_("代表联络站"),
        unit="days",
        minimum=1,
        maximum=15,
        order=300,
    )
)
register_rule(
    Rule(
        key=SMS_MODE,
        label=_("代表通知短信方式（代表未自行设置时）"),
        source=_("实践做法：代表履职平台的消息提醒，代表可在“通知设置”中自行更改"),
        kind="choice",
        default="immediate",
        setting="REPRESENTATIVES_SMS_MODE",
        app="representatives",
        group=_("代表联络站"),
        order=310,
        choices=(
            ("immediate", _("每条通知即时发送短信")),
            ("digest", _("每天汇总发送一条短信")),
            ("off", _("不发送短信")),
        ),
    )
)


def duty_publish_days_ahead(region: Region | None = None) -> int:
    """The duty schedule (接待选民日) is published at least this many days ahead: at a
    station's region, the rule of its congress (one query), else the installation's."""
    if region is None:
        return int(rule_value(DUTY_PUBLISH))
    return int(rules_at(region, [DUTY_PUBLISH])[DUTY_PUBLISH])


def duty_publish_everywhere() -> RuleMap:
    """The lead time at every congress that set its own (the daily run publishes the
    shifts of all stations at once): one query."""
    return rule_map(DUTY_PUBLISH)


def sms_mode_everywhere() -> RuleMap:
    """How representatives' notifications go by SMS unless they chose otherwise, at
    every congress that set its own: one query."""
    return rule_map(SMS_MODE)


def public_schedule_days() -> int:
    """How far ahead the public station page lists published shifts."""
    return int(getattr(settings, "PUBLIC_SCHEDULE_DAYS", 31))


def evaluation_rate_limit() -> tuple[int, int]:
    """(how many, per how many seconds) voter evaluations one address may send a station."""
    return (
        int(getattr(settings, "EVALUATION_RATE_LIMIT_COUNT", 5)),
        int(getattr(settings, "EVALUATION_RATE_LIMIT_SECONDS", 3600)),
    )
