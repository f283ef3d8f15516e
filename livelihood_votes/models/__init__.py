"""The livelihood year's models: the vote and its candidates (votes.py); the year's cycle,
its call for proposals and screening (cycles.py); the elected projects and their
implementation (projects.py); the year-end rating (ratings.py). docs/livelihood-year.md."""

from livelihood_votes.models import ratings  # noqa: F401
from livelihood_votes.models.cycles import (
    Cycle,
    Electorate,
    Proposal,
    ProposalChannel,
    ProposalStatus,
    ProposalTheme,
    ScreeningReason,
)
from livelihood_votes.models.projects import Project, ProjectStatus
from livelihood_votes.models.votes import (
    BOX_KIND,
    BallotForm,
    BallotSource,
    Candidate,
    LivelihoodVote,
    Mark,
    PassBase,
    VoteStatus,
)

__all__ = [
    "BOX_KIND",
    "BallotForm",
    "BallotSource",
    "Candidate",
    "Cycle",
    "Electorate",
    "LivelihoodVote",
    "Mark",
    "PassBase",
    "Project",
    "ProjectStatus",
    "Proposal",
    "ProposalChannel",
    "ProposalStatus",
    "ProposalTheme",
    "ScreeningReason",
    "VoteStatus",
]
