"""The representatives' ratings of a department's answer to a suggestion, for the
departments' league (docs/dashboard.md, "承办单位"): what ``suggestion_rate`` and
``group_evaluation_record`` tell the engine (``handling_rated``) and what the
engine's rebuild finds again here (``RatingSource``, registered in ``setup.py``).

The rated answer is the reply (答复函) the rating is of: its assignment is the lead
department's (主办单位; the co-handlers' opinions are part of its answer). A
signer's rating (测评) counts once, by its 办理结果 (as the session's 满意率,
docs/dashboard.md, "代表建议"): 满意 or 基本满意 is satisfied, 不满意 unsatisfied;
a representative group's 二次评价 counts once, by its result, when it is recorded.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from congress.loop.handling import Rating, handling_rated
from suggestions.models.formal import (
    GroupEvaluation,
    SuggestionRating,
    SuggestionReply,
    SuggestionSatisfaction,
)

SATISFIED = (SuggestionSatisfaction.SATISFIED, SuggestionSatisfaction.BASICALLY)


def suggestion_answer_rated(*, reply: SuggestionReply, result: str, at: datetime.datetime) -> None:
    """Tell the engine that ``reply`` was rated ``result`` (in the rating's transaction)."""
    handling_rated(
        assignment=reply.assignment,
        satisfied=result in SATISFIED,
        unsatisfied=result == SuggestionSatisfaction.UNSATISFIED,
        at=at,
    )


def suggestion_handling_ratings() -> Iterator[Rating]:
    """Every signer's rating and every group's 二次评价, on the replies' assignments.
    Cost: one pass over each table (a repair, not a page)."""
    for model, moment in ((SuggestionRating, "rated_at"), (GroupEvaluation, "created_at")):
        rows = (
            model.objects.values_list("reply__assignment_id", moment, "result")
            .order_by()
            .iterator(chunk_size=5000)
        )
        for assignment, at, result in rows:
            yield Rating(
                assignment=assignment,
                at=at,
                satisfied=result in SATISFIED,
                unsatisfied=result == SuggestionSatisfaction.UNSATISFIED,
            )
