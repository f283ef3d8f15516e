"""Every write of the livelihood-project vote: ``<entity>_<action>(*, ..., by=user)``.

Status changes go through ``congress.workflow.apply_transition`` with the table in
``workflow.py`` (compare-and-set, an event row); opening, closing and cancelling also
write the audit trail. A refusal raises a domain error and changes nothing.

``ballot_cast`` is the secret ballot: one transaction inserts who voted
(``Participation``, unique per vote and representative) and then what was voted
(``Ballot`` and its marks), with nothing that links the two. It writes no event and no
audit row: the participation is the only record of who voted.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.audit import audit_record
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
    Ballot,
    BallotForm,
    BallotMark,
    BallotSource,
    Candidate,
    LivelihoodVote,
    Mark,
    PaperBallotEntry,
    VoteStatus,
)
from livelihood_votes.selectors import electorate_of, holds_seat, live_runoff, vote_tally
from livelihood_votes.workflow import VOTE_CASE, VOTE_TRANSITIONS
from representatives.models import Representative

V = VoteStatus
# No 0/O or 1/I/L: a receipt is read off a phone and typed into a search box.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


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
    by: User,
) -> LivelihoodVote:
    """A draft vote; the pass rule in force today is copied onto it."""
    require_in_jurisdiction(by, congress.region)
    if seats < 1:
        raise RuleViolation(_("应选项目数至少为1。"))
    if session is not None and session.term.congress_id != congress.pk:
        raise RuleViolation(_("所选会议不是该人大的会议。"))
    with transaction.atomic():
        vote = LivelihoodVote.objects.create(
            congress=congress,
            session=session,
            title=title,
            year=year,
            seats=seats,
            ballot_form=ballot_form,
            pass_base=conf.pass_base(),
            created_by=by,
        )
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
    require_in_jurisdiction(by, vote.congress.region, department.region if department else None)
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


def candidate_edit(*, candidate: Candidate, by: User, **fields: Any) -> Candidate:
    unknown = set(fields) - set(CANDIDATE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    department = fields.get("department")
    require_in_jurisdiction(
        by, candidate.vote.congress.region, department.region if department else None
    )
    with transaction.atomic():
        _draft_for_update(candidate.vote)
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


def check_differential(*, candidates: int, seats: int) -> None:
    """差额: candidates must exceed seats by the configured share of the seats."""
    low, high = conf.differential_range()
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
    are the tied ones) and the electorate is frozen."""
    with transaction.atomic():
        locked = LivelihoodVote.objects.select_for_update().filter(pk=vote.pk).first()
        if locked is None or locked.status != V.DRAFT:
            raise InvalidTransition()
        candidates = locked.candidates.count()
        if locked.is_runoff:
            if candidates <= locked.seats:
                raise RuleViolation(_("补充票决的候选项目数须多于应选项目数。"))
        else:
            check_differential(candidates=candidates, seats=locked.seats)
        electorate = electorate_of(locked.congress)
        if electorate == 0:
            raise RuleViolation(_("该人大没有在任代表，不能开始投票。"))
        apply_transition(
            instance=locked,
            transitions=VOTE_TRANSITIONS,
            action="vote_open",
            by=by,
            case_type=VOTE_CASE,
            updates={"electorate": electorate, "opened_at": timezone.now()},
            data={"candidates": candidates, "electorate": electorate},
        )
    vote.refresh_from_db()
    return vote


def vote_close(*, vote: LivelihoodVote, by: User) -> LivelihoodVote:
    """Close and publish. Refused while a paper sheet has a reading but is not counted
    (entered once, or 有差异): the result is published at once, and a 人大 office does
    not announce a result with ballots from the box still on the desk. Sheets never
    entered are no reason to refuse (a representative may keep the ballot); the vote's
    page shows paper ballots counted against those handed out before the click."""
    # The lock waits for ballots and paper entries in flight (they hold share / no-key
    # locks on the vote row, see ``_lock_open`` and ``_enter_sheet``); any of them after
    # it finds the vote closed, so the check below cannot go stale before the UPDATE.
    with transaction.atomic():
        LivelihoodVote.objects.select_for_update().filter(pk=vote.pk).first()
        pending = unsettled_sheets(vote)
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
    return vote


def vote_cancel(*, vote: LivelihoodVote, by: User, reason: str = "") -> LivelihoodVote:
    with transaction.atomic():
        apply_transition(
            instance=vote,
            transitions=VOTE_TRANSITIONS,
            action="vote_cancel",
            by=by,
            case_type=VOTE_CASE,
            note=reason,
        )
    return vote


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
    tally = vote_tally(from_vote)
    if not tally.tied:
        raise RuleViolation(_("本次票决没有需要补充票决的并列项目。"))
    try:
        with transaction.atomic():
            LivelihoodVote.objects.select_for_update().filter(pk=from_vote.pk).first()
            if live_runoff(from_vote) is not None:
                raise RunoffExists()
            runoff = _runoff_insert(from_vote, tally.tied, tally.runoff_seats, by)
    except IntegrityError:
        raise RunoffExists() from None
    except OperationalError as error:
        if _is_busy(error):  # SQLite's one writer was busy: nothing was made
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


