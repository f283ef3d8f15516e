"""The departments' handling summary the staff dashboard's league table reads
(docs/dashboard.md, "承办单位"; docs/architecture.md, "Reads that do not grow with
the data").

One row per (department, area, month, case type): the assignments of that
department, in that area (the assignment's ancestor at depth 3, or its own region
when shallower, as for the citizens' counts), whose handling finished that month
(the first of 答复 or 办结, on the local calendar), how many of them finished on
or before their due date, and the working days from 交办 to the finish. It is a
function of the assignments' current rows: the engine's one ``_move`` takes an
assignment's share out and puts its new one in, in the same transaction, when a
step changes it (a reply, a close without reply, a reopening after 不满意);
``congress.loop.handling`` rebuilds and checks it.

The ratings (``rated``, ``satisfied``, ``unsatisfied``) are the ratings given that
month to a department's answer, whatever the case type: a case type calls
``handling_rated`` in the same transaction as the rating, naming the assignment
whose answer was rated; the row is that assignment's department, area and case
type, and the month of the rating. The rebuild counts them again from each case
type's own records of its ratings (``register_rating_source``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from congress.models.accounts import Department
from congress.models.regions import Region

# The assignment's share (a function of its row, moved by ``_move``).
SHARE_FIGURES = ("finished", "on_time", "workdays")
# The ratings given to the department's answers (added by ``handling_rated`` and
# ``handling_marks_rated``).
RATING_FIGURES = ("rated", "satisfied", "unsatisfied")
HANDLING_FIGURES = SHARE_FIGURES + RATING_FIGURES


class HandlingCount(models.Model):
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"))
    case_type = models.CharField(_("事项类型"), max_length=60)
    finished = models.IntegerField(_("办复件数"), default=0)
    on_time = models.IntegerField(_("按期办复"), default=0)
    workdays = models.IntegerField(_("办理用时（工作日）合计"), default=0)
    # Every rating of the department's answer given this month: a result rated 不满意,
    # handled again and rated 满意 is two ratings (docs/dashboard.md, "承办单位").
    rated = models.IntegerField(_("评价次数"), default=0)
    satisfied = models.IntegerField(_("满意和基本满意"), default=0)
    unsatisfied = models.IntegerField(_("不满意"), default=0)

    class Meta:
        verbose_name = _("承办单位办理统计")
        verbose_name_plural = _("承办单位办理统计")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "area", "month", "case_type"], name="handlingcount_key"
            )
        ]
        indexes = [models.Index(fields=["month", "area"], name="handlingcount_month")]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.area_id}/{self.month:%Y-%m}: {self.finished}"
