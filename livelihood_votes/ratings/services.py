"""Every write of the year-end rating: open a cycle's rating, cast a ballot online, sign a
voter in for paper, enter a paper sheet, close (count, decide, write each project's
rating, hand each 不满意 project back to its department and carry it into the next year),
publish; and the next year's cycle a carried project goes to.

The ballot is the core's (``congress/ballots/``): this package says who the electorate is
(the cycle's, frozen when the round opens), checks that the signed-in user is the voter,
and puts the core's refusals in the rating's words. Casting writes no event and no audit
row: the elector's row is the only record of who rated.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import loop
from congress.ballots import errors as ballot_errors
from congress.ballots import outcomes
from congress.ballots import services as ballots
from congress.errors import InvalidTransition, RuleViolation
from congress.models import OPEN_STATUSES, Assignment, User
from congress.models.ballots import BallotKind, Rating
from congress.notifications import notify
from congress.scoping import OutOfJurisdiction, require_in_jurisdiction
from congress.workflow import apply_transition, record_event
from livelihood_votes.models import Cycle, Electorate, Project
from livelihood_votes.models.ratings import (
    RatingResult,
    RatingRound,
    RatingStatus,
    Rectification,
    RectificationStatus,
)
from livelihood_votes.ratings import conf, selectors
from livelihood_votes.ratings import outcomes as _rules  # noqa: F401 - registers the rules
from livelihood_votes.ratings.handling_ratings import projects_rated
from livelihood_votes.ratings.workflow import (
    CYCLE_CASE,
    PROJECT_CASE,
    PROJECT_RATING_TRANSITIONS,
    RATED_FROM,
    RATING_CASE,
    RATING_TRANSITIONS,
    RECTIFY_CASE,
)
from representatives.models import Representative, VoterDelegate

R = RatingStatus


# --- opening -----------------------------------------------------------------------------


def rating_open(
    *, cycle: Cycle, by: User | None, today: datetime.date | None = None
) -> RatingRound:
    """Open the cycle's year-end rating: only within its evaluation dates, once per
    cycle, with at least one project. The electorate (the cycle's: seated
    representatives or the subdistrict's active voter delegates) is frozen in the box,
    the outcome rule in force is copied onto the round. ``today``: the day it is
    opened on (the demo opens last year's rating on its own dates)."""
    require_in_jurisdiction(by, cycle.region)
    today = today or timezone.localdate()
    opens, closes = cycle.evaluation_opens_on, cycle.evaluation_closes_on
    if opens is None or closes is None:
        raise RuleViolation(_("本年度工作没有设定年终测评日期，不能开始测评。"))
    if not opens <= today <= closes:
        raise RuleViolation(
            _("年终测评须在%(opens)s至%(closes)s之间开始。")
            % {"opens": opens.isoformat(), "closes": closes.isoformat()}
        )
    rule = conf.outcome_rule()
    if rule not in outcomes.OUTCOME_RULES:
        raise RuleViolation(_("未知的测评结果规则：%(rule)s。") % {"rule": rule})
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if RatingRound.objects.filter(cycle=locked).exists():
            raise InvalidTransition(_("本年度的满意度测评已经开始过。"))
        projects = list(selectors.rated_projects(locked).values_list("pk", flat=True))
        if not projects:
            raise RuleViolation(_("本年度没有民生实事项目，不能测评。"))
        voters = selectors.electorate_of(locked)
        if not voters:
            if locked.electorate == Electorate.VOTER_DELEGATES:
                raise RuleViolation(_("该街道没有在任的议政代表，不能开始测评。"))
            raise RuleViolation(_("该人大没有在任代表，不能开始测评。"))
        box = ballots.box_open(
            region=locked.region, kind=BallotKind.RATING, options=projects, voters=voters, by=by
        )
        rating = RatingRound.objects.create(
            cycle=locked,
            region=locked.region,
            box=box,
            outcome_rule=rule,
            electorate=len(voters),
            opens_on=opens,
            closes_on=closes,
            opened_by=by,
        )
        record_event(
            case_type=RATING_CASE,
            case_id=rating.pk,
            action="rating_open",
            by=by,
            to_status=rating.status,
            data={"projects": len(projects), "electorate": len(voters), "rule": rule},
        )
    return rating


# --- casting -----------------------------------------------------------------------------

# The core's refusals in the rating's words.
_WORDS: dict[type[ballot_errors.DomainError], Promise] = {
    ballot_errors.NotAnElector: gettext_lazy("您不在本次测评开始时的测评人名单中，不能投票。"),
    ballot_errors.AlreadyVoted: gettext_lazy("您已参加过本次测评，每人只能投一次。"),
    ballot_errors.VoteNotOpen: gettext_lazy("本次测评不在投票期间。"),
}


def _ours(error: ballot_errors.DomainError) -> ballot_errors.DomainError:
    words = _WORDS.get(type(error))
    if words is None or error.message != type(error).default_message:
        return error
    return type(error)(str(words))


def rating_cast(*, rating: RatingRound, choices: Mapping[Any, Any], by: User) -> str:
    """The signed-in voter's secret ballot, one level per project; returns the receipt
    (shown once). Someone outside the frozen electorate is refused with a clear message
    and nothing is written; so are a second ballot, a ballot with a project left
    unmarked (unless all are: a blank ballot is cast) and a closed round."""
    voter = selectors.voter_id(by, rating.cycle)
    if voter is None:
        raise ballot_errors.NotAnElector(str(_WORDS[ballot_errors.NotAnElector]))
    if rating.status != R.OPEN:
        raise ballot_errors.VoteNotOpen(str(_WORDS[ballot_errors.VoteNotOpen]))
    try:
        return ballots.ballot_cast(box=rating.box, voter=voter, choices=choices)
    except ballot_errors.DomainError as error:
        raise _ours(error) from None


# --- in the hall: paper ------------------------------------------------------------------


def rating_sign_in(*, rating: RatingRound, voter: int, by: User) -> None:
    """签到领票: a voter in the hall receives a paper rating sheet; the same elector row
    as an online ballot, so nobody does both."""
    require_in_jurisdiction(by, rating.region)
    try:
        ballots.elector_sign_in(box=rating.box, voter=voter, by=by)
    except ballot_errors.AlreadyVoted as error:
        if error.message == "online":
            raise ballot_errors.AlreadyVoted(
                _("该测评人已在网上投票，不能再领取纸质测评表。")
            ) from None
        raise ballot_errors.AlreadyVoted(_("该测评人已签到领取纸质测评表。")) from None
    except ballot_errors.NotAnElector:
        raise ballot_errors.NotAnElector(_("该人员不在本次测评开始时的测评人名单中。")) from None


def rating_paper_enter(
    *, rating: RatingRound, sheet: int, choices: Mapping[Any, Any], by: User
) -> str:
    """双人录入 of paper sheet ``sheet``: counted when two different staff have entered
    the same reading (``congress.ballots.services.paper_reading_enter``). Returns the
    sheet's state (waiting, differs, counted)."""
    require_in_jurisdiction(by, rating.region)
    return ballots.paper_reading_enter(box=rating.box, sheet=sheet, choices=choices, by=by)


# --- the close ---------------------------------------------------------------------------


def rating_close(*, rating: RatingRound, by: User | None) -> RatingRound:
    """Close the box (the ballots opened, shuffled, published; the key destroyed),
    decide each project under the round's rule and write it: a ``RatingResult`` row and
    the project's ``rating``; 满意 and 基本满意 end the project (已办结); 不满意 puts it
    in rectification (整改中) with a loop item for its department and carries it into
    the next year's cycle. The electorate's representatives are told in their inbox.
    Refused while a paper sheet has a reading but is not counted."""
    require_in_jurisdiction(by, rating.region)
    with transaction.atomic():
        locked = RatingRound.objects.select_for_update().select_related("cycle").get(pk=rating.pk)
        if locked.status != R.OPEN:
            raise InvalidTransition()
        pending = ballots.unsettled_sheets(locked.box)
        if pending:
            raise RuleViolation(
                _("还有%(count)s张纸质测评表未完成双人录入（第%(sheets)s张），请录入核对后再计票。")
                % {"count": len(pending), "sheets": "、".join(str(n) for n in pending[:20])}
            )
        box = ballots.box_close(box=locked.box, by=by)
        decided = outcomes.outcome(box, locked.outcome_rule)
        closed_at = timezone.now()
        apply_transition(
            instance=locked,
            transitions=RATING_TRANSITIONS,
            action="rating_close",
            by=by,
            case_type=RATING_CASE,
            updates={"closed_at": closed_at},
            data={"counts": box.counts, "rule": locked.outcome_rule},
        )
        projects = Project.objects.select_related("department", "cycle__region").in_bulk(
            [item.option for item in decided]
        )
        results = RatingResult.objects.bulk_create(
            [
                RatingResult(
                    round=locked,
                    project_id=item.option,
                    satisfied=item.counts.get(Rating.SATISFIED, 0),
                    basic=item.counts.get(Rating.BASIC, 0),
                    dissatisfied=item.counts.get(Rating.DISSATISFIED, 0),
                    decision=item.decision,
                )
                for item in decided
            ]
        )
        for result in results:
            result.project = projects[result.project_id]
        # Each mark is a rating of the responsible department's work (the league's 满意率).
        projects_rated(results=results, at=closed_at)
        for item in decided:
            _rated(projects[item.option], item.decision, locked, by)
        _tell_the_electorate(locked)
    rating.refresh_from_db()
    return rating


def _rated(project: Project, decision: str, rating: RatingRound, by: User | None) -> None:
    dissatisfied = decision == Rating.DISSATISFIED
    if project.status in RATED_FROM:
        apply_transition(
            instance=project,
            transitions=PROJECT_RATING_TRANSITIONS,
            action="project_rated_rectify" if dissatisfied else "project_rated_closed",
            by=by,
            case_type=PROJECT_CASE,
            updates={"rating": decision},
            data={"rating": decision, "round": rating.pk},
        )
    else:  # already in rectification or closed by another route: the decision only
        Project.objects.filter(pk=project.pk).update(rating=decision)
    if dissatisfied:
        _rectify(project, rating, by)


def _rectify(project: Project, rating: RatingRound, by: User | None) -> Rectification:
    """不满意: the department rectifies and reports again (a loop item with reminders and
    escalation), and the project is followed into the next year's cycle."""
    carried = project_carry_over(project=project, by=by)
    rectification = Rectification.objects.create(
        project=project,
        round=rating,
        department=project.department,
        region=rating.region,
        carried_into=carried,
    )
    loop.assignment_create(
        case_type=RECTIFY_CASE,
        case_id=rectification.pk,
        title=str(_("测评不满意整改：%(title)s") % {"title": project.title}),
        region=rating.region,
        department=project.department,
        deadline=conf.rectify_deadline(),
        by=by,
    )
    return rectification


def _tell_the_electorate(rating: RatingRound) -> None:
    """The result in the inbox of each voter of the frozen electorate who has a login
    (representatives; voter delegates where they have logins)."""
    voters = list(rating.box.electors.values_list("voter", flat=True))
    if rating.cycle.electorate == Electorate.VOTER_DELEGATES:
        users = _delegate_users(voters)
    else:
        users = list(
            User.objects.filter(
                pk__in=Representative.objects.filter(pk__in=voters, user__isnull=False).values(
                    "user"
                )
            )
        )
    if users:
        notify(
            recipients=users,
            kind="livelihood.rating_result",
            title=str(_("%(title)s：测评结果已计出") % {"title": rating.cycle.title}),
            url=reverse("livelihood_rating_results", args=[rating.pk]),
            case_type=RATING_CASE,
            case_id=rating.pk,
        )


def _delegate_users(voters: list[int]) -> list[User]:
    return list(
        User.objects.filter(
            pk__in=VoterDelegate.objects.filter(pk__in=voters, user__isnull=False).values("user")
        )
    )


def rating_publish(*, rating: RatingRound, by: User | None) -> RatingRound:
    """公布: the results page becomes public (projects, counts and decisions; no voter)."""
    require_in_jurisdiction(by, rating.region)
    apply_transition(
        instance=rating,
        transitions=RATING_TRANSITIONS,
        action="rating_publish",
        by=by,
        case_type=RATING_CASE,
        updates={"published_at": timezone.now()},
    )
    return rating


# --- the next year -----------------------------------------------------------------------


def next_year_cycle(*, cycle: Cycle, by: User | None) -> Cycle:
    """The same congress's (or subdistrict's) cycle of the following year, made (with
    no dates yet) if it does not exist, so a carried project has a year to be followed
    in."""
    require_in_jurisdiction(by, cycle.region)
    year = cycle.year + 1
    found = Cycle.objects.filter(region=cycle.region, year=year).first()
    if found is not None:
        return found
    made = Cycle.objects.create(
        congress=cycle.congress,
        region=cycle.region,
        year=year,
        title=str(
            _("%(region)s%(year)s年度民生实事项目") % {"region": cycle.region.name, "year": year}
        ),
        electorate=cycle.electorate,
        created_by=by,
    )
    record_event(
        case_type=CYCLE_CASE,
        case_id=made.pk,
        action="cycle_created_for_carry_over",
        by=by,
        data={"from_cycle": cycle.pk},
    )
    return made


def project_carry_over(*, project: Project, by: User | None) -> Project:
    """跨年度跟踪: the project as a new row of the next year's cycle (``carried_from``),
    with its department, budget and summary; its plan and progress start again there."""
    require_in_jurisdiction(by, project.cycle.region)
    existing = Project.objects.filter(carried_from=project).first()
    if existing is not None:
        return existing
    target = next_year_cycle(cycle=project.cycle, by=by)
    carried = Project.objects.create(
        cycle=target,
        carried_from=project,
        title=project.title,
        summary=project.summary,
        department=project.department,
        budget=project.budget,
        order=project.order,
    )
    record_event(
        case_type=PROJECT_CASE,
        case_id=project.pk,
        action="project_carried_over",
        by=by,
        data={"into": carried.pk, "year": target.year},
    )
    return carried


# --- the rectification -------------------------------------------------------------------


def rectification_steps_changed(rectification_id: int) -> None:
    """The engine's hook (``CaseType.on_steps_changed``): once no step of the
    rectification is open (the department replied and staff closed it, or it was
    closed), it is 已报告整改情况; a step reopened makes it 整改中 again."""
    still_open = Assignment.objects.filter(
        case_type=RECTIFY_CASE, case_id=rectification_id, status__in=OPEN_STATUSES
    ).exists()
    status = RectificationStatus.RECTIFYING if still_open else RectificationStatus.REPORTED
    Rectification.objects.filter(pk=rectification_id).exclude(status=status).update(status=status)


__all__ = [
    "OutOfJurisdiction",
    "next_year_cycle",
    "project_carry_over",
    "rating_cast",
    "rating_close",
    "rating_open",
    "rating_paper_enter",
    "rating_publish",
    "rating_sign_in",
]
