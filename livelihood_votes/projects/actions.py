"""The steps on a project, as data: one declaration per action with its label, who may
take it (parties from ``selectors.project_parties``: staff of the cycle's region, the
responsible department's clerk, the 1+1+N group), when (the transition table of
``workflow.py`` and the project's facts), the input form and the one service it calls
(docs/architecture.md, "Checklist: add a new case type", step 5).

The project page's buttons, its step pages and the API's ``actions/<name>/`` route read
this table through ``take``: a name not in it is ``UnknownAction`` (400), one the user may
not take now ``InvalidTransition`` (409); a project outside the scope is a 404 before the
name is read (the views load through the selectors).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.actions import ActionTable
from congress.models import User
from congress.scoping import AnyUser
from livelihood_votes.models.projects import CommentStatus, Project, ProjectStatus, ReportStatus
from livelihood_votes.projects import forms, selectors, services
from livelihood_votes.projects.workflow import EDITABLE, PROJECT_TRANSITIONS, RUNNING


def _from(action: str) -> frozenset[str]:
    return frozenset(PROJECT_TRANSITIONS[action][0])


@dataclass(frozen=True)
class ProjectAction:
    label: str | Promise
    form: type[forms.ProjectForm]
    run: Callable[[Project, dict[str, Any], User], Any]
    who: frozenset[str]
    when: Callable[[Project], bool]
    files: bool = False


STAFF = frozenset({"staff"})


def _plan(p: Project, d: dict[str, Any], u: User) -> Any:
    return services.project_plan(project=p, by=u, **d)


ACTIONS: dict[str, ProjectAction] = {
    "project_plan": ProjectAction(
        _("制定实施计划"), forms.PlanForm, _plan, STAFF, lambda p: p.status in EDITABLE
    ),
    "milestone_add": ProjectAction(
        _("增加实施节点"),
        forms.MilestoneForm,
        lambda p, d, u: services.milestone_add(project=p, by=u, **d),
        STAFF,
        lambda p: p.status in EDITABLE,
    ),
    "project_start": ProjectAction(
        _("开始实施"),
        forms.NothingForm,
        lambda p, d, u: services.project_start(project=p, by=u),
        STAFF,
        lambda p: p.status in _from("project_start"),
    ),
    "report_file": ProjectAction(
        _("报送月度进度"),
        forms.ReportForm,
        lambda p, d, u: services.report_file(project=p, by=u, **d),
        frozenset({"clerk", "staff"}),
        lambda p: p.reports.filter(status=ReportStatus.AWAITED).exists(),
        files=True,
    ),
    "milestone_done": ProjectAction(
        _("节点完成"),
        forms.MilestoneDoneForm,
        lambda p, d, u: services.milestone_done(
            milestone=d["milestone"], done_on=d.get("done_on"), by=u
        ),
        frozenset({"clerk", "staff"}),
        lambda p: (
            p.status == ProjectStatus.IMPLEMENTING
            and p.milestones.filter(done_on__isnull=True).exists()
        ),
    ),
    "inspection_record": ProjectAction(
        _("记录视察"),
        forms.InspectionForm,
        lambda p, d, u: services.inspection_record(project=p, by=u, **d),
        frozenset({"staff", "group"}),
        lambda p: p.status in RUNNING,
        files=True,
    ),
    "inquiry_record": ProjectAction(
        _("记录询问"),
        forms.InquiryForm,
        lambda p, d, u: services.inquiry_record(project=p, by=u, **d),
        STAFF,
        lambda p: p.status in RUNNING,
    ),
    "project_complete": ProjectAction(
        _("确认完工"),
        forms.NoteForm,
        lambda p, d, u: services.project_complete(project=p, by=u, note=d.get("note", "")),
        STAFF,
        lambda p: p.status in _from("project_complete") and p.percent_complete == 100,
    ),
    "comment_publish": ProjectAction(
        _("公开留言"),
        forms.ModerateForm,
        lambda p, d, u: services.comment_moderate(comment=d["comment"], publish=True, by=u),
        STAFF,
        lambda p: p.comments.filter(status=CommentStatus.PENDING).exists(),
    ),
    "comment_reject": ProjectAction(
        _("不公开留言"),
        forms.ModerateForm,
        lambda p, d, u: services.comment_moderate(comment=d["comment"], publish=False, by=u),
        STAFF,
        lambda p: p.comments.filter(status=CommentStatus.PENDING).exists(),
    ),
}


TABLE: ActionTable[Project, ProjectAction] = ActionTable(
    ACTIONS,
    lambda parties, project, a: bool(parties & a.who) and a.when(project),
    standing=lambda user, project: selectors.project_parties(user, project).names(),
)


def allowed(user: AnyUser, project: Project) -> list[str]:
    return TABLE.allowed(user, project)


def action(name: str) -> ProjectAction:
    return TABLE.named(name)


def take(name: str, project: Project, data: dict[str, Any], user: User) -> Any:
    return TABLE.require(name, user, project).run(project, data, user)
