"""Every write of the livelihood-project vote: ``<entity>_<action>(*, ..., by=user)``.

Status changes go through ``congress.workflow.apply_transition`` with the table in
``workflow.py`` (compare-and-set, an event row); opening, closing and cancelling also
write the audit trail. A refusal raises a domain error and changes nothing.

``ballot_cast``, ``participation_sign_in`` and ``paper_sheet_enter`` are the secret
ballot, the core's (``congress/ballots/``): this app says who the electorate is (the
representatives with a live seat, frozen when the vote opens; in a subdistrict's vote,
its 议政会's active voter delegates, docs/livelihood-subdistricts.md), checks that the
signed-in user is the voter, and puts the core's refusals in the vote's words. Casting
writes no event and no audit row: the elector's row is the only record of who voted.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.audit import audit_record
from congress.ballots import errors as ballot_errors
from congress.ballots import rules
from congress.ballots import services as ballots
from congress.ballots.services import SHEET_COUNTED, SHEET_DIFFERS, SHEET_WAITING
from congress.ballots.services import new_receipt as new_receipt
from congress.ballots.services import normalise_receipt as normalise_receipt
from congress.errors import InvalidTransition, RuleViolation
from congress.models import AuditAction, Congress, Department, Session, User
from congress.scoping import require_in_jurisdiction
from congress.workflow import apply_transition, record_event
from livelihood_votes import conf
from livelihood_votes.errors import (
    AlreadyVoted,
    BallotBusy,
    NotAnElector,
    RunoffExists,
    SheetAlreadyEntered,
    SheetCounted,
    VoteNotOpen,
)
from livelihood_votes.models import (
    BOX_KIND,
    BallotForm,
    BallotSource,
    Candidate,
    Cycle,
    Electorate,
    LivelihoodVote,
    VoteStatus,
)
from livelihood_votes.selectors import (
    Voter,
    by_delegates,
    holds_seat,
    live_runoff,
    of_its_kind,
    subdistrict_cycle,
    vote_region,
    vote_tally,
    vote_voters,
)
from livelihood_votes.workflow import VOTE_CASE, VOTE_TRANSITIONS
from representatives.models import Representative, VoterDelegate

V = VoteStatus
__all__ = ["SHEET_COUNTED", "SHEET_DIFFERS", "SHEET_WAITING"]


def _event(vote: LivelihoodVote, action: str, by: User | None, **data: Any) -> None:
    record_event(case_type=VOTE_CASE, case_id=vote.pk, action=action, by=by, data=data)


def _audit(vote: LivelihoodVote, action: str, by: User | None, **detail: Any) -> None:
    # Opening, closing and cancelling are audited by apply_transition; this is for
    # the changes to a vote that are no status change (a paper ballot entered).
    audit_record(
        action=AuditAction.STATE_CHANGE, actor=by, obj=vote, detail={"action": action, **detail}
    )


# --- the vote and its candidates (while a draft) -------------------------------------------


def vote_create(
    *,
    congress: Congress,
    title: str,
    year: int,
    seats: int,
    ballot_form: str = BallotForm.UP_TO_N,
    session: Session | None = None,
    cycle: Cycle | None = None,
    by: User,
) -> LivelihoodVote:
    """A draft vote; the pass rule in force today at ``congress`` (its own, else the
    congress above's, docs/rules.md) is copied onto it.

    With ``cycle``, the vote is that cycle's (its ``Cycle.vote``): a subdistrict's cycle
    makes a vote of its 议政会's voter delegates, run by the subdistrict's 人大工委
    (staff of the 街道 or above), under the district congress that is the cycle's."""
    if cycle is not None and cycle.electorate == Electorate.VOTER_DELEGATES:
        require_in_jurisdiction(by, cycle.region)
    else:
        require_in_jurisdiction(by, congress.region)
    if seats < 1:
        raise RuleViolation(_("应选项目数至少为1。"))
    if session is not None and session.term.congress_id != congress.pk:
        raise RuleViolation(_("所选会议不是该人大的会议。"))
    if cycle is not None and cycle.congress_id != congress.pk:
        raise RuleViolation(_("该年度工作不属于所选人大。"))
    with transaction.atomic():
        if cycle is not None:
            locked = Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
            if locked is None or locked.vote_id is not None:
                raise RuleViolation(_("该年度工作已有票决。"))
        vote = LivelihoodVote.objects.create(
            congress=congress,
            session=session,
            title=title,
            year=year,
            seats=seats,
            ballot_form=ballot_form,
            pass_base=conf.pass_base(congress),
            created_by=by,
        )
        if cycle is not None:
            Cycle.objects.filter(pk=cycle.pk).update(vote=vote)
            cycle.vote = vote
        _event(vote, "vote_create", by)
    return vote


def _draft_for_update(vote: LivelihoodVote, *, changes_the_list: bool = False) -> LivelihoodVote:
    """Lock the vote row while its candidates change, so that opening (which counts
    them under the same lock) never sees a half-edited list.

    A run-off's candidates are the projects tied at the cut, copied when it was made: a
    project added (or taken away) would turn it into another vote, one nobody tied in."""
    locked = LivelihoodVote.objects.select_for_update().filter(pk=vote.pk).first()
    if locked is None or locked.status != V.DRAFT:
        raise RuleViolation(_("只有筹备中的票决可以修改候选项目。"))
    if changes_the_list and locked.is_runoff:
        raise RuleViolation(_("补充票决的候选项目只能是原票决中得票相同的项目，不能增加或删除。"))
    return locked


def candidate_add(
    *,
    vote: LivelihoodVote,
    title: str,
    summary: str = "",
    department: Department | None = None,
    budget: Decimal | None = None,
    deadline: str = "",
    by: User,
) -> Candidate:
    require_in_jurisdiction(by, vote_region(vote), department.region if department else None)
    with transaction.atomic():
        _draft_for_update(vote, changes_the_list=True)
        last = vote.candidates.order_by("-order").values_list("order", flat=True).first()
        candidate = Candidate.objects.create(
            vote=vote,
            title=title,
            summary=summary,
            department=department,
            budget=budget,
            deadline=deadline,
            order=(last or 0) + 1,
        )
        _event(vote, "candidate_add", by, candidate=candidate.pk, title=title)
    return candidate


CANDIDATE_FIELDS = ("title", "summary", "department", "budget", "deadline", "order")
# What makes a run-off's candidate the project that tied: the rest may be worded better.
RUNOFF_FIXED_FIELDS = frozenset({"title", "department"})


def candidate_edit(*, candidate: Candidate, by: User, **fields: Any) -> Candidate:
    unknown = set(fields) - set(CANDIDATE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    department = fields.get("department")
    require_in_jurisdiction(
        by, vote_region(candidate.vote), department.region if department else None
    )
    with transaction.atomic():
        locked = _draft_for_update(candidate.vote)
        if locked.is_runoff and RUNOFF_FIXED_FIELDS & {
            name for name, value in fields.items() if value != getattr(candidate, name)
        }:
            # Another title or department is another project: one that was not tied.
            raise RuleViolation(
                _(
                    "补充票决的候选项目是原票决中得票相同的项目，不能改为其他项目（名称、责任单位不可修改）。"
                )
            )
        for name, value in fields.items():
            setattr(candidate, name, value)
        candidate.save(update_fields=list(fields))
        _event(candidate.vote, "candidate_edit", by, candidate=candidate.pk)
    return candidate


def candidate_remove(*, candidate: Candidate, by: User) -> None:
    with transaction.atomic():
        _draft_for_update(candidate.vote, changes_the_list=True)
        _event(candidate.vote, "candidate_remove", by, title=candidate.title)
        candidate.delete()


# --- opening, closing, cancelling -----------------------------------------------------------


def check_differential(*, candidates: int, seats: int, congress: Congress | None = None) -> None:
    """差额: candidates must exceed seats by the share of the seats in force at
    ``congress`` (docs/rules.md), else the installation's."""
    low, high = conf.differential_range(congress)
    # Integer arithmetic: 23 for 20 is exactly 15 %, with no rounding at the edges.
    extra = (candidates - seats) * 100
    if extra < low * seats or extra > high * seats:
        raise RuleViolation(
            _(
                "候选项目数须比应选项目数多%(low)s%%至%(high)s%%（应选%(seats)s项，候选项目应为"
                "%(fewest)s至%(most)s项），现有%(candidates)s项，不能开始投票。"
            )
            % {
                "low": low,
                "high": high,
                "seats": seats,
                "fewest": seats + -(-low * seats // 100),
                "most": seats + high * seats // 100,
                "candidates": candidates,
            }
        )


def vote_open(*, vote: LivelihoodVote, by: User) -> LivelihoodVote:
    """Start the vote: the differential is checked (not for a run-off, whose candidates
    are the tied ones), the electorate is frozen and the ballot box opened."""
    # Staff of the congress's region, or of the subdistrict's (selectors.manages).
    require_in_jurisdiction(by, vote_region(vote))
    with transaction.atomic():
        locked = LivelihoodVote.objects.select_for_update().filter(pk=vote.pk).first()
        if locked is None or locked.status != V.DRAFT:
            raise InvalidTransition()
        candidates = locked.candidates.count()
        if locked.is_runoff:
            if candidates <= locked.seats:
                raise RuleViolation(_("补充票决的候选项目数须多于应选项目数。"))
            _check_runoff_is_the_tie(locked)
        else:
            check_differential(candidates=candidates, seats=locked.seats, congress=vote.congress)
        # The representatives with a live seat, or a subdistrict's active delegates.
        voters = vote_voters(locked)
        if not voters:
            if by_delegates(locked):
                raise RuleViolation(_("该街道没有在任的议政代表，不能开始投票。"))
            raise RuleViolation(_("该人大没有在任代表，不能开始投票。"))
        electorate = len(voters)
        box = ballots.box_open(
            region=vote_region(locked),
            kind=BOX_KIND[BallotForm(locked.ballot_form)],
            seats=locked.seats,
            options=locked.candidates.order_by("order", "pk").values_list("pk", flat=True),
            voters=voters,
            by=by,
        )
        apply_transition(
            instance=locked,
            transitions=VOTE_TRANSITIONS,
            action="vote_open",
            by=by,
            case_type=VOTE_CASE,
            updates={"electorate": electorate, "opened_at": timezone.now(), "box": box},
            data={"candidates": candidates, "electorate": electorate},
        )
    vote.refresh_from_db()
    return vote


def vote_close(*, vote: LivelihoodVote, by: User) -> LivelihoodVote:
    """Close, open the ballot box and publish (``congress.ballots.services.box_close``:
    the ballots opened, shuffled and published, the key destroyed). Refused while a paper sheet has a reading but is not counted
    (entered once, or 有差异): the result is published at once, and a 人大 office does
    not announce a result with ballots from the box still on the desk. Sheets never
    entered are no reason to refuse (a representative may keep the ballot); the vote's
    page shows paper ballots counted against those handed out before the click."""
    # The lock waits for ballots and paper entries in flight (they hold share / no-key
    # locks on the vote row, see ``_lock_open`` and ``_enter_sheet``); any of them after
    # it finds the vote closed, so the check below cannot go stale before the UPDATE.
    # Staff of the congress's region, or of the subdistrict's (selectors.manages).
    require_in_jurisdiction(by, vote_region(vote))
    with transaction.atomic():
        locked = LivelihoodVote.objects.select_for_update().filter(pk=vote.pk).first()
        box = locked.box if locked is not None else None
        pending = [] if box is None else ballots.unsettled_sheets(box)
        if pending:
            shown = "、".join(str(n) for n in pending[:20])
            raise RuleViolation(
                _(
                    "还有%(count)s张纸质选票未完成双人录入（第%(sheets)s张）。请录入核对后再结束投票。"
                )
                % {"count": len(pending), "sheets": shown if len(pending) <= 20 else shown + "…"}
            )
        apply_transition(
            instance=vote,
            transitions=VOTE_TRANSITIONS,
            action="vote_close",
            by=by,
            case_type=VOTE_CASE,
            updates={"closed_at": timezone.now()},
        )
        if box is not None:
            ballots.box_close(box=box, by=by)
    return vote


def vote_cancel(*, vote: LivelihoodVote, by: User, reason: str = "") -> LivelihoodVote:
    # Staff of the congress's region, or of the subdistrict's (selectors.manages).
    require_in_jurisdiction(by, vote_region(vote))
    with transaction.atomic():
        apply_transition(
            instance=vote,
            transitions=VOTE_TRANSITIONS,
            action="vote_cancel",
            by=by,
            case_type=VOTE_CASE,
            note=reason,
        )
        box = LivelihoodVote.objects.get(pk=vote.pk).box
        if box is not None:
            ballots.box_discard(box=box, by=by)
    return vote


def _check_runoff_is_the_tie(runoff: LivelihoodVote) -> None:
    """A run-off opens only as it was made: the projects tied at the cut of the vote it
    follows, each once, for the seats they contend for. Read again from that vote's
    published tally, so a list changed by any route (the admin, a shell) is refused."""
    assert runoff.runoff_of is not None
    tally = vote_tally(runoff.runoff_of)

    tied = sorted((c.title, c.department_id or 0) for c in tally.tied)
    listed = sorted(
        (title, department_id or 0)
        for title, department_id in runoff.candidates.values_list("title", "department_id")
    )
    if listed != tied or runoff.seats != tally.runoff_seats:
        raise RuleViolation(
            _(
                "补充票决只能对原票决中得票相同的%(tied)s个项目进行，应选%(seats)s项；"
                "现有候选项目或应选项目数与此不符，不能开始投票。"
            )
            % {"tied": len(tied), "seats": tally.runoff_seats}
        )


def vote_runoff_create(*, from_vote: LivelihoodVote, by: User) -> LivelihoodVote:
    """The run-off (补充票决) of a closed vote's tie at the cut: a new draft vote with
    copies of the tied candidates, and only those, for the seats they contend for; the
    same congress, session and rules; no differential check applies.

    The tie is read from the published tally here, not taken from the caller, and it
    gets one run-off: the vote row is locked, and the database's unique run-off per
    vote (``vote_one_runoff_per_tie``) refuses a second one from a double click or from
    another staff member at the same instant. A cancelled run-off may be made again."""
    if from_vote.status != V.CLOSED:
        raise RuleViolation(_("只有已结束的票决可以发起补充票决。"))
    try:
        tally = vote_tally(from_vote)
        if not tally.tied:
            raise RuleViolation(_("本次票决没有需要补充票决的并列项目。"))
        with transaction.atomic():
            LivelihoodVote.objects.select_for_update().filter(pk=from_vote.pk).first()
            if live_runoff(from_vote) is not None:
                raise RunoffExists()
            runoff = _runoff_insert(from_vote, tally.tied, tally.runoff_seats, by)
    except IntegrityError:
        raise RunoffExists() from None
    except OperationalError as error:
        if ballots.is_busy(error):  # SQLite's one writer was busy: nothing was made
            raise BallotBusy(_("数据库繁忙，补充票决尚未创建，请再点一次。")) from None
        raise
    return runoff


def _runoff_insert(
    from_vote: LivelihoodVote, tied: list[Candidate], seats: int, by: User
) -> LivelihoodVote:
    with transaction.atomic():
        runoff = LivelihoodVote.objects.create(
            congress=from_vote.congress,
            session=from_vote.session,
            year=from_vote.year,
            title=_("%(title)s（补充票决）") % {"title": from_vote.title},
            seats=seats,
            ballot_form=from_vote.ballot_form,
            pass_base=from_vote.pass_base,
            runoff_of=from_vote,
            created_by=by,
        )
        Candidate.objects.bulk_create(
            [
                Candidate(
                    vote=runoff,
                    title=c.title,
                    summary=c.summary,
                    department_id=c.department_id,
                    budget=c.budget,
                    deadline=c.deadline,
                    order=n,
                )
                for n, c in enumerate(tied, start=1)
            ]
        )
        _event(runoff, "vote_create", by, runoff_of=from_vote.pk)
    return runoff


# --- the ballot ------------------------------------------------------------------------


def ballot_problem(vote: LivelihoodVote, *, approvals: int, unmarked: int = 0) -> str:
    """Why a ballot filled in like this cannot be cast, in plain words ("" if it can).

    ``approvals`` is the number of ticked projects (select forms), ``unmarked`` the number
    of projects left without a mark (approve-oppose-abstain). The ballot page shows the
    same sentence while the voter ticks, and the refusal of ``ballot_cast`` is it too."""
    return rules.ballot_problem(
        BOX_KIND[BallotForm(vote.ballot_form)],
        seats=vote.seats,
        approvals=approvals,
        unmarked=unmarked,
    )


def validated_marks(vote: LivelihoodVote, choices: Mapping[int, str]) -> None:
    """Refuse, before anything is saved, a ballot that ``ballot_cast`` would refuse (the
    review step's check)."""
    if vote.box is None:
        raise VoteNotOpen()
    _approvals_only(vote, choices, _("本次票决只需勾选赞成的项目。"))
    ballots.validated(vote.box, choices)


def _approvals_only(vote: LivelihoodVote, choices: Mapping[int, str], refusal: str) -> None:
    if vote.ballot_form != BallotForm.PER_CANDIDATE and any(
        str(choice) != "approve" for choice in choices.values()
    ):
        raise RuleViolation(refusal)


# The core's refusals, in this vote's words.
OUR_WORDS: dict[type[ballot_errors.DomainError], type[ballot_errors.DomainError]] = {
    ballot_errors.AlreadyVoted: AlreadyVoted,
    ballot_errors.NotAnElector: NotAnElector,
    ballot_errors.VoteNotOpen: VoteNotOpen,
    ballot_errors.BallotBusy: BallotBusy,
    ballot_errors.SheetCounted: SheetCounted,
    ballot_errors.SheetAlreadyEntered: SheetAlreadyEntered,
}


def _ours(error: ballot_errors.DomainError) -> ballot_errors.DomainError:
    ours = OUR_WORDS.get(type(error))
    if ours is None:
        return error
    default = type(error).default_message
    return ours() if error.message == default else ours(error.message)


def outside_the_electorate(vote: LivelihoodVote, voter: Voter | None) -> NotAnElector:
    """The refusal of a voter the vote's electorate does not hold, in plain words: a
    representative in a subdistrict's vote (its 议政会 votes), a delegate in a
    congress's, a delegate of another subdistrict."""
    cycle = subdistrict_cycle(vote)
    if cycle is None:
        if isinstance(voter, VoterDelegate):
            return NotAnElector(_("本次票决由人大代表投票，议政代表不参加。"))
        return NotAnElector()
    return NotAnElector(
        _("本次票决由%(region)s议政会的议政代表投票，您不在本次票决的投票人名单中。")
        % {"region": cycle.region.name}
    )


def ballot_cast(
    *,
    vote: LivelihoodVote,
    choices: Mapping[int, str],
    by: User,
    voter: Voter | None = None,
    representative: Representative | None = None,
) -> str:
    """Cast a voter's secret ballot online; returns the receipt (shown once). The voter
    is a representative, or in a subdistrict's vote a voter delegate with a login
    (``representative=`` is the older name of ``voter=``).

    The core seals it (``congress.ballots.services.ballot_cast``): one ballot per
    representative by the database (50 concurrent clicks make one ballot and 49
    ``AlreadyVoted``), nothing in the clear, nothing else written. A busy database is
    ``BallotBusy``: nothing was written and the voter may simply submit again."""
    voter = voter if voter is not None else representative
    if voter is None or voter.user_id is None or voter.user_id != by.pk:
        raise NotAnElector()
    try:
        # The checks read too: a busy SQLite here is the same clean refusal as in the core.
        if not of_its_kind(vote, voter):
            raise outside_the_electorate(vote, voter)
        if vote.status != V.OPEN or vote.box is None:
            raise VoteNotOpen()
        _approvals_only(vote, choices, _("本次票决只需勾选赞成的项目。"))
    except OperationalError as error:
        if ballots.is_busy(error):
            raise BallotBusy() from None
        raise
    try:
        return ballots.ballot_cast(box=vote.box, voter=voter.pk, choices=choices)
    except ballot_errors.NotAnElector:
        raise outside_the_electorate(vote, voter) from None
    except ballot_errors.DomainError as error:
        raise _ours(error) from None


# --- in the hall: paper ballots ------------------------------------------------------------


def participation_sign_in(
    *,
    vote: LivelihoodVote,
    by: User,
    voter: Voter | None = None,
    representative: Representative | None = None,
) -> None:
    """签到领票: staff record that a representative (in a subdistrict's vote, a voter
    delegate) in the hall received a paper ballot. It is the same elector row as an
    online vote, so whoever signed in cannot vote online too (and the other way round).
    ``representative=`` is the older name of ``voter=``."""
    voter = voter if voter is not None else representative
    assert voter is not None
    if by_delegates(vote):
        if not isinstance(voter, VoterDelegate) or vote.box is None:
            raise outside_the_electorate(vote, voter)
    elif (
        vote.box is None
        or not isinstance(voter, Representative)
        or not holds_seat(voter, vote.congress)
    ):
        raise NotAnElector(_("该代表不是本级人大的在任代表。"))
    try:
        _sign_in(vote, voter, by)
    except OperationalError as error:
        if ballots.is_busy(error):  # SQLite's one writer was busy: nothing was saved
            raise BallotBusy(_("数据库繁忙，签到尚未保存，请再提交一次。")) from None
        raise


def _sign_in(vote: LivelihoodVote, voter: Voter, by: User) -> None:
    assert vote.box is not None
    with transaction.atomic():
        try:
            ballots.elector_sign_in(box=vote.box, voter=voter.pk, by=by)
        except ballot_errors.AlreadyVoted as error:
            if error.message == BallotSource.ONLINE:
                raise AlreadyVoted(_("该代表已在网上投票，不能再领取纸质选票。")) from None
            raise AlreadyVoted(_("该代表已签到领取纸质选票。")) from None
        except ballot_errors.NotAnElector:
            if isinstance(voter, VoterDelegate):
                raise NotAnElector(_("该议政代表不在本次票决开始时的议政代表名单中。")) from None
            raise NotAnElector(_("该代表不在本次票决开始时的代表名单中。")) from None
        except ballot_errors.DomainError as error:
            raise _ours(error) from None
        # Who handed a paper ballot to whom, and when: the hall's record, as a
        # roll call is. A paper ballot carries no name, so this links to no ballot.
        if isinstance(voter, VoterDelegate):
            _audit(vote, "paper_sign_in", by, voter_delegate=voter.pk)
        else:
            _audit(vote, "paper_sign_in", by, representative=voter.pk)


def paper_sheet_enter(
    *, vote: LivelihoodVote, sheet: int, choices: Mapping[int, str], by: User
) -> str:
    """双人录入: one staff member's reading of paper sheet number ``sheet``.

    The sheet is counted (sealed into the box; void at the close if it breaks the
    form's rule) as soon as two different staff have entered the same reading. Until
    then every reading is kept as a keyed digest; readings that disagree leave the
    sheet 有差异 (the desk shows who read it, never what: nothing per project shows
    before the close), and a further person, reading the paper again, settles it: the
    reading theirs agrees with stands. Nobody enters a sheet twice, a counted sheet is
    closed, and sheet numbers run from 1 to the number of paper ballots handed out.

    Returns ``SHEET_WAITING``, ``SHEET_DIFFERS`` or ``SHEET_COUNTED``."""
    if vote.status != V.OPEN or vote.box is None:
        raise VoteNotOpen(_("本次票决不在投票期间，不能录入纸质选票。"))
    _approvals_only(vote, choices, _("本次票决只需录入赞成的项目。"))
    try:
        with transaction.atomic():
            outcome = ballots.paper_reading_enter(box=vote.box, sheet=sheet, choices=choices, by=by)
            # The trail says who entered which sheet number and what came of it; never
            # the marks (those are sealed) nor a receipt.
            _audit(vote, "paper_sheet_enter", by, sheet=sheet, outcome=outcome)
    except ballot_errors.DomainError as error:
        raise _ours(error) from None
    except OperationalError as error:
        if ballots.is_busy(error):  # SQLite's one writer was busy: nothing was saved
            raise BallotBusy(_("数据库繁忙，本次录入尚未保存，请再提交一次。")) from None
        raise
    return outcome


def unsettled_sheets(vote: LivelihoodVote) -> list[int]:
    """Sheets with a reading but no ballot yet (entered once, or 有差异)."""
    return [] if vote.box is None else ballots.unsettled_sheets(vote.box)
