"""The staff's steps on one evaluation, as data (docs/architecture.md, "Checklist: add a
new case type", step 5): label, button style, the one service it calls. Who may take
them is staff of the evaluation's region (``selectors.manages``); from which states is
``EVALUATION_TRANSITIONS``. The detail page's buttons, its POST view and the API's
``actions/<name>/`` route read this table through ``allowed`` and ``take``: a name not
in it is ``UnknownAction`` (400); one the user may not take now, ``InvalidTransition``
(409); an evaluation outside the user's scope is a 404 before the name is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.actions import ActionTable
from congress.models import User
from congress.scoping import AnyUser
from supervision.evaluation import selectors, services
from supervision.evaluation.workflow import EVALUATION_TRANSITIONS
from supervision.models.evaluation import Evaluation


@dataclass(frozen=True)
class EvaluationAction:
    move: str  # of EVALUATION_TRANSITIONS: its from-states say when
    label: str | Promise
    style: str  # the button's Bootstrap colour
    run: Callable[[Evaluation, User], Evaluation]
    confirm: str | Promise = ""


EVALUATION_ACTIONS: dict[str, EvaluationAction] = {
    "evaluation_open": EvaluationAction(
        "evaluation_open",
        _("开始评议"),
        "primary",
        lambda e, u: services.evaluation_open(evaluation=e, by=u),
        _("开始后评议对象和评议内容不能再修改，确定开始评议吗？"),
    ),
    "evaluation_close": EvaluationAction(
        "evaluation_close",
        _("结束评议并计分"),
        "warning",
        lambda e, u: services.evaluation_close(evaluation=e, by=u),
        _("结束后代表不能再提交评分，确定结束评议并计分吗？"),
    ),
    "evaluation_publish": EvaluationAction(
        "evaluation_publish",
        _("公布评议结果"),
        "success",
        lambda e, u: services.evaluation_publish(evaluation=e, by=u),
        _("公布后任何人都可以看到排名，确定公布吗？"),
    ),
    "evaluation_cancel": EvaluationAction(
        "evaluation_cancel",
        _("取消工作评议"),
        "outline-danger",
        lambda e, u: services.evaluation_cancel(evaluation=e, by=u),
        _("取消后已提交的评分不开启、不计分，直接销毁，确定取消吗？"),
    ),
}


TABLE: ActionTable[Evaluation, EvaluationAction] = ActionTable(
    EVALUATION_ACTIONS,
    lambda manages, evaluation, a: evaluation.status in EVALUATION_TRANSITIONS[a.move][0],
    standing=selectors.manages,
)


def allowed(user: AnyUser, evaluation: Evaluation) -> list[str]:
    """The steps ``user`` may take on ``evaluation`` now, in table order."""
    return TABLE.allowed(user, evaluation)


def take(name: str, evaluation: Evaluation, user: User) -> Evaluation:
    return TABLE.require(name, user, evaluation).run(evaluation, user)
