"""Every write of a department evaluation: ``evaluation_<action>(*, ..., by=user)``.

Status changes go through ``congress.workflow.apply_transition`` with
``EVALUATION_TRANSITIONS`` (compare-and-set, an event row, an audit row). Scoring is
the core's secret ballot (``congress/ballots/``, a score box, docs/architecture.md,
'The secret ballot'): this app says who the electorate is (the congress's
representatives with a live seat, optionally of one delegation, frozen when the
evaluation opens), checks that the signed-in user is the voter and that the window is
open, and maps its subjects × criteria onto the box's cells. Casting writes no event
and no audit row: the elector's row is the only record of who scored.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.ballots import errors as ballot_errors
from congress.ballots import outcomes, rules
from congress.ballots import services as ballots
from congress.errors import InvalidTransition, RuleViolation
from congress.models import BallotKind, Congress, Department, User
from congress.scoping import require_in_jurisdiction
from congress.workflow import apply_transition, record_event
from representatives.models import Delegation, Representative
from supervision.evaluation import conf
from supervision.evaluation.selectors import electorate_of
from supervision.evaluation.workflow import EVALUATION_CASE, EVALUATION_TRANSITIONS
from supervision.models.evaluation import (
    Evaluation,
    EvaluationCriterion,
    EvaluationStatus,
    EvaluationSubject,
    SubjectKind,
)

S = EvaluationStatus
OUTCOME_RULE = "score_weighted_mean"  # congress/ballots/outcomes.py


@dataclass(frozen=True)
class Official:
    """An appointed official evaluated (任命人员): a name and a post."""

    name: str
    post: str = ""


class NotInWindow(ballot_errors.VoteNotOpen):
    default_message = gettext_lazy("不在评议时间内，不能提交评分。")


def evaluation_create(
    *,
    congress: Congress,
    title: str,
    year: int,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    criteria: Sequence[tuple[str, int]],
    departments: Sequence[Department] = (),
    officials: Sequence[Official] = (),
    delegation: Delegation | None = None,
    by: User | None,
) -> Evaluation:
    """A draft evaluation of ``departments`` (of the congress's region or below) and/or
    appointed ``officials`` on ``criteria`` ((name, weight in percent), weights adding up
    to 100)."""
    region = congress.region
    require_in_jurisdiction(by, region, *(d.region for d in departments))
    title = title.strip()
    if not title:
        raise RuleViolation(_("请填写评议名称。"))
    if closes_at <= opens_at:
        raise RuleViolation(_("截止评议时间须晚于开始评议时间。"))
    _check_criteria(criteria)
    if not departments and not officials:
        raise RuleViolation(_("请至少选择一个评议对象。"))
    if len({d.pk for d in departments}) != len(departments):
        raise RuleViolation(_("评议对象不能重复。"))
    outside = [d.name for d in departments if not d.region.path.startswith(region.path)]
    if outside:
        raise RuleViolation(_("%(names)s不是本行政区划的部门。") % {"names": "、".join(outside)})
    if delegation is not None and delegation.congress_id != congress.pk:
        raise RuleViolation(_("所选代表团不属于该人大。"))
    with transaction.atomic():
        evaluation = Evaluation.objects.create(
            congress=congress,
            region=region,
            title=title,
            year=year,
            opens_at=opens_at,
            closes_at=closes_at,
            delegation=delegation,
            created_by=by,
        )
        EvaluationCriterion.objects.bulk_create(
            [
                EvaluationCriterion(
                    evaluation=evaluation, name=name.strip(), weight=int(weight), order=n
                )
                for n, (name, weight) in enumerate(criteria, start=1)
            ]
        )
        subjects = [
            EvaluationSubject(
                evaluation=evaluation,
                kind=SubjectKind.DEPARTMENT,
                department=d,
                name=d.name,
                order=n,
            )
            for n, d in enumerate(departments, start=1)
        ]
        subjects += [
            EvaluationSubject(
                evaluation=evaluation,
                kind=SubjectKind.OFFICIAL,
                name=o.name.strip(),
                post=o.post.strip(),
                order=len(departments) + n,
            )
            for n, o in enumerate(officials, start=1)
        ]
        EvaluationSubject.objects.bulk_create(subjects)
        record_event(
            case_type=EVALUATION_CASE,
            case_id=evaluation.pk,
            action="evaluation_create",
            by=by,
            data={"subjects": len(subjects), "criteria": len(criteria)},
        )
    return evaluation


def _check_criteria(criteria: Sequence[tuple[str, int]]) -> None:
    if not criteria:
        raise RuleViolation(_("至少需要一项评议内容。"))
    names = [str(name).strip() for name, _weight in criteria]
    if any(not name for name in names) or len(set(names)) != len(names):
        raise RuleViolation(_("评议内容须有名称，且不能重复。"))
    try:
        weights = [int(weight) for _name, weight in criteria]
    except (TypeError, ValueError):
        raise RuleViolation(_("权重须为1至100之间的整数。")) from None
    if any(not 1 <= weight <= 100 for weight in weights):
        raise RuleViolation(_("权重须为1至100之间的整数。"))
    if sum(weights) != 100:
        raise RuleViolation(
            _("各项评议内容的权重之和须为100，现为%(total)s。") % {"total": sum(weights)}
        )


def score_form(evaluation: Evaluation) -> rules.ScoreForm:
    """The core's score form of ``evaluation``: its subjects in order, its criteria with
    their weights, the scale (``conf.scale``)."""
    low, high = conf.scale()
    return rules.score_form(
        items=list(evaluation.subjects.order_by("order", "pk").values_list("pk", flat=True)),
        criteria=list(evaluation.criteria.order_by("order", "pk").values_list("name", "weight")),
        low=low,
        high=high,
    )


def evaluation_open(*, evaluation: Evaluation, by: User | None) -> Evaluation:
    """Start scoring: the electorate is frozen and the score box opened."""
    require_in_jurisdiction(by, evaluation.region)
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().filter(pk=evaluation.pk).first()
        if locked is None or locked.status != S.DRAFT:
            raise InvalidTransition()
        if locked.closes_at <= timezone.now():
            raise RuleViolation(_("截止评议时间已过，请先修改评议时间。"))
        voters = electorate_of(locked)
        if not voters:
            raise RuleViolation(_("没有符合条件的在任代表，不能开始评议。"))
        form = score_form(locked)
        box = ballots.box_open(
            region=locked.region,
            kind=BallotKind.SCORE,
            options=form.options(),
            voters=voters,
            form=form.definition(),
            by=by,
        )
        apply_transition(
            instance=locked,
            transitions=EVALUATION_TRANSITIONS,
            action="evaluation_open",
            by=by,
            case_type=EVALUATION_CASE,
            updates={"electorate": box.electorate, "box": box},
            data={"electorate": box.electorate},
        )
    evaluation.refresh_from_db()
    return evaluation


def cells_of(evaluation: Evaluation) -> dict[tuple[int, int], int]:
    """(subject id, criterion id) → the box's cell, as ``rules.ScoreForm`` numbers them:
    subject by subject in ballot order, each subject's criteria in order."""
    subjects = list(evaluation.subjects.order_by("order", "pk").values_list("pk", flat=True))
    criteria = list(evaluation.criteria.order_by("order", "pk").values_list("pk", flat=True))
    width = len(criteria)
    return {
        (subject, criterion): i * width + n + 1
        for i, subject in enumerate(subjects)
        for n, criterion in enumerate(criteria)
    }


def evaluation_score(
    *,
    evaluation: Evaluation,
    representative: Representative,
    scores: Mapping[tuple[int, int], int],
    by: User,
) -> str:
    """Cast ``representative``'s scores ({(subject id, criterion id): score}) by secret
    ballot; returns the receipt. Refused: not the signed-in representative, outside the
    window, not an elector, scored already, a score missing or off the scale."""
    if representative.user_id != by.pk:
        raise ballot_errors.NotAnElector()
    now = timezone.now()
    if evaluation.status != S.OPEN or evaluation.box_id is None:
        raise ballot_errors.VoteNotOpen()
    if not evaluation.opens_at <= now < evaluation.closes_at:
        raise NotInWindow()
    cells = cells_of(evaluation)
    unknown = set(scores) - set(cells)
    if unknown:
        raise RuleViolation(_("选票上有不属于本次投票的选项。"))
    missing = len(cells) - len([v for v in scores.values() if v not in ("", None)])
    if missing:
        raise RuleViolation(_("还有%(count)s项没有打分。") % {"count": missing})
    assert evaluation.box is not None
    return ballots.ballot_cast(
        box=evaluation.box,
        voter=representative.pk,
        choices={cells[key]: value for key, value in scores.items()},
    )


def evaluation_close(*, evaluation: Evaluation, by: User | None) -> Evaluation:
    """Close the box (the ballots opened, shuffled, published; the key destroyed), and
    write each subject's weighted mean (two decimals, half up: the core's
    ``score_weighted_mean``) and rank (ties share a rank: 1, 2, 2, 4), and the
    participation."""
    require_in_jurisdiction(by, evaluation.region)
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().filter(pk=evaluation.pk).first()
        if locked is None or locked.status != S.OPEN or locked.box is None:
            raise InvalidTransition()
        apply_transition(
            instance=locked,
            transitions=EVALUATION_TRANSITIONS,
            action="evaluation_close",
            by=by,
            case_type=EVALUATION_CASE,
        )
        box = ballots.box_close(box=locked.box, by=by)
        assert box.counts is not None
        results = outcomes.outcome(box, OUTCOME_RULE)
        ranked = ranks([(r.option, r.score) for r in results])
        subjects = {s.pk: s for s in locked.subjects.all()}
        for result in results:
            subject = subjects[result.option]
            subject.score = result.score
            subject.scored = result.counts["scored"]
            subject.rank = ranked.get(result.option)
        EvaluationSubject.objects.bulk_update(list(subjects.values()), ["score", "scored", "rank"])
        Evaluation.objects.filter(pk=locked.pk).update(voted=box.counts["ballots"])
    evaluation.refresh_from_db()
    return evaluation


def ranks(scores: Sequence[tuple[int, Decimal | None]]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) by score, highest first; unscored: no rank."""
    ordered = sorted((s for s in scores if s[1] is not None), key=lambda s: -s[1])  # type: ignore[operator]
    result: dict[int, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (key, score) in enumerate(ordered, start=1):
        if score != previous:
            rank, previous = position, score
        result[key] = rank
    return result


def evaluation_publish(*, evaluation: Evaluation, by: User | None) -> Evaluation:
    """Publish the ranking (the public page shows it; no voter is named anywhere)."""
    require_in_jurisdiction(by, evaluation.region)
    with transaction.atomic():
        apply_transition(
            instance=evaluation,
            transitions=EVALUATION_TRANSITIONS,
            action="evaluation_publish",
            by=by,
            case_type=EVALUATION_CASE,
            updates={"published_at": timezone.now()},
        )
    return evaluation


def evaluation_cancel(*, evaluation: Evaluation, by: User | None, reason: str = "") -> Evaluation:
    """Cancel a draft or an open evaluation. An open one's box is discarded: the sealed
    scores are deleted unopened and the key destroyed (``box_discard``), so nobody ever
    learns what was in it."""
    require_in_jurisdiction(by, evaluation.region)
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().filter(pk=evaluation.pk).first()
        if locked is None:
            raise InvalidTransition()
        apply_transition(
            instance=locked,
            transitions=EVALUATION_TRANSITIONS,
            action="evaluation_cancel",
            by=by,
            case_type=EVALUATION_CASE,
            note=reason,
        )
        if locked.box is not None:
            ballots.box_discard(box=locked.box, by=by)
    evaluation.refresh_from_db()
    return evaluation
