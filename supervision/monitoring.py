"""Monitoring points and their QR questionnaires: every write and every scoped read
(docs/supervision-monitoring.md).

Writes are ``<entity>_<action>(*, ..., by)``: each checks that the acting user is staff
of the topic's region (``require_in_jurisdiction``, a 404 outside it); the public answer
(``response_submit``) has no user and checks the point instead (active, topic open).
Reads go through ``visible_points`` (the staff of the topic's region and above;
administrators everything) and the topic's own scope (``selectors.visible_topics``).

The figures are kept on rows in the answer's transaction (docs/architecture.md, "Reads
that do not grow with the data"): the point's ``answers`` and ``last_answer_at``, the
questionnaire's ``responses`` (its first answer freezes the questions) and one
``SurveyTally`` per option, so the results page reads a few rows whatever the answers.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.errors import InvalidTransition, RuleViolation
from congress.models import Department, Region, User
from congress.scoping import AnyUser, region_scope_q, require_in_jurisdiction
from representatives.models import Representative
from supervision import services
from supervision.models.monitoring import (
    MonitoringPoint,
    PointKind,
    Questionnaire,
    QuestionnaireResponse,
    SurveyAnswer,
    SurveyQuestion,
    SurveyQuestionKind,
    SurveyTally,
)
from supervision.models.topics import Finding, FindingCategory, Topic, TopicStatus

# Answers are taken while the campaign runs: started (实施中) or in rectification (整改中).
OPEN_TOPIC = {TopicStatus.ACTIVE, TopicStatus.RECTIFYING}
TEXT_MAX = 500  # characters of a free-text answer
BULK_MAX = 500  # lines in one paste

POINT_ORDER = ("created_at", "pk")
TEXT_ORDER = ("-created_at", "-pk")


def answer_rate() -> str:
    """Questionnaires submitted per client address (``congress.ratelimit``): a market's
    stall-holders may share one public Wi-Fi, so the limit is generous."""
    return str(getattr(settings, "SUPERVISION_MONITORING_ANSWER_RATE", "30/h"))


def page_rate() -> str:
    """Views of a point's questionnaire page per client address."""
    return str(getattr(settings, "SUPERVISION_MONITORING_PAGE_RATE", "300/h"))


def _text(value: str | None) -> str:
    return (value or "").strip()


# --- reads --------------------------------------------------------------------------------


def visible_points(user: AnyUser) -> QuerySet[MonitoringPoint]:
    """The points of the topics in the user's scope: staff of the topic's region and
    above, administrators all; nobody else (a clerk, a representative) sees any."""
    rows = MonitoringPoint.objects.select_related("topic", "region", "representative")
    query = region_scope_q(user, "topic__region__path")
    return rows if query is None else rows.filter(query)


def visible_answers(user: AnyUser) -> QuerySet[SurveyAnswer]:
    """Free-text answers, for the staff of their topic's region (turning one into a finding)."""
    rows = SurveyAnswer.objects.select_related(
        "question", "point", "questionnaire__topic", "finding"
    ).filter(option__isnull=True)
    query = region_scope_q(user, "questionnaire__topic__region__path")
    return rows if query is None else rows.filter(query)


def visible_questions(user: AnyUser) -> QuerySet[SurveyQuestion]:
    """Questions of the questionnaires of the topics in the user's scope (staff)."""
    rows = SurveyQuestion.objects.select_related("questionnaire__topic")
    query = region_scope_q(user, "questionnaire__topic__region__path")
    return rows if query is None else rows.filter(query)


def topic_points(topic: Topic) -> QuerySet[MonitoringPoint]:
    return MonitoringPoint.objects.filter(topic=topic).select_related("region", "representative")


def questionnaire_of(topic: Topic) -> Questionnaire | None:
    return Questionnaire.objects.filter(topic=topic).first()


def questions_of(questionnaire: Questionnaire | None) -> list[SurveyQuestion]:
    if questionnaire is None:
        return []
    return list(questionnaire.questions.all())


def public_point(token: str) -> MonitoringPoint | None:
    """The point a QR code names, with its topic; None for an unknown token."""
    if not token or len(token) > 43:
        return None
    return (
        MonitoringPoint.objects.select_related("topic", "topic__region", "region")
        .filter(token=token)
        .first()
    )


def is_open(point: MonitoringPoint) -> bool:
    """Answers are taken at an active point of a running campaign."""
    return point.is_active and point.topic.status in OPEN_TOPIC


