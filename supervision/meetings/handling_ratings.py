"""The members' satisfaction vote (满意度测评) on a report as ratings of the reporting
body, for the departments' league (docs/dashboard.md, "承办单位"): what
``evaluation_close`` tells the engine (``handling_marks_rated``) and what the engine's
rebuild finds again here (``RatingSource``, registered in ``meeting_setup.py``).

The rated answer is the report: its assignment is the reporting body's loop item of
the report (case type ``supervision.meeting_report``; a report made again after 不满意
is an item of its own, with its own), or, for a 研究处理情况报告 heard on a later
agenda, the body's loop item of the review opinion it answers
(``supervision.review_opinion``). Every member's mark counts as one rating (满意 and
基本满意 satisfied, 不满意 unsatisfied), in the month of the close, as the marks the
close published. A report without either loop item (made before the stages were
tracked) is no department's rating.

An official's answer at an inquiry (专题询问) rated by the asker is a rating of the
answering department (应询单位) that is on no loop item: it counts once, on the
department, the meeting's region and the case type ``supervision.inquiry_answer``, in
the month the satisfaction was recorded; changed or cleared later, the old rating
leaves its month and the new one counts in the month of the change
(``handling_rated_on``). A question without an answering department rates nobody.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import Case, DateField, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from congress.ballots import outcomes
from congress.loop.handling import (
    Rating,
    handling_marks_rated,
    handling_rated_on,
    marked_ratings,
)
from congress.models import Assignment
from congress.models.ballots import Rating as Mark
from supervision.meetings.workflow import OPINION_CASE, QUESTION_CASE, REPORT_CASE
from supervision.models.meetings import (
    AgendaItem,
    EvaluationVote,
    Question,
    ReviewOpinion,
    VoteStatus,
)

SATISFIED = (Mark.SATISFIED, Mark.BASIC)


def rated_assignment(item: AgendaItem, at: datetime.datetime) -> Assignment | None:
    """The reporting body's loop item of ``item``'s report as of ``at`` (see above); one
    query."""
    if item.department_id is None:
        return None
    answered = ReviewOpinion.objects.filter(heard_at_id=item.pk).values("pk")
    return (
        Assignment.objects.filter(
            Q(case_type=REPORT_CASE, case_id=item.pk)
            | Q(case_type=OPINION_CASE, case_id__in=answered),
            department_id=item.department_id,
            assigned_at__lte=at,
        )
        .order_by("-assigned_at", "-pk")
        .first()
    )


def report_rated(*, item: AgendaItem, marks: Mapping[str, int], at: datetime.datetime) -> None:
    """Tell the engine the marks (the close's outcome's counts) of the vote on ``item``'s
    report, closed at ``at`` (in the close's transaction)."""
    step = rated_assignment(item, at)
    if step is not None:
        handling_marks_rated(assignment=step, marks=marks, at=at)


def report_handling_ratings() -> Iterator[Rating]:
    """Every closed vote's marks, as its rule's outcome reads them from the published
    counts, on the rated loop items. Cost: one query per vote (a repair, not a page)."""
    votes = EvaluationVote.objects.filter(status=VoteStatus.CLOSED).select_related("item", "box")
    for vote in votes.order_by("pk"):
        at = vote.box.closed_at
        step = None if at is None else rated_assignment(vote.item, at)
        if step is not None and at is not None:
            marks = outcomes.outcome(vote.box, vote.outcome_rule)[0].counts
            yield from marked_ratings(step.pk, at, marks)


def question_rated(*, before: Question | None, after: Question) -> None:
    """Tell the engine a question's satisfaction as recorded (``before``: the row as it
    was, ``None`` for a new question), in the transaction that records it: the old
    rating out and the new one in when the satisfaction changed."""
    if before is not None and before.satisfaction == after.satisfaction:
        return
    for row, sign in ((before, -1), (after, 1)):
        if row is None or not row.satisfaction or row.department_id is None:
            continue
        handling_rated_on(
            department_id=row.department_id,
            area_id=row.item.region_id,
            case_type=QUESTION_CASE,
            satisfied=row.satisfaction in SATISFIED,
            unsatisfied=row.satisfaction == Mark.DISSATISFIED,
            at=row.rated_at or row.created_at,
            sign=sign,
        )


def question_rating_rows() -> list[QuerySet[Any]]:
    """Every rated question as the row the engine's rebuild counts (``RatingSource.rows``):
    the answering department, the meeting's region, the month of the rating."""
    rated = Question.objects.filter(department__isnull=False).exclude(satisfaction="")
    return [
        rated.annotate(
            rated_department=F("department_id"),
            rated_area=F("item__region_id"),
            month=TruncMonth(Coalesce("rated_at", "created_at"), output_field=DateField()),
            satisfied=Case(When(satisfaction__in=SATISFIED, then=Value(1)), default=Value(0)),
            unsatisfied=Case(When(satisfaction=Mark.DISSATISFIED, then=Value(1)), default=Value(0)),
        ).values("rated_department", "rated_area", "month", "satisfied", "unsatisfied")
    ]
