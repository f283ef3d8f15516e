"""Who sees which project, and the lists (docs/livelihood-projects.md, "Who sees what").

Staff see the projects of the cycles in their region and below; a department's clerk the
projects their departments are responsible for or co-operate on; a representative of a
project's 1+1+N group (or its leading member) their projects. Everyone else sees none
(404). The public pages read ``public_projects``: the projects of a cycle whose
implementation has started, with nothing personal on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from congress import loop
from congress.scoping import AnyUser, in_jurisdiction, region_scope_q
from livelihood_votes import selectors as vote_selectors
from livelihood_votes.models import Candidate, LivelihoodVote, VoteStatus
from livelihood_votes.models.projects import (
    Comment,
    CommentStatus,
    Milestone,
    ProgressReport,
    Project,
    ProjectPhoto,
    ReportStatus,
)
from representatives.selectors import representative_of


def project_scope_q(user: AnyUser) -> Q | None:
    """None: everything (an administrator)."""
    staff = region_scope_q(user, "cycle__region__path")
    if staff is None or not user.is_authenticated:
        return staff
    query = staff
    departments = loop.handled_department_ids(user)
    if departments:
        query |= Q(department_id__in=departments)
        query |= Q(
            pk__in=Project.co_departments.through.objects.filter(
                department_id__in=departments
            ).values("project_id")
        )
    query |= Q(group_leader_id=user.pk)
    representative = representative_of(user)
    if representative is not None:
        query |= Q(
            pk__in=Project.group_members.through.objects.filter(
                representative_id=representative.pk
            ).values("project_id")
        )
    return query


def visible_projects(user: AnyUser) -> QuerySet[Project]:
    rows = Project.objects.select_related("cycle__region", "department")
    query = project_scope_q(user)
    return rows if query is None else rows.filter(query)


def visible_reports(user: AnyUser) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(
        project__in=visible_projects(user).values("pk")
    ).select_related("project__cycle__region", "project__department")


@dataclass(frozen=True)
class Parties:
    """What a signed-in user is to one project."""

    staff: bool
    clerk: bool
    group: bool

    def names(self) -> frozenset[str]:
        pairs = (("staff", self.staff), ("clerk", self.clerk), ("group", self.group))
        return frozenset(name for name, on in pairs if on)


def is_responsible_clerk(user: AnyUser, project: Project) -> bool:
    return bool(
        user.is_authenticated and project.department_id in loop.handled_department_ids(user)
    )


def in_group(user: AnyUser, project: Project) -> bool:
    if not user.is_authenticated:
        return False
    if project.group_leader_id == user.pk:
        return True
    representative = representative_of(user)
    return representative is not None and (
        project.group_members.filter(pk=representative.pk).exists()
    )


def project_parties(user: AnyUser, project: Project) -> Parties:
    return Parties(
        staff=in_jurisdiction(user, project.cycle.region),
        clerk=is_responsible_clerk(user, project),
        group=in_group(user, project),
    )


def elected_candidates(vote: LivelihoodVote) -> list[Candidate]:
    """The vote's elected candidates in ballot order, with those its closed run-off
    (补充票决) elected among the tied. Empty unless the vote is closed."""
    if vote.status != VoteStatus.CLOSED:
        return []
    tally = vote_selectors.vote_tally(vote)
    elected = [row.candidate for row in tally.elected]
    runoff = vote_selectors.live_runoff(vote)
    if runoff is not None and runoff.status == VoteStatus.CLOSED:
        won = {row.candidate.title for row in vote_selectors.vote_tally(runoff).elected}
        elected += [c for c in tally.tied if c.title in won]
    return sorted(elected, key=lambda c: (c.order, c.pk))


def runoff_pending(vote: LivelihoodVote) -> bool:
    runoff = vote_selectors.live_runoff(vote)
    return runoff is not None and runoff.status != VoteStatus.CLOSED


def cycle_projects(projects: QuerySet[Project]) -> list[Project]:
    """A list of projects with their department: one query whatever the number."""
    return list(projects.select_related("department", "cycle").order_by("order", "pk"))


def project_page(project: Project) -> dict[str, object]:
    """A project's plan, milestones, reports (newest first, with photos), inspections
    (with photos), inquiries and co-departments: a fixed number of queries."""
    photos = Prefetch("photos", queryset=ProjectPhoto.objects.order_by("pk"))
    return {
        "co_departments": list(project.co_departments.order_by("name")),
        "group_members": list(project.group_members.order_by("name")),
        "milestones": list(project.milestones.order_by("due_on", "pk")),
        "reports": list(
            project.reports.exclude(status=ReportStatus.CANCELLED)
            .select_related("filed_by")
            .prefetch_related(photos)
            .order_by("-month")
        ),
        "inspections": list(
            project.inspections.select_related("created_by")
            .prefetch_related(photos)
            .order_by("-held_on", "-pk")
        ),
        "inquiries": list(project.inquiries.order_by("asked_on", "pk")),
    }


def pending_comments(project: Project, *, limit: int = 50) -> list[Comment]:
    return list(
        project.comments.filter(status=CommentStatus.PENDING).order_by("created_at")[:limit]
    )


# --- public -------------------------------------------------------------------------------


def public_projects(cycle_id: int) -> QuerySet[Project]:
    """A cycle's projects as the public sees them (its implementation started)."""
    return (
        Project.objects.filter(cycle_id=cycle_id)
        .select_related("department", "cycle__region")
        .order_by("order", "pk")
    )


def public_project(pk: int) -> Project | None:
    return Project.objects.select_related("department", "cycle__region").filter(pk=pk).first()


def public_page(project: Project, *, comments: int = 20) -> dict[str, object]:
    """What the public page shows: milestones, the latest filed report with its photos,
    the published comments (text and date only). Fixed number of queries."""
    latest = (
        project.reports.filter(status=ReportStatus.FILED)
        .prefetch_related(Prefetch("photos", queryset=ProjectPhoto.objects.order_by("pk")))
        .order_by("-month")
        .first()
    )
    return {
        "milestones": list(Milestone.objects.filter(project=project).order_by("due_on", "pk")),
        "latest": latest,
        "comments": list(
            project.comments.filter(status=CommentStatus.PUBLISHED).order_by("-created_at", "-pk")[
                :comments
            ]
        ),
    }


def public_photo(token: str) -> ProjectPhoto | None:
    """A photo the public may see: one of a filed report's."""
    return (
        ProjectPhoto.objects.filter(token=token, report__status=ReportStatus.FILED)
        .select_related("report")
        .first()
    )


# --- home cards ---------------------------------------------------------------------------


def reports_awaited(user: AnyUser, *, limit: int = 10) -> list[ProgressReport]:
    """A clerk's monthly reports still to file, soonest due first (index: status, due
    date). Their departments and those under them, in one query."""
    own = user.department_ids if user.is_authenticated else []
    if not own:
        return []
    return list(
        ProgressReport.objects.filter(
            Q(project__department_id__in=own) | Q(project__department__parent_id__in=own),
            status=ReportStatus.AWAITED,
        )
        .select_related("project")
        .order_by("due_on", "pk")[:limit]
    )