def new_receipt() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalise_receipt(text: str) -> str:
    """What a voter types (spaces, lower case, no dashes) in the stored form."""
    code = "".join(ch for ch in text.upper() if ch in RECEIPT_ALPHABET)
    return f"{code[:4]}-{code[4:8]}-{code[8:]}" if len(code) == 12 else text.strip().upper()


def ballot_problem(vote: LivelihoodVote, *, approvals: int, unmarked: int = 0) -> str:
    """Why a ballot filled in like this cannot be cast, in plain words ("" if it can).

    ``approvals`` is the number of ticked projects (select forms), ``unmarked`` the number
    of projects left without a mark (approve-oppose-abstain). The ballot page shows the
    same sentence while the voter ticks, and the refusal of ``ballot_cast`` is it too."""
    seats = vote.seats
    if vote.ballot_form == BallotForm.PER_CANDIDATE:
        if unmarked:
            return _("还有%(count)s个项目没有表态，请对每个项目选择赞成、反对或弃权。") % {
                "count": unmarked
            }
        return ""
    numbers = {"count": approvals, "seats": seats, "diff": abs(approvals - seats)}
    if vote.ballot_form == BallotForm.EXACTLY_N and approvals < seats:
        return _("您选了%(count)s项，须正好选%(seats)s项，请再选%(diff)s项。") % numbers
    if vote.ballot_form == BallotForm.EXACTLY_N and approvals > seats:
        return _("您选了%(count)s项，须正好选%(seats)s项，请取消%(diff)s项。") % numbers
    if approvals > seats:
        # On paper this ballot would be void; online it is refused before it is cast.
        return _("您选了%(count)s项，最多可选%(seats)s项，请取消%(diff)s项。") % numbers
    return ""


def validated_marks(vote: LivelihoodVote, choices: Mapping[int, str]) -> dict[int, str]:
    """The ballot's marks by candidate id, or a refusal before anything is saved.

    ``choices`` maps candidate ids to a mark: on a select form only ``approve`` (the
    ticked projects); on an approve-oppose-abstain form one mark per project."""
    candidate_ids = set(vote.candidates.values_list("pk", flat=True))
    marks = {int(pk): str(choice) for pk, choice in choices.items()}
    if set(marks) - candidate_ids:
        raise RuleViolation(_("选票上有不属于本次票决的项目。"))
    if any(choice not in Mark.values for choice in marks.values()):
        raise RuleViolation(_("选票上有无法识别的意见。"))
    approvals = sum(1 for choice in marks.values() if choice == Mark.APPROVE)
    if vote.ballot_form != BallotForm.PER_CANDIDATE and approvals != len(marks):
        raise RuleViolation(_("本次票决只需勾选赞成的项目。"))
    problem = ballot_problem(vote, approvals=approvals, unmarked=len(candidate_ids - set(marks)))
    if problem:
        raise RuleViolation(problem)
    return marks


