"""The livelihood-project vote on the big screen (docs/dashboard.md, "Big screen"):
an open vote's turnout (how many voted, never what: no choice is shown before the
box is opened) and this year's projects of the region: each with its progress once
it is being implemented (the facts kept on the project's row), an elected project
not yet started by its name alone.
Imported by the app's setup, which registers it with ``congress.bigscreen``.

A region holds one or two votes a year: one query for the votes and one for the open ones' turnout, two per
closed vote of the year (its candidates, its participants), one for the year's
projects, whatever the number of citizens' problems."""

from __future__ import annotations

from django.db.models import Count, Q

from congress.bigscreen import (
    BigScreenPart,
    BigScreenSource,
    ProjectProgress,
    VoteTurnout,
    register_bigscreen_source,
)
from congress.dashboard import Scope
from congress.models import Elector
from livelihood_votes.models import Project, VoteStatus
from livelihood_votes.selectors import visible_votes, vote_tally


def livelihood_votes_part(scope: Scope) -> BigScreenPart:
    this_year = Q(status=VoteStatus.CLOSED, year=scope.today.year)
    votes = list(
        visible_votes(scope.user)
        .filter(Q(status=VoteStatus.OPEN) | this_year, congress__region=scope.region)
        .select_related("box")
        .order_by("opened_at", "pk")
    )
    open_votes = [vote for vote in votes if vote.status == VoteStatus.OPEN]
    voted: dict[object, int] = {}
    if open_votes:
        voted = {
            row["box"]: row["n"]
            for row in Elector.objects.filter(
                box__in=[vote.box_id for vote in open_votes], channel__isnull=False
            )
            .values("box")
            .annotate(n=Count("id"))
            .order_by()
        }
    started = list(
        Project.objects.filter(cycle__region=scope.region, cycle__year=scope.today.year)
        .order_by("order", "pk")
        .values_list("candidate_id", "title", "percent_complete", "behind_schedule")
    )
    projects = [
        ProjectProgress(name=title, percent=percent, behind=behind)
        for _candidate, title, percent, behind in started
    ]
    has_project = {candidate for candidate, *_rest in started}
    for vote in votes:
        if vote.status == VoteStatus.CLOSED:
            projects += [
                ProjectProgress(name=row.candidate.title)
                for row in vote_tally(vote).elected
                if row.candidate.pk not in has_project
            ]
    return BigScreenPart(
        votes=[
            VoteTurnout(
                title=vote.title,
                voted=voted.get(vote.box_id, 0),
                electorate=vote.electorate or (vote.box.electorate if vote.box else 0),
            )
            for vote in open_votes
        ],
        projects=projects,
    )


register_bigscreen_source(BigScreenSource("livelihood_votes", livelihood_votes_part, order=50))