def stored_response(key: str) -> QuestionnaireResponse | None:
    """A submission already stored under this idempotency key (a double tap)."""
    try:
        parsed = uuid.UUID(str(key))
    except (TypeError, ValueError):
        return None
    return QuestionnaireResponse.objects.filter(idempotency_key=parsed).first()


@dataclass
class OptionResult:
    label: str
    count: int
    percent: Decimal | None


@dataclass
class QuestionResult:
    question: SurveyQuestion
    total: int
    options: list[OptionResult] = field(default_factory=list)
    # 满意度: (满意 + 基本满意) / all who answered it, in per cent (one decimal).
    satisfied: Decimal | None = None


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def question_results(
    questionnaire: Questionnaire | None, questions: list[SurveyQuestion] | None = None
) -> list[QuestionResult]:
    """Each question's counts per option and the satisfaction share, from the tallies
    (two queries, whatever the number of answers). A free-text question's total is the
    number of texts, read from the same tallies (option 0 counts them)."""
    if questionnaire is None:
        return []
    if questions is None:
        questions = questions_of(questionnaire)
    counts: dict[tuple[int, int], int] = {
        (row.question_id, row.option): row.count
        for row in SurveyTally.objects.filter(question__questionnaire=questionnaire)
    }
    results = []
    for question in questions:
        labels = question.option_labels
        if question.kind == SurveyQuestionKind.TEXT:
            results.append(QuestionResult(question, counts.get((question.pk, 0), 0)))
            continue
        numbers = [counts.get((question.pk, n), 0) for n in range(len(labels))]
        total = sum(numbers)
        result = QuestionResult(
            question,
            total,
            [
                OptionResult(label, n, _percent(n, total))
                for label, n in zip(labels, numbers, strict=True)
            ],
        )
        if question.kind == SurveyQuestionKind.SATISFACTION:
            result.satisfied = _percent(numbers[0] + numbers[1], total)
        results.append(result)
    return results


@dataclass
class Satisfaction:
    """满意度 answers of one point (or one kind of point): how many were given and the
    share of 满意 + 基本满意 among them (None when there is none)."""

    answers: int = 0
    satisfied: int = 0

    @property
    def share(self) -> Decimal | None:
        return _percent(self.satisfied, self.answers)


def satisfaction_by(
    questionnaire: Questionnaire | None, key: str, points: Iterable[int] | None = None
) -> dict[str, Satisfaction]:
    """The 满意度 questions' answers grouped by ``key`` ("point" or "point__kind"), in one
    grouped query over the questionnaire's answers (those of ``points`` only, when given:
    a page of the points list reads its own on the answers' point index)."""
    if questionnaire is None:
        return {}
    rows = SurveyAnswer.objects.filter(
        questionnaire=questionnaire, question__kind=SurveyQuestionKind.SATISFACTION
    )
    if points is not None:
        rows = rows.filter(point__in=list(points))
    grouped = rows.values(key).annotate(
        n=Count("pk"), satisfied=Count("pk", filter=Q(option__in=(0, 1)))
    )
    return {str(row[key]): Satisfaction(row["n"], row["satisfied"]) for row in grouped}


def text_answers(questionnaire: Questionnaire) -> QuerySet[SurveyAnswer]:
    """The free-text answers, newest first on the partial index (keyset pages)."""
    return SurveyAnswer.objects.filter(
        questionnaire=questionnaire, option__isnull=True
    ).select_related("question", "point", "finding")


def representatives_for(topic: Topic) -> QuerySet[Representative]:
    """The representatives who may be a point's contact: those of the topic's region."""
    return Representative.objects.filter(region__path__startswith=topic.region.path).only(
        "pk", "name"
    )


def regions_for(topic: Topic) -> QuerySet[Region]:
    """The places a point may be in: the topic's region and below."""
    return Region.objects.filter(path__startswith=topic.region.path)


@dataclass
class PointCounts:
    points: int
    active: int
    answers: int


def point_counts(topic: Topic) -> dict[str, PointCounts]:
    """Per kind: points, active ones and their answers (one grouped query over the
    topic's points, a few hundred rows at most)."""
    rows = (
        MonitoringPoint.objects.filter(topic=topic)
        .values("kind")
        .annotate(n=Count("pk"), active=Count("pk", filter=Q(is_active=True)), total=Sum("answers"))
    )
    found = {row["kind"]: PointCounts(row["n"], row["active"], row["total"] or 0) for row in rows}
    return {kind: found.get(kind, PointCounts(0, 0, 0)) for kind in PointKind.values}


# --- points -------------------------------------------------------------------------------