def _lock_open(vote: LivelihoodVote) -> None:
    """Hold a share lock on the vote row until the ballot commits, and check it is open.

    Ballots share the lock with each other; ``vote_close``'s UPDATE waits for them, so no
    ballot lands after the vote closed. SQLite has one writer at a time (the transaction
    began IMMEDIATE), which gives the same guarantee."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(LivelihoodVote._meta.db_table)
            cursor.execute(f"SELECT status FROM {table} WHERE id = %s FOR SHARE", [vote.pk])  # noqa: S608 - the table name is ours
            row = cursor.fetchone()
        status = row[0] if row else None
    else:
        status = LivelihoodVote.objects.filter(pk=vote.pk).values_list("status", flat=True).first()
    if status != V.OPEN:
        raise VoteNotOpen()


def _is_busy(error: OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def ballot_cast(
    *,
    vote: LivelihoodVote,
    representative: Representative,
    choices: Mapping[int, str],
    by: User,
) -> str:
    """Cast a representative's secret ballot online; returns the receipt (shown once).

    In one transaction: the participation row (the database's unique constraint is the
    one-ballot rule, so 50 concurrent clicks make one ballot and 49 ``AlreadyVoted``),
    then the ballot and its marks, which name no one. A busy database is
    ``BallotBusy``: nothing was written and the voter may simply submit again."""
    if representative.user_id is None or representative.user_id != by.pk:
        raise NotAnElector()
    if vote.status != V.OPEN:
        raise VoteNotOpen()
    try:
        return _cast_online(vote, representative, choices)
    except OperationalError as error:
        if _is_busy(error):
            raise BallotBusy() from None
        raise


def _cast_online(
    vote: LivelihoodVote, representative: Representative, choices: Mapping[int, str]
) -> str:
    if not holds_seat(representative, vote.congress):
        raise NotAnElector()
    marks = validated_marks(vote, choices)
    with transaction.atomic():
        _lock_open(vote)
        try:
            with transaction.atomic():
                vote.participations.create(representative=representative)
        except IntegrityError:
            raise AlreadyVoted() from None
        ballot = _new_ballot(vote, BallotSource.ONLINE)
        BallotMark.objects.bulk_create(
            [BallotMark(ballot=ballot, candidate_id=pk, choice=c) for pk, c in marks.items()]
        )
    return ballot.receipt


# --- in the hall: paper ballots ------------------------------------------------------------


def participation_sign_in(
    *, vote: LivelihoodVote, representative: Representative, by: User
) -> None:
    """签到领票: staff record that a representative in the hall received a paper ballot.
    It is the same unique row as an online vote, so whoever signed in cannot vote online
    too (and the other way round)."""
    if not holds_seat(representative, vote.congress):
        raise NotAnElector(_("该代表不是本级人大的在任代表。"))
    with transaction.atomic():
        _lock_open(vote)
        try:
            with transaction.atomic():
                vote.participations.create(
                    representative=representative, channel=BallotSource.PAPER
                )
        except IntegrityError:
            channel = (
                vote.participations.filter(representative=representative)
                .values_list("channel", flat=True)
                .first()
            )
            if channel == BallotSource.ONLINE:
                raise AlreadyVoted(_("该代表已在网上投票，不能再领取纸质选票。")) from None
            raise AlreadyVoted(_("该代表已签到领取纸质选票。")) from None
        # Who handed a paper ballot to whom, and when: the hall's record, as a
        # roll call is. A paper ballot carries no name, so this links to no ballot.
        _audit(vote, "paper_sign_in", by, representative=representative.pk)


def _paper_void_reason(vote: LivelihoodVote, marks: Mapping[int, str]) -> str:
    """A paper ballot that breaks the form's rule is void, not refused: it was cast, and
    the count of ballots must match the count handed out (docs/architecture.md, 'The
    livelihood-project vote')."""
    approvals = sum(1 for choice in marks.values() if choice == Mark.APPROVE)
    if vote.ballot_form == BallotForm.PER_CANDIDATE:
        return ""
    if approvals > vote.seats:
        return _("赞成项目超过应选项目数")
    if vote.ballot_form == BallotForm.EXACTLY_N and approvals != vote.seats:
        return _("赞成项目数不等于应选项目数")
    return ""


def paper_reading(vote: LivelihoodVote, choices: Mapping[int, str]) -> dict[str, str]:
    """A reading of a paper sheet as stored on ``PaperBallotEntry.marks``: candidate id
    (a string, as JSON keys are) → mark. On an approve-oppose-abstain ballot a project
    left unmarked is 弃权, so a blank and an explicit 弃权 read the same; on a select
    ballot only the ticked projects. Too many ticks is no refusal here (the ballot is
    void when it is counted)."""
    candidate_ids = set(vote.candidates.values_list("pk", flat=True))
    marks = {int(pk): str(choice) for pk, choice in choices.items()}
    if set(marks) - candidate_ids or any(c not in Mark.values for c in marks.values()):
        raise RuleViolation(_("选票上有不属于本次票决的项目或无法识别的意见。"))
    if vote.ballot_form == BallotForm.PER_CANDIDATE:
        marks = {pk: marks.get(pk, Mark.ABSTAIN) for pk in candidate_ids}
    elif any(choice != Mark.APPROVE for choice in marks.values()):
        raise RuleViolation(_("本次票决只需录入赞成的项目。"))
    return {str(pk): marks[pk] for pk in sorted(marks)}


# What became of an entry: the sheet's first reading (or one more that agrees with no
# other), a reading that disagrees with another (有差异), or the second agreeing
# reading, which counted the sheet.
SHEET_WAITING, SHEET_DIFFERS, SHEET_COUNTED = "waiting", "differs", "counted"


def paper_sheet_enter(
    *, vote: LivelihoodVote, sheet: int, choices: Mapping[int, str], by: User
) -> str:
    """双人录入: one staff member's reading of paper sheet number ``sheet``.

    The sheet is counted (its ballot made, void if it breaks the form's rule) as soon as
    two different staff have entered the same reading. Until then every reading is
    kept; readings that disagree leave the sheet 有差异 (the desk shows who read it, never
    what: nothing per project shows before the close), and a further person, reading
    the paper again, settles it: the reading theirs agrees with stands. Nobody enters a
    sheet twice (they could otherwise confirm their own mistake), a counted sheet is
    closed, and sheet numbers run from 1 to the number of paper ballots handed out, so
    there are never more paper ballots than were handed out.

    Returns ``SHEET_WAITING``, ``SHEET_DIFFERS`` or ``SHEET_COUNTED``."""
    reading = paper_reading(vote, choices)
    try:
        return _enter_sheet(vote, sheet, reading, by)
    except IntegrityError:
        # Another request got there first: the same person's second click (their entry
        # is in), or another person whose agreeing reading counted the sheet.
        if Ballot.objects.filter(vote=vote, sheet=sheet).exists():
            raise SheetCounted() from None
        raise SheetAlreadyEntered() from None
    except OperationalError as error:
        if _is_busy(error):
            raise BallotBusy(_("数据库繁忙，本次录入尚未保存，请再提交一次。")) from None
        raise


def _enter_sheet(vote: LivelihoodVote, sheet: int, reading: dict[str, str], by: User) -> str:
    with transaction.atomic():
        # One paper entry of a vote at a time (a row lock that online ballots' share
        # locks do not wait on for long: an entry is a few rows): two readings of the
        # same sheet typed at the same instant must see each other, or two agreeing
        # readings would both be stored as "first" and the sheet never counted. The
        # unique (vote, sheet) on Ballot still makes one ballot if this lock were lost.
        # SQLite has one writer at a time (IMMEDIATE), which gives the same guarantee.
        status = (
            LivelihoodVote.objects.select_for_update(no_key=True)
            .filter(pk=vote.pk)
            .values_list("status", flat=True)
            .first()
        )
        if status != V.OPEN:
            raise VoteNotOpen(_("本次票决不在投票期间，不能录入纸质选票。"))
        handed_out = vote.participations.filter(channel=BallotSource.PAPER).count()
        if not 1 <= sheet <= handed_out:
            raise RuleViolation(
                _("选票编号须在1至%(count)s之间（已发出纸质选票%(count)s张）。")
                % {"count": handed_out}
            )
        if Ballot.objects.filter(vote=vote, sheet=sheet).exists():
            raise SheetCounted(_("第%(sheet)s张选票已计入，不能再录入。") % {"sheet": sheet})
        others = list(vote.paper_entries.filter(sheet=sheet).values_list("entered_by_id", "marks"))
        if any(user_id == by.pk for user_id, _marks in others):
            raise SheetAlreadyEntered(
                _("您已录入过第%(sheet)s张选票，须由另一位工作人员录入核对。") % {"sheet": sheet}
            )
        PaperBallotEntry.objects.create(vote=vote, sheet=sheet, entered_by=by, marks=reading)
        if any(marks == reading for _user_id, marks in others):
            _paper_ballot_make(vote, sheet, {int(pk): mark for pk, mark in reading.items()})
            outcome = SHEET_COUNTED
        else:
            outcome = SHEET_DIFFERS if others else SHEET_WAITING
        # The trail says who entered which sheet number and what came of it; never the
        # marks (those are on the entry) nor the ballot's receipt.
        _audit(vote, "paper_sheet_enter", by, sheet=sheet, outcome=outcome)
    return outcome


def _paper_ballot_make(vote: LivelihoodVote, sheet: int, marks: Mapping[int, str]) -> Ballot:
    """The ballot of a sheet two readings agreed on. Only ``paper_sheet_enter`` calls
    it, inside its transaction: there is no single-entry way to put a paper ballot in."""
    ballot = _new_ballot(vote, BallotSource.PAPER, _paper_void_reason(vote, marks), sheet=sheet)
    BallotMark.objects.bulk_create(
        [BallotMark(ballot=ballot, candidate_id=pk, choice=c) for pk, c in marks.items()]
    )
    return ballot


def unsettled_sheets(vote: LivelihoodVote) -> list[int]:
    """Sheets with a reading but no ballot yet (entered once, or 有差异)."""
    counted = Ballot.objects.filter(vote=vote, sheet__isnull=False).values("sheet")
    return sorted(
        set(
            vote.paper_entries.exclude(sheet__in=counted).values_list("sheet", flat=True).distinct()
        )
    )


def _new_ballot(
    vote: LivelihoodVote, source: str, void_reason: str = "", sheet: int | None = None
) -> Ballot:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Ballot.objects.create(
                    vote=vote,
                    receipt=new_receipt(),
                    source=source,
                    void=bool(void_reason),
                    void_reason=void_reason,
                    sheet=sheet,
                )
        except IntegrityError:
            if sheet is not None and Ballot.objects.filter(vote=vote, sheet=sheet).exists():
                raise  # the sheet is counted already: no new receipt helps
            continue  # a receipt drawn twice (one in 10^17): draw again
    raise RuntimeError("could not draw a unique receipt")
