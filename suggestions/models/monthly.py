"""The monthly summary of citizens' problems that the staff dashboard reads
(docs/dashboard.md; docs/architecture.md, "Reads that do not grow with the data").

One row per (area, month, category), where the month is the one the problem was
received in (Asia/Shanghai) and the area is the problem's ``count_area_id`` (its
township, or its own region when shallower), as for ``IssueCount``. Every figure
is about the problems *received* that month: a period's 办结率 is the share of its
own problems closed so far, never a ratio of two unrelated flows. The citizen
services keep the row in step in the same transaction as the fact it counts
(``suggestions.citizen.services.monthly``); ``manage.py issue_reads_rebuild``
rebuilds it from the tables and ``--check`` compares it with them.

``HandledMonthCount`` is the problems each representative saw through to a close
(办结, as their handler), per local month of the close: the 履职积分 source
"citizen_issue_handled" reads it for whole months (the dashboard's ranking, the
reports), one row per person and month instead of every close. Added to by the
same function, when a problem closes (a closed problem never moves again).

``IssueStationMonthCount`` is the same figures per (station, area, month) for the
problems submitted at a station (扫家站点二维码, or a contact log at a station),
added to by the same function in the same transaction as the monthly row, so the
two can never disagree; a problem without a station is in the monthly rows only.

Both keep their area's ``area_N`` (``AreaFields``), copied from the problem when a
row is made and filled by the rebuild, so that a region's rows are read on an
(area_N, month) index instead of through the regions' paths.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from congress.areas import AREA_DEPTHS, AREA_FIELDS
from congress.models import AreaFields, Region
from representatives.models import HolderAreaColumns
from suggestions.models.citizen import IssueCategory

__all__ = ["MONTH_FIGURES", "HandledMonthCount", "IssueMonthCount", "IssueStationMonthCount"]

# The counted columns, in the order docs/dashboard.md defines them.
MONTH_FIGURES = (
    "received",
    "accepted",
    "closed",
    "closed_on_time",
    "rated",
    "satisfied",
    "unsatisfied",
    "reopened",
    "workdays_to_close",
)


class IssueMonthCount(AreaFields):
    """One (area, month, category) of the problems received (see the module). Keeps
    its area's ``area_N`` (the area's ancestors and itself; the same as its problems'
    own columns, whose deepest is the area): a region's rows of a span of months are
    read on an (area_N, month) index, its own areas only, without joining the
    regions (docs/architecture.md, "Reads that do not grow with the data")."""

    area = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"))  # the first day of the month received
    category = models.ForeignKey(IssueCategory, on_delete=models.CASCADE, related_name="+")
    received = models.IntegerField(_("收到"), default=0)
    accepted = models.IntegerField(_("受理"), default=0)
    closed = models.IntegerField(_("办结"), default=0)
    closed_on_time = models.IntegerField(_("按期办结"), default=0)
    # Every rating given counts: a problem rated 不满意 and later 满意 is two ratings.
    rated = models.IntegerField(_("评价次数"), default=0)
    satisfied = models.IntegerField(_("满意和基本满意"), default=0)
    unsatisfied = models.IntegerField(_("不满意"), default=0)
    reopened = models.IntegerField(_("重新办理"), default=0)
    workdays_to_close = models.IntegerField(_("办结用时（工作日）合计"), default=0)

    class Meta:
        verbose_name = _("群众反映问题月度统计")
        verbose_name_plural = _("群众反映问题月度统计")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "month", "category"], name="issuemonthcount_key"
            )
        ]
        indexes = [
            models.Index(fields=["month", "area"], name="issuemonthcount_month"),
            *(
                models.Index(fields=[name, "month"], name=f"issuemonth_area{depth}")
                for depth, name in enumerate(AREA_FIELDS)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id}/{self.month:%Y-%m}/{self.category_id}: {self.received}"


class IssueStationMonthCount(AreaFields):
    """The monthly figures of the problems of one station (see the module), with its
    area's ``area_N`` as ``IssueMonthCount`` keeps them: a region's stations of the
    period are read on an (area_N, month) index."""

    station = models.ForeignKey(
        "representatives.Station", on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"))
    received = models.IntegerField(_("收到"), default=0)
    accepted = models.IntegerField(_("受理"), default=0)
    closed = models.IntegerField(_("办结"), default=0)
    closed_on_time = models.IntegerField(_("按期办结"), default=0)
    rated = models.IntegerField(_("评价次数"), default=0)
    satisfied = models.IntegerField(_("满意和基本满意"), default=0)
    unsatisfied = models.IntegerField(_("不满意"), default=0)
    reopened = models.IntegerField(_("重新办理"), default=0)
    workdays_to_close = models.IntegerField(_("办结用时（工作日）合计"), default=0)

    class Meta:
        verbose_name = _("家站点群众反映问题月度统计")
        verbose_name_plural = _("家站点群众反映问题月度统计")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "area", "month"], name="issuestationmonthcount_key"
            )
        ]
        indexes = [
            models.Index(fields=["month", "area"], name="issuestationmonthcount_month"),
            *(
                models.Index(fields=[name, "month"], name=f"issuestationmonth_area{depth}")
                for depth, name in enumerate(AREA_FIELDS)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station_id}/{self.area_id}/{self.month:%Y-%m}: {self.received}"


class HandledMonthCount(HolderAreaColumns):
    """The problems a representative closed as their handler in one month (see the
    module): ``closed`` problems, on the local calendar of ``closed_at``. Keeps the
    representative's area (``HolderAreaColumns``): a region's ranking reads its rows
    of the period on an (area_N, month) index."""

    representative = models.ForeignKey(
        "representatives.Representative", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("月份"))  # the first day of the month closed
    closed = models.IntegerField(_("办结"), default=0)

    class Meta:
        verbose_name = _("代表办结群众反映问题月度统计")
        verbose_name_plural = _("代表办结群众反映问题月度统计")
        constraints = [
            models.UniqueConstraint(fields=["representative", "month"], name="handledmonth_key")
        ]
        indexes = [
            models.Index(fields=[f"area_{n}", "month"], name=f"handledmonth_area{n}")
            for n in range(AREA_DEPTHS)
        ]

    def __str__(self) -> str:
        return f"{self.representative_id}/{self.month:%Y-%m}: {self.closed}"