def _check_point(topic: Topic, kind: str, name: str, region: Region | None) -> Region:
    if kind not in PointKind.values:
        raise RuleViolation(_("请选择监测点类型（联系点、调查点或观察点）。"))
    if not _text(name):
        raise RuleViolation(_("请填写监测点名称。"))
    if len(_text(name)) > 100:
        raise RuleViolation(_("监测点名称不能超过100个字。"))
    if region is None or not region.is_within(topic.region):
        raise RuleViolation(_("监测点须在本议题的行政区划内。"))
    return region


def point_create(
    *,
    topic: Topic,
    kind: str,
    name: str,
    region: Region | None,
    representative: Representative | None = None,
    by: User | None,
) -> MonitoringPoint:
    """设立一个监测点 of the topic, in a place of its region."""
    require_in_jurisdiction(by, topic.region)
    place = _check_point(topic, kind, name, region)
    if representative is not None and not representative.region.is_within(topic.region):
        raise RuleViolation(_("联系代表须是本行政区划的代表。"))
    try:
        with transaction.atomic():
            return MonitoringPoint.objects.create(
                topic=topic,
                kind=kind,
                name=_text(name),
                region=place,
                representative=representative,
            )
    except IntegrityError:
        raise RuleViolation(_("该议题已有同名监测点。")) from None


KIND_WORDS: dict[str, str] = {
    "联系点": PointKind.CONTACT,
    "调查点": PointKind.SURVEY,
    "问卷点": PointKind.SURVEY,
    "观察点": PointKind.OBSERVATION,
    "contact": PointKind.CONTACT,
    "survey": PointKind.SURVEY,
    "observation": PointKind.OBSERVATION,
}


def parse_point_lines(topic: Topic, text: str) -> list[tuple[str, str, Region]]:
    """Lines "名称, 类型, 区划代码" (a comma, a Chinese comma or a tab between them) as
    (name, kind, region); every bad line is named in one message, so the staff fix all at
    once. Two queries: the codes' regions and the names already used."""
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise RuleViolation(_("请粘贴监测点，每行一个：名称, 类型, 区划代码。"))
    if len(lines) > BULK_MAX:
        raise RuleViolation(_("一次最多添加%(n)d个监测点。") % {"n": BULK_MAX})
    parts = []
    for number, line in lines:
        cells = [c.strip() for c in line.replace("，", ",").replace("\t", ",").split(",")]
        parts.append((number, cells))
    codes = {cells[2] for _n, cells in parts if len(cells) == 3}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    taken = set(MonitoringPoint.objects.filter(topic=topic).values_list("name", flat=True))
    problems: list[str] = []
    rows: list[tuple[str, str, Region]] = []
    seen: set[str] = set()
    for number, cells in parts:
        if len(cells) != 3 or not all(cells):
            problems.append(_("第%(n)d行：应为“名称, 类型, 区划代码”。") % {"n": number})
            continue
        name, kind_word, code = cells
        kind = KIND_WORDS.get(kind_word)
        region = regions.get(code)
        if kind is None:
            problems.append(_("第%(n)d行：类型应为联系点、调查点或观察点。") % {"n": number})
        elif region is None or not region.is_within(topic.region):
            problems.append(
                _("第%(n)d行：区划代码%(code)s不在本议题的行政区划内。")
                % {"n": number, "code": code}
            )
        elif len(name) > 100:
            problems.append(_("第%(n)d行：名称不能超过100个字。") % {"n": number})
        elif name in taken or name in seen:
            problems.append(
                _("第%(n)d行：已有同名监测点“%(name)s”。") % {"n": number, "name": name}
            )
        else:
            seen.add(name)
            rows.append((name, kind, region))
    if problems:
        raise RuleViolation(" ".join(problems))
    return rows


def points_bulk_create(*, topic: Topic, text: str, by: User | None) -> list[MonitoringPoint]:
    """批量设立 from pasted lines; all or nothing (a bad line adds none)."""
    require_in_jurisdiction(by, topic.region)
    rows = parse_point_lines(topic, text)
    try:
        with transaction.atomic():
            return MonitoringPoint.objects.bulk_create(
                MonitoringPoint(topic=topic, kind=kind, name=name, region=region)
                for name, kind, region in rows
            )
    except IntegrityError:  # another paste of the same names just now
        raise RuleViolation(_("该议题已有同名监测点。")) from None


