"""Registration of department evaluations (工作评议, 云评议) with the core: timeline words,
the API's choice sets, the navigation entry (in the 监督 menu), the representative's home
card and the demo."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from congress.api.enums import register_api_enums
from congress.registry import (
    DemoBuilder,
    HomeCard,
    NavItem,
    register_demo_builder,
    register_home_card,
    register_labels,
    register_nav,
)
from congress.scoping import is_staff_or_admin
from representatives.selectors import representative_of
from supervision.evaluation import cards
from supervision.evaluation.workflow import ACTION_LABELS, EVALUATION_CASE
from supervision.models.evaluation import EvaluationStatus


def _staff_or_representative(user: Any) -> bool:
    return is_staff_or_admin(user) or representative_of(user) is not None


def _build_demo(ctx: Any) -> None:
    from supervision.evaluation import demo

    demo.build(ctx)


register_labels(
    case_type=EVALUATION_CASE, actions=ACTION_LABELS, statuses=dict(EvaluationStatus.choices)
)
register_api_enums(
    {
        "SupervisionEvaluationStatusEnum": "supervision.models.evaluation.EvaluationStatus",
        "SupervisionEvaluationSubjectKindEnum": "supervision.models.evaluation.SubjectKind",
    }
)
register_nav(
    NavItem(
        _("工作评议"),
        "evaluation_list",
        _staff_or_representative,
        order=330,
        icon="clipboard-data",
        group="supervision",
    )
)
register_home_card(
    HomeCard("supervision/evaluation/card_representative.html", cards.representative_card, order=26)
)
# After the representatives (order 20), whose seats score, and the livelihood votes (50).
register_demo_builder(DemoBuilder("department evaluation", _build_demo, order=60))
