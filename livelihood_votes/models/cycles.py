"""The year's cycle (民生实事项目年度工作): one per congress (or subdistrict) per year, with
the dated phases that enable and disable its actions (docs/livelihood-year.md).

The call for proposals, the proposals and their screening hang from a cycle; its vote is
the ``LivelihoodVote`` (votes.py) the shortlist goes to; its projects (projects.py) are the
vote's elected candidates.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.models import Congress, Region
from livelihood_votes.models.votes import LivelihoodVote


class Electorate(models.TextChoices):
    """Who votes and rates. A subdistrict (街道) has no people's congress: its 人大工委
    runs the year and the 议政会's voter delegates vote (docs/livelihood-year.md)."""

    REPRESENTATIVES = "representatives", _("人大代表")
    VOTER_DELEGATES = "voter_delegates", _("议政代表")


class Cycle(models.Model):
    """民生实事项目的一年: the call, the screening, the shortlist, the vote, the
    implementation, the mid-year inspection and the year-end rating. The phases' dates
    are columns so that "what may be done today" is a comparison on the row."""

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人大"),
        on_delete=models.PROTECT,
        related_name="livelihood_cycles",
        help_text=_("街道的年度工作由区（县）人大常委会的街道人大工委组织，选其所属的人大"),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="livelihood_cycles",
        help_text=_("人大所在的行政区划，或由议政会票决的街道"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    electorate = models.CharField(
        _("票决和测评主体"),
        max_length=16,
        choices=Electorate.choices,
        default=Electorate.REPRESENTATIVES,
    )
    call_opens_on = models.DateField(_("征集开始日期"), null=True, blank=True)
    call_closes_on = models.DateField(_("征集截止日期"), null=True, blank=True)
    screening_closes_on = models.DateField(_("筛选截止日期"), null=True, blank=True)
    shortlist_closes_on = models.DateField(_("候选项目确定日期"), null=True, blank=True)
    vote_on = models.DateField(_("票决日期"), null=True, blank=True)
    implementation_starts_on = models.DateField(_("实施开始日期"), null=True, blank=True)
    midyear_on = models.DateField(_("年中视察日期"), null=True, blank=True)
    evaluation_opens_on = models.DateField(_("年终测评开始日期"), null=True, blank=True)
    evaluation_closes_on = models.DateField(_("年终测评截止日期"), null=True, blank=True)
    vote = models.OneToOneField(
        LivelihoodVote,
        verbose_name=_("票决"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cycle",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("民生实事年度工作")
        verbose_name_plural = _("民生实事年度工作")
        ordering = ["-year", "region__path"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="cycle_one_per_region_year"),
        ]
        indexes = [models.Index(fields=["congress", "-year"], name="cycle_congress_year")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("livelihood_cycle_detail", args=[self.pk])
