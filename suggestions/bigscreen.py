"""The citizens' problems on the big screen (docs/dashboard.md, "Big screen"): today's
new problems, which the dashboard's monthly summary cannot tell. Imported by the
app's setup, which registers it with ``congress.bigscreen``.

A bounded count on the index (area_N, created_at, id): today's rows of the region
only, up to 1,000 ("1,000+"), never a count over the jurisdiction."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from congress.areas import area_q
from congress.bigscreen import BigScreenPart, BigScreenSource, register_bigscreen_source
from congress.dashboard import Figure, Scope
from congress.summary import bounded_count
from suggestions.citizen.selectors import visible_issues


def citizen_today(scope: Scope) -> BigScreenPart:
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    today = bounded_count(
        visible_issues(scope.user).filter(area_q(scope.region), created_at__gte=midnight)
    )
    return BigScreenPart(
        figures=[
            Figure(
                "today",
                _("今日新增诉求"),
                today.value,
                _("今天（0时起）提交的群众反映问题件数，超过1000件显示“1,000+”。"),
                more=today.more,
            )
        ]
    )


register_bigscreen_source(BigScreenSource("citizen_today", citizen_today, order=10))
