"""The actions on a finding, as data: label, who may, from which states, the form and
the one service it calls (docs/architecture.md, "Checklist: add a new case type", 5).

The finding's page shows a form for each action ``finding_actions`` offers its viewer
now; the page's POST view and the API's ``actions/<name>/`` route look the action up
here, validate with its form and call its service. A name not in the table is
``UnknownAction`` (400); the services check who acts and the state again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.actions import ActionTable
from congress.models import User
from supervision import forms as f
from supervision import services
from supervision.models.topics import Finding, FindingStatus, Topic
from supervision.selectors import handles, manages
from supervision.workflow import FINDING_TRANSITIONS, TOPIC_LABELS, TOPIC_TRANSITIONS

FS = FindingStatus
STAFF, HANDLER = "staff", "handler"


@dataclass(frozen=True)
class FindingAction:
    label: str | Promise
    who: str  # STAFF (the region's staff) or HANDLER (the department's clerk)
    states: frozenset[str]
    form: type[f.ActionForm]
    run: Callable[[Finding, User, dict[str, Any]], str]  # calls one service; says what was done
    button: str = "primary"
    flagged: bool | None = None  # only while (not) 挂牌督办


def _progress(finding: Finding, by: User, data: dict[str, Any]) -> str:
    services.finding_report_progress(
        finding=finding, note=data["text"], by=by, upload=data.get("attachment")
    )
    return _("进展已报告。")


def _claim(finding: Finding, by: User, data: dict[str, Any]) -> str:
    services.finding_claim_closure(
        finding=finding,
        note=data["text"],
        by=by,
        upload=data.get("attachment"),
        expected_version=data.get("expected_version"),
    )
    return _("已申请销号，等待人大核实。")


def _close_off(finding: Finding, by: User, data: dict[str, Any]) -> str:
    services.finding_close_off(
        finding=finding,
        evidence=data["text"],
        by=by,
        upload=data.get("attachment"),
        expected_version=data.get("expected_version"),
    )
    return _("已销号。")


def _reject(finding: Finding, by: User, data: dict[str, Any]) -> str:
    services.finding_reject_closure(
        finding=finding, reason=data["text"], by=by, expected_version=data.get("expected_version")
    )
    return _("已退回整改。")


def _reopen(finding: Finding, by: User, data: dict[str, Any]) -> str:
    services.finding_review_reopen(finding=finding, reason=data["text"], by=by)
    return _("已重新整改。")


def _flag(finding: Finding, by: User, data: dict[str, Any]) -> str:
    services.finding_set_flag(finding=finding, flagged=True, by=by, note=data["text"])
    return _("已挂牌督办。")


def _unflag(finding: Finding, by: User, data: dict[str, Any]) -> str:
    services.finding_set_flag(finding=finding, flagged=False, by=by, note=data["text"])
    return _("已取消挂牌督办。")


OPEN = frozenset({FS.RECTIFYING, FS.CLAIMED})

FINDING_ACTIONS: dict[str, FindingAction] = {
    "progress": FindingAction(
        gettext_lazy("报告进展"), HANDLER, frozenset({FS.RECTIFYING}), f.ProgressForm, _progress
    ),
    "claim_closure": FindingAction(
        gettext_lazy("申请销号"),
        HANDLER,
        FINDING_TRANSITIONS["claim_closure"][0],
        f.ClaimForm,
        _claim,
        "success",
    ),
    "close_off": FindingAction(
        gettext_lazy("销号"),
        STAFF,
        FINDING_TRANSITIONS["close_off"][0],
        f.CloseOffForm,
        _close_off,
        "success",
    ),
    "reject_closure": FindingAction(
        gettext_lazy("退回整改"),
        STAFF,
        FINDING_TRANSITIONS["reject_closure"][0],
        f.ReasonForm,
        _reject,
        "outline-danger",
    ),
    "review_reopen": FindingAction(
        gettext_lazy("回头看重新整改"),
        STAFF,
        FINDING_TRANSITIONS["review_reopen"][0],
        f.ReasonForm,
        _reopen,
        "outline-danger",
    ),
    "flag": FindingAction(
        gettext_lazy("挂牌督办"), STAFF, OPEN, f.NoteForm, _flag, "outline-danger", flagged=False
    ),
    "unflag": FindingAction(
        gettext_lazy("取消挂牌督办"),
        STAFF,
        OPEN,
        f.NoteForm,
        _unflag,
        "outline-secondary",
        flagged=True,
    ),
}


def _roles(user: User, finding: Finding) -> frozenset[str]:
    """Who the user is to the finding: the region's staff, the department's clerk."""
    pairs = ((STAFF, manages(user, finding)), (HANDLER, handles(user, finding)))
    return frozenset(role for role, on in pairs if on)


def _open(roles: frozenset[str], finding: Finding, action: FindingAction) -> bool:
    if finding.status not in action.states:
        return False
    if action.flagged is not None and finding.is_flagged != action.flagged:
        return False
    return action.who in roles


FINDINGS: ActionTable[Finding, FindingAction] = ActionTable(FINDING_ACTIONS, _open, standing=_roles)


def may(user: User, finding: Finding, action: FindingAction) -> bool:
    roles = _roles(user, finding)
    return bool(roles) and _open(roles, finding, action)


def finding_actions(user: User, finding: Finding) -> list[tuple[str, FindingAction]]:
    """What the user may do to the finding now, read from the table."""
    return [(name, FINDING_ACTIONS[name]) for name in FINDINGS.allowed(user, finding)]


def action_named(name: str) -> FindingAction:
    return FINDINGS.named(name)


# --- the steps on a topic (all the staff's of its region) --------------------------------


@dataclass(frozen=True)
class TopicAction:
    label: str | Promise
    when: Callable[[Topic], bool]
    run: Callable[[Topic, User], Any]  # calls one service
    button: str = "outline-primary"


def _move(name: str, button: str = "outline-primary") -> TopicAction:
    return TopicAction(
        TOPIC_LABELS[name],
        lambda t: t.status in TOPIC_TRANSITIONS[name][0],
        lambda t, u: services.topic_move(topic=t, action=name, by=u),
        button,
    )


TOPIC_ACTIONS: dict[str, TopicAction] = {
    "start": _move("start"),
    "rectify": _move("rectify"),
    "complete": _move("complete"),
    "cancel": _move("cancel", "outline-danger"),
    "publish": TopicAction(
        TOPIC_LABELS["publish"],
        lambda t: (
            t.published_at is None and t.status in services.PUBLISHABLE and t.findings_count > 0
        ),
        lambda t, u: services.topic_publish(topic=t, by=u),
        "outline-success",
    ),
    "unpublish": TopicAction(
        TOPIC_LABELS["unpublish"],
        lambda t: t.published_at is not None,
        lambda t, u: services.topic_unpublish(topic=t, by=u),
        "outline-secondary",
    ),
}


# The topic's pages are its staff's only (loaded through their scope), so every viewer of
# them stands as its staff.
TOPICS: ActionTable[Topic, TopicAction] = ActionTable(
    TOPIC_ACTIONS, lambda staff, topic, a: a.when(topic), standing=lambda user, topic: True
)


def topic_actions(topic: Topic) -> list[tuple[str, TopicAction]]:
    """The steps the topic's staff may take now, read from the table."""
    return [(name, TOPIC_ACTIONS[name]) for name in TOPICS.allowed(None, topic)]


def topic_action_named(name: str) -> TopicAction:
    return TOPICS.named(name)