def point_set_active(*, point: MonitoringPoint, active: bool, by: User | None) -> None:
    """停用 / 启用: a deactivated point's QR code opens the "closed" page."""
    require_in_jurisdiction(by, point.topic.region)
    changed = MonitoringPoint.objects.filter(pk=point.pk, is_active=not active).update(
        is_active=active
    )
    if not changed:
        raise InvalidTransition(_("监测点已启用。") if active else _("监测点已停用。"))
    point.is_active = active


# --- the questionnaire --------------------------------------------------------------------


def _open_questionnaire(topic: Topic) -> Questionnaire:
    """The topic's questionnaire, locked, made on first use; refused once answered."""
    questionnaire, _created = Questionnaire.objects.get_or_create(topic=topic)
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.is_frozen:
        raise RuleViolation(_("问卷已有答卷，题目不能再修改。"))
    return locked


def _check_question(kind: str, text: str, options: str) -> str:
    if kind not in SurveyQuestionKind.values:
        raise RuleViolation(_("请选择题型。"))
    if not _text(text):
        raise RuleViolation(_("请填写题目。"))
    lines = [line.strip() for line in (options or "").splitlines() if line.strip()]
    if kind == SurveyQuestionKind.CHOICE:
        if len(lines) < 2:
            raise RuleViolation(_("单选题至少要有两个选项，每行一个。"))
        if len(lines) > 20:
            raise RuleViolation(_("单选题最多20个选项。"))
        if len(set(lines)) != len(lines):
            raise RuleViolation(_("选项不能重复。"))
        return "\n".join(lines)
    return ""


def questionnaire_set_intro(*, topic: Topic, intro: str, by: User | None) -> Questionnaire:
    require_in_jurisdiction(by, topic.region)
    with transaction.atomic():
        questionnaire = _open_questionnaire(topic)
        questionnaire.intro = _text(intro)
        questionnaire.save(update_fields=["intro"])
    return questionnaire


def question_add(
    *,
    topic: Topic,
    kind: str,
    text: str,
    options: str = "",
    required: bool = True,
    by: User | None,
) -> SurveyQuestion:
    """A question at the end of the topic's questionnaire (until its first answer)."""
    require_in_jurisdiction(by, topic.region)
    options = _check_question(kind, text, options)
    with transaction.atomic():
        questionnaire = _open_questionnaire(topic)
        top = questionnaire.questions.aggregate(top=Max("position"))["top"] or 0
        return SurveyQuestion.objects.create(
            questionnaire=questionnaire,
            position=top + 1,
            kind=kind,
            text=_text(text),
            options=options,
            required=required,
        )


def question_update(
    *,
    question: SurveyQuestion,
    kind: str,
    text: str,
    options: str = "",
    required: bool = True,
    by: User | None,
) -> SurveyQuestion:
    topic = question.questionnaire.topic
    require_in_jurisdiction(by, topic.region)
    options = _check_question(kind, text, options)
    with transaction.atomic():
        _open_questionnaire(topic)
        SurveyQuestion.objects.filter(pk=question.pk).update(
            kind=kind, text=_text(text), options=options, required=required
        )
    question.refresh_from_db()
    return question


def question_remove(*, question: SurveyQuestion, by: User | None) -> None:
    topic = question.questionnaire.topic
    require_in_jurisdiction(by, topic.region)
    with transaction.atomic():
        _open_questionnaire(topic)
        question.delete()


