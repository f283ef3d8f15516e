"""Registration of the livelihood year's ratings with the core (imported by
LivelihoodVotesConfig.ready; docs/livelihood-rating.md): the rectification's case type
(deadline, reminders and escalation from the engine), the timeline words, the voter's
menu entry, the outcome rules and the demo."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.api.enums import register_api_enums
from congress.loop import CaseType, register_case_type
from congress.loop.handling import RatingSource, register_rating_source
from congress.registry import (
    DemoBuilder,
    NavItem,
    register_demo_builder,
    register_labels,
    register_nav,
)
from livelihood_votes.models.ratings import RatingStatus, RectificationStatus
from livelihood_votes.projects.workflow import REPORT_CASE
from livelihood_votes.ratings import conf, demo
from livelihood_votes.ratings import outcomes as _rules  # noqa: F401 - registers the rules
from livelihood_votes.ratings.handling_ratings import project_handling_ratings
from livelihood_votes.ratings.workflow import (
    ACTION_LABELS,
    CYCLE_CASE,
    PROJECT_CASE,
    RATING_CASE,
    RECTIFY_CASE,
)


def _can_view_rectification(user: Any, case_id: int) -> bool:
    from livelihood_votes.ratings.selectors import visible_rectifications

    return visible_rectifications(user).filter(pk=case_id).exists()


def _rectification_changed(case_id: int) -> None:
    from livelihood_votes.ratings.services import rectification_steps_changed

    rectification_steps_changed(case_id)


def _is_rater(user: Any) -> bool:
    """Representatives and voter delegates with a login (each record is read once per
    request by the menu)."""
    from livelihood_votes.selectors import is_voter_login

    return is_voter_login(user)


# 不满意: the department rectifies and reports again (its reply is the report), with the
# engine's reminders and escalation; staff close the step once the report is read.
register_case_type(
    CaseType(
        key=RECTIFY_CASE,
        label=_("民生实事项目测评不满意整改"),
        url=lambda case_id: reverse("livelihood_rectification_detail", args=[case_id]),
        can_view=_can_view_rectification,
        default_deadline=conf.rectify_deadline(),
        longest=conf.rectify_longest(),
        on_steps_changed=_rectification_changed,
    )
)
# The year-end marks count as ratings of the responsible department's reported work
# (the departments' league; ratings/handling_ratings.py).
register_rating_source(RatingSource(REPORT_CASE, project_handling_ratings))
register_labels(case_type=RATING_CASE, actions=ACTION_LABELS, statuses=dict(RatingStatus.choices))
register_labels(case_type=PROJECT_CASE, actions=ACTION_LABELS)
register_labels(case_type=CYCLE_CASE, actions=ACTION_LABELS)
register_labels(
    case_type=RECTIFY_CASE, actions=ACTION_LABELS, statuses=dict(RectificationStatus.choices)
)
register_nav(
    NavItem(
        _("满意度测评"),
        "my_livelihood_ratings",
        _is_rater,
        order=304,
        icon="emoji-smile",
        group="livelihood",
    )
)
register_api_enums(
    {
        "LivelihoodRatingStatusEnum": "livelihood_votes.models.ratings.RatingStatus",
        "LivelihoodRectificationStatusEnum": "livelihood_votes.models.ratings.RectificationStatus",
        # The three levels of the core's rating ballot, as the rating's API names them.
        "SatisfactionLevelEnum": "congress.models.ballots.Rating",
    }
)
# After the livelihood vote (50) and the year's cycles and projects (51, 52).
register_demo_builder(DemoBuilder("livelihood ratings", demo.build, order=55))
