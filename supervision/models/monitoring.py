"""Monitoring points of a campaign and the answers to their QR questionnaires (docs/supervision-monitoring.md).

A topic (a 专项监督 campaign, say on the business environment) has monitoring points
(``MonitoringPoint``: 联系点, 调查点/问卷点, 观察点): an enterprise, a market, a service
hall, each in a place of the topic's region and with its own QR code. The QR code
carries the point's random public token; whoever scans it answers the topic's one
``Questionnaire`` (a few ``SurveyQuestion`` rows: 满意度, single choice, free text) without an
account. A submission is a ``QuestionnaireResponse`` with one ``SurveyAnswer`` per question
answered; nothing identifies who answered (no name, no phone, no address is stored).

The figures the staff read are kept on rows by the answer service in the same
transaction (docs/architecture.md, "Reads that do not grow with the data"): a point's
``answers`` and ``last_answer_at``, the questionnaire's ``responses`` and one
``SurveyTally`` per (question, option).
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress.models import Region
from representatives.models import Representative
from supervision.models.topics import Finding, Topic


def new_point_token() -> str:
    """The token a point's QR code carries: public by design (printed on a poster), never
    the database id, and not guessable (128 random bits, as a station's)."""
    return secrets.token_urlsafe(16)


class PointKind(models.TextChoices):
    CONTACT = "contact", _("联系点")
    SURVEY = "survey", _("调查点")
    OBSERVATION = "observation", _("观察点")


class MonitoringPoint(models.Model):
    """A place whose people (enterprises, residents) give the campaign their feedback."""

    topic = models.ForeignKey(
        Topic,
        verbose_name=_("监督议题"),
        on_delete=models.CASCADE,
        related_name="monitoring_points",
    )
    kind = models.CharField(_("类型"), max_length=12, choices=PointKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="+"
    )
    representative = models.ForeignKey(
        Representative,
        verbose_name=_("联系代表"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="monitoring_points",
    )
    token = models.CharField(
        _("公开链接令牌"), max_length=43, unique=True, default=new_point_token, editable=False
    )
    is_active = models.BooleanField(_("启用"), default=True, editable=False)
    # Kept by the answer service in the submission's transaction.
    answers = models.PositiveIntegerField(_("答卷数"), default=0, editable=False)
    last_answer_at = models.DateTimeField(_("最近答卷"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("监测点")
        verbose_name_plural = _("监测点")
        ordering = ["topic", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "name"], name="supervision_monitoring_point_unique_name"
            )
        ]
        indexes = [
            models.Index(fields=["topic", "created_at", "id"], name="supervision_point_topic")
        ]

    def __str__(self) -> str:
        return self.name


class Questionnaire(models.Model):
    """The topic's questionnaire: its questions may change until the first answer."""

    topic = models.OneToOneField(
        Topic, verbose_name=_("监督议题"), on_delete=models.CASCADE, related_name="questionnaire"
    )
    intro = models.TextField(_("问卷说明"), blank=True)
    responses = models.PositiveIntegerField(_("答卷数"), default=0, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")

    def __str__(self) -> str:
        return str(self.topic)

    @property
    def is_frozen(self) -> bool:
        return self.responses > 0


class SurveyQuestionKind(models.TextChoices):
    SATISFACTION = "satisfaction", _("满意度")
    CHOICE = "choice", _("单选")
    TEXT = "text", _("文字")


# The three levels of a 满意度 question, in this order (option 0, 1, 2).
SATISFACTION_OPTIONS = (_("满意"), _("基本满意"), _("不满意"))


class SurveyQuestion(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    kind = models.CharField(_("题型"), max_length=12, choices=SurveyQuestionKind.choices)
    text = models.CharField(_("题目"), max_length=200)
    # For a single-choice question: one option per line.
    options = models.TextField(_("选项"), blank=True)
    required = models.BooleanField(_("必答"), default=True)

    class Meta:
        verbose_name = _("问卷题目")
        verbose_name_plural = _("问卷题目")
        ordering = ["questionnaire", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def option_labels(self) -> list[str]:
        """The options, as shown, indexed by the number an answer stores."""
        if self.kind == SurveyQuestionKind.SATISFACTION:
            return [str(label) for label in SATISFACTION_OPTIONS]
        if self.kind == SurveyQuestionKind.CHOICE:
            return [line.strip() for line in self.options.splitlines() if line.strip()]
        return []


class QuestionnaireResponse(models.Model):
    """One submission from a point's QR page: anonymous; its key makes a double tap one."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="submissions"
    )
    point = models.ForeignKey(MonitoringPoint, on_delete=models.CASCADE, related_name="responses")
    idempotency_key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")

    def __str__(self) -> str:
        return f"{self.point_id}/{self.pk}"


class SurveyAnswer(models.Model):
    """The answer to one question: an option's number, or a text."""

    response = models.ForeignKey(
        QuestionnaireResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    # Copied from the response so the free-text list reads this table alone.
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    point = models.ForeignKey(MonitoringPoint, on_delete=models.CASCADE, related_name="+")
    option = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(_("回答"), blank=True)
    # Set when the staff turn a free-text answer into a finding of the topic (问题清单).
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("问题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        indexes = [
            # The free-text answers of a questionnaire, newest first (keyset pages).
            models.Index(
                fields=["questionnaire", "created_at", "id"],
                name="supervision_answer_texts",
                condition=Q(option__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}/{self.pk}"


class SurveyTally(models.Model):
    """How many chose one option of one question, kept by the answer service."""

    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="tallies")
    option = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "option"], name="supervision_option_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}/{self.option}: {self.count}"