def question_move(*, question: SurveyQuestion, up: bool, by: User | None) -> None:
    """Swap a question with the one before (or after) it."""
    topic = question.questionnaire.topic
    require_in_jurisdiction(by, topic.region)
    with transaction.atomic():
        questionnaire = _open_questionnaire(topic)
        order = list(questionnaire.questions.order_by("position", "pk"))
        index = next(i for i, q in enumerate(order) if q.pk == question.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(order):
            return
        order[index], order[other] = order[other], order[index]
        for position, row in enumerate(order, 1):
            if row.position != position:
                SurveyQuestion.objects.filter(pk=row.pk).update(position=position)


# --- the public answer --------------------------------------------------------------------


def clean_answers(
    questions: Iterable[SurveyQuestion], raw: dict[int, str]
) -> tuple[dict[int, int | str], dict[int, str]]:
    """The answers keyed by question id (an option's number or a text) and the messages
    of the questions answered wrongly, keyed the same way (for the page to show beside
    each question)."""
    answers: dict[int, int | str] = {}
    errors: dict[int, str] = {}
    for question in questions:
        value = _text(raw.get(question.pk))
        if not value:
            if question.required:
                errors[question.pk] = _("请回答此题。")
            continue
        if question.kind == SurveyQuestionKind.TEXT:
            if len(value) > TEXT_MAX:
                errors[question.pk] = _("请不要超过%(n)d个字。") % {"n": TEXT_MAX}
            else:
                answers[question.pk] = value
            continue
        labels = question.option_labels
        if not value.isdigit() or int(value) >= len(labels):
            errors[question.pk] = _("请选择一个选项。")
        else:
            answers[question.pk] = int(value)
    return answers, errors


class AnswersInvalid(RuleViolation):
    """Some questions were not answered well: ``errors`` says which, by question id."""

    def __init__(self, errors: dict[int, str]) -> None:
        super().__init__(_("请检查标出的题目。"))
        self.errors = errors


def response_submit(
    *, point: MonitoringPoint, raw: dict[int, str], idempotency_key: uuid.UUID
) -> tuple[QuestionnaireResponse, bool]:
    """An anonymous submission from the point's QR page. Stores the response, its
    answers, and moves the point's, the questionnaire's and the options' counts in the
    same transaction; the same key again returns the stored response (``False``).
    A closed topic or an inactive point is refused (``InvalidTransition``)."""
    existing = QuestionnaireResponse.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    if not is_open(point):
        raise InvalidTransition(_("问卷已关闭，感谢您的关注。"))
    questionnaire = questionnaire_of(point.topic)
    questions = questions_of(questionnaire)
    if questionnaire is None or not questions:
        raise InvalidTransition(_("问卷尚未发布。"))
    answers, errors = clean_answers(questions, raw)
    if errors:
        raise AnswersInvalid(errors)
    if not answers:
        raise RuleViolation(_("请至少回答一题。"))
    by_id = {q.pk: q for q in questions}
    now = timezone.now()
    try:
        with transaction.atomic():
            response = QuestionnaireResponse.objects.create(
                questionnaire=questionnaire, point=point, idempotency_key=idempotency_key
            )
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(
                    response=response,
                    question_id=question_id,
                    questionnaire=questionnaire,
                    point=point,
                    option=value if isinstance(value, int) else None,
                    text=value if isinstance(value, str) else "",
                    created_at=now,
                )
                for question_id, value in answers.items()
            )
            if not questionnaire.responses:
                # The first answer freezes the questions: their tallies exist from now on
                # (a text question counts its texts as option 0).
                SurveyTally.objects.bulk_create(
                    [
                        SurveyTally(question=q, option=n)
                        for q in questions
                        for n in range(max(1, len(q.option_labels)))
                    ],
                    ignore_conflicts=True,
                )
            chosen = Q(pk__in=[])
            for question_id, value in answers.items():
                option = value if isinstance(value, int) else 0
                if by_id[question_id].kind == SurveyQuestionKind.TEXT:
                    option = 0
                chosen |= Q(question_id=question_id, option=option)
            SurveyTally.objects.filter(chosen).update(count=F("count") + 1)
            Questionnaire.objects.filter(pk=questionnaire.pk).update(responses=F("responses") + 1)
            MonitoringPoint.objects.filter(pk=point.pk).update(
                answers=F("answers") + 1, last_answer_at=now
            )
    except IntegrityError:  # the same key, stored by a concurrent request
        return QuestionnaireResponse.objects.get(idempotency_key=idempotency_key), False
    return response, True


# --- a free-text answer becomes a finding -------------------------------------------------


def answer_to_finding(
    *,
    answer: SurveyAnswer,
    title: str,
    department: Department | None,
    category: FindingCategory | None = None,
    measures: str = "",
    by: User | None,
) -> Finding:
    """列入问题清单 from what someone wrote at a point: the finding is made by the one
    finding service (``services.finding_create``: 对号入座, 交办, the topic's counts); its
    description is the answer's text and where it came from."""
    topic = answer.questionnaire.topic
    require_in_jurisdiction(by, topic.region)
    if answer.option is not None:
        raise RuleViolation(_("只有文字回答可以列入问题清单。"))
    with transaction.atomic():
        locked = SurveyAnswer.objects.select_for_update().get(pk=answer.pk)
        if locked.finding_id is not None:
            raise InvalidTransition(_("该回答已列入问题清单。"))
        description = _("来自监测点“%(point)s”的问卷回答：%(text)s") % {
            "point": answer.point.name,
            "text": answer.text,
        }
        finding = services.finding_create(
            topic=topic,
            title=title,
            department=department,
            category=category,
            description=description,
            measures=measures,
            by=by,
        )
        SurveyAnswer.objects.filter(pk=answer.pk).update(finding=finding)
    answer.finding = finding
    return finding
