"""No API write bypasses its service (docs/security.md, "Writes stay in the actor's
jurisdiction").

The services are where a write checks the actor's jurisdiction and writes its audit
or event row. An endpoint that saved through its serializer instead (DRF's default
``perform_create`` is ``serializer.save()``) would do neither: the voter-delegate API
did exactly that. This walks every API view the URL resolver can reach, finds each
write it answers (POST, PUT, PATCH, DELETE: create, update, destroy and the actions),
and reads the code that runs: it must call into a ``services`` module (or the loop
engine, ``congress.loop``) and must not save or delete a model itself.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView
from rest_framework.viewsets import ViewSetMixin

from livelihood_votes.actions import VOTE_ACTIONS
from livelihood_votes.cycles.actions import CYCLE_ACTIONS, PROPOSAL_ACTIONS
from livelihood_votes.projects.actions import ACTIONS as PROJECT_ACTIONS
from livelihood_votes.ratings.actions import RATING_ACTIONS
from suggestions.citizen.actions import ISSUE_ACTIONS, LINK_ACTIONS
from suggestions.citizen.appointment_actions import APPOINTMENT_ACTIONS
from suggestions.formal.actions import ASSIGNMENT_ACTIONS, SUGGESTION_ACTIONS
from supervision.actions import FINDING_ACTIONS, TOPIC_ACTIONS
from supervision.evaluation.actions import EVALUATION_ACTIONS
from supervision.meetings.actions import ITEM_ACTIONS, MEETING_ACTIONS, OPINION_ACTIONS

WRITE_METHODS = {"post", "put", "patch", "delete"}
# Service modules not named ``services``: monitoring points' writes live with their reads
# in supervision/monitoring.py (docs/supervision-monitoring.md); representatives' logins
# in bulk in representatives/accounts.py (docs/representatives-accounts.md).
SERVICE_MODULES = {"supervision.monitoring", "representatives.accounts"}
# DRF's own create/update/destroy hand over to these; its defaults save or delete.
PERFORM = {
    "create": "perform_create",
    "update": "perform_update",
    "partial_update": "perform_update",
    "destroy": "perform_destroy",
}
# Saving or deleting a row, outside a service.
FORBIDDEN_CALLS = {"save", "delete", "create", "bulk_create", "get_or_create", "update_or_create"}
# Endpoints that take a step from a table of actions: each entry of the table is
# checked instead (``test_every_issue_action_runs_a_service``,
# ``test_every_suggestion_action_runs_a_service``).
DISPATCHERS = {
    "suggestions.citizen.api.CitizenIssueViewSet.act",
    "suggestions.citizen.api.AppointmentViewSet.act",
    "suggestions.formal.api.SuggestionViewSet.act",
    "suggestions.formal.api.SuggestionAssignmentViewSet.act",
    "livelihood_votes.api.LivelihoodVoteViewSet.act",
    "livelihood_votes.cycles.api.LivelihoodCycleViewSet.act",
    "livelihood_votes.cycles.api.LivelihoodProposalViewSet.act",
    "livelihood_votes.projects.api.ProjectViewSet.act",
    "livelihood_votes.ratings.api.RatingCycleViewSet.act",
    "suggestions.citizen.api.PublicIssueRate.post",
    "supervision.api.FindingViewSet.act",
    "supervision.api.SupervisionTopicViewSet.act",
    "supervision.meetings.api.MeetingViewSet.act",
    "supervision.meetings.api.AgendaItemViewSet.act",
    "supervision.meetings.api.OpinionViewSet.act",
    "supervision.evaluation.api.EvaluationViewSet.act",
}


def _routes(patterns: list[Any]) -> Iterator[URLPattern]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns)
        else:
            yield entry


def api_views() -> dict[type[APIView], set[tuple[str, str]]]:
    """Every API view class of the project, with the (HTTP method, handler) pairs
    its routes answer."""
    views: dict[type[APIView], set[tuple[str, str]]] = {}
    for route in _routes(get_resolver().url_patterns):
        cls = getattr(route.callback, "cls", None)
        if cls is None or not issubclass(cls, APIView) or not _ours(cls):
            continue
        actions = getattr(route.callback, "actions", None) or {
            method: method for method in cls.http_method_names if hasattr(cls, method)
        }
        allowed = set(cls.http_method_names)
        views.setdefault(cls, set()).update(
            (method, handler) for method, handler in actions.items() if method in allowed
        )
    return views


def _ours(target: Any) -> bool:
    module = getattr(target, "__module__", "") or ""
    return module.split(".")[0] in {
        "congress",
        "representatives",
        "suggestions",
        "livelihood_votes",
        "supervision",
    }


def _is_service(value: Any) -> bool:
    if isinstance(value, ModuleType):
        name = value.__name__
        return name.endswith(".services") or name == "congress.loop" or name in SERVICE_MODULES
    module = getattr(value, "__module__", "") or ""
    return callable(value) and (
        module.endswith(".services") or module == "congress.loop" or module in SERVICE_MODULES
    )


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def problems_of(function: Callable[..., Any]) -> list[str]:
    """What is wrong with one write handler: no service call, or a save of its own."""
    # A decorated handler (e.g. the ballot's session_untouched) is read as written:
    # its names resolve in its own module, not in the decorator's.
    function = inspect.unwrap(function)
    scope = function.__globals__
    if function.__name__ == "<lambda>":
        # A lambda's source cannot be cut out of the table it sits in; its names can.
        names = function.__code__.co_names
        wrong = [f"calls .{name}() itself" for name in names if name in FORBIDDEN_CALLS]
        if not any(name in scope and _is_service(scope[name]) for name in names):
            wrong.append("calls no service")
        return wrong
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    calls_service, wrong = False, []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        root = _root_name(node.func)
        if root is not None and root in scope and _is_service(scope[root]):
            calls_service = True
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr in FORBIDDEN_CALLS:
            wrong.append(f"calls .{node.func.attr}() itself (line {node.lineno})")
    if not calls_service:
        wrong.append("calls no service")
    return wrong


def _defined_by_us(cls: type, name: str) -> Callable[..., Any] | None:
    """The function ``cls.name`` runs, if the project wrote it (None: DRF's own)."""
    for owner in cls.__mro__:
        if name in owner.__dict__:
            function = owner.__dict__[name]
            return function if _ours(owner) else None
    return None


def write_handlers() -> Iterator[tuple[str, Callable[..., Any] | None]]:
    """(label, the project function that runs) for every write route; None when the
    route runs DRF's default, which saves through the serializer."""
    for cls, pairs in sorted(api_views().items(), key=lambda item: item[0].__qualname__):
        for method, handler in sorted(pairs):
            if method not in WRITE_METHODS:
                continue
            label = f"{cls.__module__}.{cls.__qualname__}.{handler}"
            function = _defined_by_us(cls, handler)
            if function is None and issubclass(cls, ViewSetMixin) and handler in PERFORM:
                perform = PERFORM[handler]
                yield f"{label} → {perform}", _defined_by_us(cls, perform)
            else:
                yield label, function


def test_the_walk_finds_the_api_writes() -> None:
    labels = [label for label, _function in write_handlers()]
    # A few writes that must be among them, so an empty walk cannot pass.
    for expected in (
        "representatives.api.StationViewSet.partial_update → perform_update",
        "representatives.api.VoterDelegateViewSet.create → perform_create",
        "suggestions.formal.api.SuggestionViewSet.act",
        "suggestions.citizen.api.PublicIssueSubmit.post",
        "supervision.api.SupervisionPlanViewSet.create",
        "supervision.api.SupervisionTopicViewSet.partial_update",
        "supervision.monitoring_api.MonitoringPointViewSet.deactivate",
        # issue #17's rest: a plan's committees, a topic's group, categories, visits,
        # 回头看 and questionnaire.
        "supervision.api.SupervisionPlanViewSet.committees",
        "supervision.api.SupervisionTopicViewSet.members",
        "supervision.api.SupervisionTopicViewSet.member_remove",
        "supervision.api.SupervisionTopicViewSet.categories",
        "supervision.api.SupervisionTopicViewSet.investigations",
        "supervision.api.SupervisionTopicViewSet.reviews",
        "supervision.api.SupervisionTopicViewSet.review_hold",
        "supervision.api.SupervisionTopicViewSet.questionnaire",
        # creating an evaluation; editing, moving and removing a questionnaire question.
        "supervision.evaluation.api.EvaluationViewSet.create",
        "supervision.monitoring_api.MonitoringQuestionViewSet.partial_update",
        "supervision.monitoring_api.MonitoringQuestionViewSet.move",
        "supervision.monitoring_api.MonitoringQuestionViewSet.destroy",
    ):
        assert expected in labels
    # The action endpoints each take a table of steps: count those too.
    steps = len(ISSUE_ACTIONS) + len(SUGGESTION_ACTIONS) + len(ASSIGNMENT_ACTIONS)
    assert len(labels) + steps > 60


def test_every_api_write_goes_through_a_service() -> None:
    offenders = []
    for label, function in write_handlers():
        if label in DISPATCHERS:
            continue
        if function is None:
            offenders.append(f"{label}: DRF's default saves through the serializer")
            continue
        offenders.extend(f"{label}: {problem}" for problem in problems_of(function))
    assert not offenders, "API writes that bypass their service:\n  " + "\n  ".join(offenders)


def test_every_issue_action_runs_a_service() -> None:
    """The citizen API's one action endpoint (and the public rating, the citizen's step
    through the tracking link) dispatch through these tables."""
    offenders = [
        f"{name}: {problem}"
        for name, action in [*ISSUE_ACTIONS.items(), *LINK_ACTIONS.items()]
        for problem in problems_of(action.run)
    ]
    assert not offenders, "\n".join(offenders)


def test_every_appointment_action_runs_a_service() -> None:
    """The appointment API's one action endpoint dispatches through this table."""
    offenders = [
        f"{name}: {problem}"
        for name, action in APPOINTMENT_ACTIONS.items()
        for problem in problems_of(action.run)
    ]
    assert not offenders, "\n".join(offenders)


def test_every_suggestion_action_runs_a_service() -> None:
    """The suggestion API's two action endpoints dispatch through these tables."""
    runs: list[tuple[str, Callable[..., Any]]] = [
        (f"suggestion {name}", action.run) for name, action in SUGGESTION_ACTIONS.items()
    ]
    runs += [(f"assignment {name}", action.run) for name, action in ASSIGNMENT_ACTIONS.items()]
    offenders = [f"{label}: {problem}" for label, run in runs for problem in problems_of(run)]
    assert not offenders, "\n".join(offenders)


def test_the_check_catches_a_serializer_save() -> None:
    """The reader itself: a perform_create like the old voter-delegate one is caught."""

    def perform_create(self: Any, serializer: Any) -> None:
        serializer.save()

    assert problems_of(perform_create) == [
        "calls .save() itself (line 2)",
        "calls no service",
    ]


def test_every_vote_action_runs_a_service() -> None:
    """The livelihood vote's API action endpoint dispatches through this table."""
    offenders = [
        f"{name}: {problem}"
        for name, action in VOTE_ACTIONS.items()
        for problem in problems_of(action.run)
    ]
    assert not offenders, "\n".join(offenders)


def test_every_supervision_action_runs_a_service() -> None:
    """The supervision API's action routes (findings, topics, agenda items, review
    opinions, evaluations) dispatch through these tables; meetings' steps are the page's."""
    tables: list[dict[str, Any]] = [
        FINDING_ACTIONS,
        TOPIC_ACTIONS,
        ITEM_ACTIONS,
        MEETING_ACTIONS,
        OPINION_ACTIONS,
        EVALUATION_ACTIONS,
    ]
    offenders = [
        f"{name}: {problem}"
        for table in tables
        for name, action in table.items()
        for problem in problems_of(action.run)
    ]
    assert not offenders, "\n".join(offenders)


def test_every_livelihood_year_action_runs_a_service() -> None:
    """The call's, the projects' and the rating's action endpoints dispatch through these."""
    tables = {
        "cycle": CYCLE_ACTIONS,
        "proposal": PROPOSAL_ACTIONS,
        "project": PROJECT_ACTIONS,
        "rating": RATING_ACTIONS,
    }
    offenders = [
        f"{kind} {name}: {problem}"
        for kind, table in tables.items()
        for name, action in table.items()
        for problem in problems_of(action.run)
    ]
    assert not offenders, "\n".join(offenders)
