"""Every write of the secret ballot: open a box, cast, sign in for paper, enter a paper
reading, close, discard.

Casting (``ballot_cast``) writes two rows in one transaction and nothing else: the
elector's ``channel`` (a compare-and-set under the unique (box, voter), so 50 concurrent
clicks make one ballot) and the ``SealedBallot``. No event, no audit row, no log line, no
task: those would carry the voter's identity and a time beside the ballot. The sealed
row can be tied to the elector's row (the same transaction), but it cannot be opened
without the key file, and the close replaces it with a published row that carries
nothing of it: a new random key, a place in a shuffled order, one transaction for all.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.ballots import rules, sealing
from congress.ballots.errors import (
    AlreadyVoted,
    BallotBusy,
    KeyUnavailable,
    NotAnElector,
    ResultsNotPublished,
    SheetAlreadyEntered,
    SheetCounted,
    VoteNotOpen,
)
from congress.errors import RuleViolation
from congress.models import Region, User
from congress.models.ballots import (
    BallotBox,
    BallotKind,
    BallotSource,
    BoxStatus,
    Elector,
    PaperReading,
    PublishedBallot,
    SealedBallot,
)
from congress.scoping import require_in_jurisdiction

# No 0/O or 1/I/L: a receipt is read off a phone and typed into a search box.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_receipt() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalise_receipt(text: str) -> str:
    """What a voter types (spaces, lower case, no dashes) in the stored form."""
    code = "".join(ch for ch in text.upper() if ch in RECEIPT_ALPHABET)
    return f"{code[:4]}-{code[4:8]}-{code[8:]}" if len(code) == 12 else text.strip().upper()


def is_busy(error: OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


# --- opening ---------------------------------------------------------------------------


def box_open(
    *,
    region: Region,
    kind: str,
    options: Iterable[int],
    voters: Iterable[int],
    seats: int = 0,
    form: Mapping[str, Any] | None = None,
    by: User | None,
) -> BallotBox:
    """Open a box: its key pair (the private key to its file, the public key on the
    row), its form and its electorate, frozen (a voter's later seat change changes
    nothing). ``form`` is stored as ``BallotBox.form``: a score box's is required
    (``rules.ScoreForm.definition``: its scale, weights and cells, which must be the
    box's options), so no ballot is cast into a box whose scale or weights are unknown."""
    require_in_jurisdiction(by, region)
    if kind not in BallotKind.values:
        raise RuleViolation(_("未知的选票形式。"))
    option_ids = [int(option) for option in options]
    if not option_ids:
        raise RuleViolation(_("没有可投票的选项。"))
    definition = dict(form or {})
    if kind == BallotKind.SCORE:
        cells = [cell for item in definition.get("items", []) for cell in item["cells"]]
        if not definition.get("scale") or cells != option_ids:
            raise RuleViolation(_("评分选票须有评分表，且其各项须与选项一致。"))
    electorate = sorted(set(int(v) for v in voters))
    box = BallotBox(region=region, kind=kind, seats=seats, options=option_ids, form=definition)
    box.electorate = len(electorate)
    box.public_key = sealing.new_key_pair(box.pk)
    with transaction.atomic():
        box.save(force_insert=True)
        Elector.objects.bulk_create(
            [Elector(box=box, voter=voter) for voter in electorate], batch_size=2000
        )
    return box


# --- casting ---------------------------------------------------------------------------


def lock_open(box: BallotBox) -> None:
    """Hold a share lock on the box row until the ballot commits, and check it is open.

    Ballots share the lock with each other; ``box_close``'s row lock waits for them, so
    no ballot lands after the close. SQLite has one writer at a time (transactions
    begin IMMEDIATE), which gives the same guarantee."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(BallotBox._meta.db_table)
            cursor.execute(f"SELECT status FROM {table} WHERE id = %s FOR SHARE", [box.pk])  # noqa: S608 - the table name is ours
            row = cursor.fetchone()
        status = row[0] if row else None
    else:
        status = BallotBox.objects.filter(pk=box.pk).values_list("status", flat=True).first()
    if status != BoxStatus.OPEN:
        raise VoteNotOpen()


def validated(box: BallotBox, choices: Mapping[Any, Any]) -> rules.Marks:
    """The ballot in its stored shape, or the refusal an online ballot gets."""
    marks = rules.read_marks(box.kind, box.options, choices)
    problem = rules.online_problem(box.kind, box.seats, box.options, marks, box.form)
    if problem:
        raise RuleViolation(problem)
    return marks


def ballot_cast(*, box: BallotBox, voter: int, choices: Mapping[Any, Any]) -> str:
    """Cast ``voter``'s ballot online; returns the receipt (shown to the voter once,
    kept only inside the sealed ballot). The caller has checked that the signed-in user
    is ``voter``. Refused: not open, not an elector, voted already, a ballot that breaks
    the form; a busy SQLite is ``BallotBusy`` (nothing written, submit again)."""
    marks = validated(box, choices)
    receipt = new_receipt()
    sealed = sealing.seal(
        box.public_key, {"r": receipt, "m": marks}, rules.padded_size(box.kind, box.options)
    )
    try:
        with transaction.atomic():
            lock_open(box)
            taken = Elector.objects.filter(box=box, voter=voter, channel__isnull=True).update(
                channel=BallotSource.ONLINE
            )
            if not taken:
                if Elector.objects.filter(box=box, voter=voter).exists():
                    raise AlreadyVoted()
                raise NotAnElector()
            SealedBallot.objects.create(box=box, sealed=sealed, source=BallotSource.ONLINE)
    except OperationalError as error:
        if is_busy(error):
            raise BallotBusy() from None
        raise
    return receipt


# --- in the hall: paper ----------------------------------------------------------------


def elector_sign_in(*, box: BallotBox, voter: int, by: User) -> None:
    """签到领票: a voter in the hall is handed a paper ballot; the same row as an online
    vote, so nobody does both. Raises ``AlreadyVoted`` with the channel they used."""
    require_in_jurisdiction(by, box.region)
    with transaction.atomic():
        lock_open(box)
        taken = Elector.objects.filter(box=box, voter=voter, channel__isnull=True).update(
            channel=BallotSource.PAPER
        )
        if taken:
            return
        channel = Elector.objects.filter(box=box, voter=voter).values_list("channel", flat=True)
        if not channel:
            raise NotAnElector()
        raise AlreadyVoted(channel[0])


# What became of a reading: the sheet's first (or one more that agrees with no other),
# one that disagrees with another (有差异), or the second agreeing one, which counted it.
SHEET_WAITING, SHEET_DIFFERS, SHEET_COUNTED = "waiting", "differs", "counted"


def paper_reading_enter(*, box: BallotBox, sheet: int, choices: Mapping[Any, Any], by: User) -> str:
    """双人录入: one staff member's reading of paper sheet ``sheet``. The sheet is counted
    (its reading sealed into the box, void or not is decided at the close) when two
    different staff have entered the same reading; nobody enters a sheet twice; sheet
    numbers run to the paper ballots handed out. Only a keyed digest of each reading is
    stored, so the desk never holds a count in the clear."""
    require_in_jurisdiction(by, box.region)
    marks = rules.read_marks(box.kind, box.options, choices)
    if box.kind == BallotKind.PER_OPTION:  # an unmarked project on paper is 弃权
        marks = {str(o): marks.get(str(o), "abstain") for o in box.options}
    try:
        key = sealing.private_key(box.pk)
    except sealing.KeyMissing:
        raise KeyUnavailable() from None
    digest = sealing.paper_digest(key, sheet, marks)
    try:
        return _enter_reading(box, sheet, marks, digest, by)
    except IntegrityError:
        # Another request got there first: this person's second click, or another
        # person whose agreeing reading counted the sheet.
        if SealedBallot.objects.filter(box=box, sheet=sheet).exists():
            raise SheetCounted() from None
        raise SheetAlreadyEntered() from None
    except OperationalError as error:
        if is_busy(error):
            raise BallotBusy(_("数据库繁忙，本次录入尚未保存，请再提交一次。")) from None
        raise


def _enter_reading(box: BallotBox, sheet: int, marks: rules.Marks, digest: str, by: User) -> str:
    with transaction.atomic():
        # One paper entry of a box at a time: two readings of one sheet typed at the
        # same instant must see each other, or both would be stored as "first". Online
        # ballots' share locks do not wait on it for long (an entry is a few rows).
        status = (
            BallotBox.objects.select_for_update(no_key=True)
            .filter(pk=box.pk)
            .values_list("status", flat=True)
            .first()
        )
        if status != BoxStatus.OPEN:
            raise VoteNotOpen(_("本次投票不在投票期间，不能录入纸质选票。"))
        handed_out = Elector.objects.filter(box=box, channel=BallotSource.PAPER).count()
        if not 1 <= sheet <= handed_out:
            raise RuleViolation(
                _("选票编号须在1至%(count)s之间（已发出纸质选票%(count)s张）。")
                % {"count": handed_out}
            )
        if SealedBallot.objects.filter(box=box, sheet=sheet).exists():
            raise SheetCounted(_("第%(sheet)s张选票已计入，不能再录入。") % {"sheet": sheet})
        others = list(box.readings.filter(sheet=sheet).values_list("entered_by_id", "digest"))
        if any(user_id == by.pk for user_id, _digest in others):
            raise SheetAlreadyEntered(
                _("您已录入过第%(sheet)s张选票，须由另一位工作人员录入核对。") % {"sheet": sheet}
            )
        PaperReading.objects.create(box=box, sheet=sheet, entered_by=by, digest=digest)
        if any(other == digest for _user_id, other in others):
            sealed = sealing.seal(
                box.public_key,
                {"r": new_receipt(), "m": marks},
                rules.padded_size(box.kind, box.options),
            )
            SealedBallot.objects.create(
                box=box, sealed=sealed, source=BallotSource.PAPER, sheet=sheet
            )
            return SHEET_COUNTED
        return SHEET_DIFFERS if others else SHEET_WAITING


def unsettled_sheets(box: BallotBox) -> list[int]:
    """Sheets with a reading but no ballot yet (entered once, or 有差异)."""
    counted = SealedBallot.objects.filter(box=box, sheet__isnull=False).values("sheet")
    return sorted(
        set(box.readings.exclude(sheet__in=counted).values_list("sheet", flat=True).distinct())
    )


# --- the close -------------------------------------------------------------------------


def box_close(*, box: BallotBox, by: User | None) -> BallotBox:
    """Open the sealed ballots, shuffle them (the operating system's random source) and
    write them as the published list in one transaction; delete the sealed rows and,
    once that has committed, destroy the key file. The counts are written on the box.

    Call it inside the feature's transaction that closes its vote. The row lock waits
    for ballots in flight (they hold share locks); any after it find the box closed."""
    require_in_jurisdiction(by, box.region)
    locked = BallotBox.objects.select_for_update().get(pk=box.pk)
    if locked.status != BoxStatus.OPEN:
        raise VoteNotOpen()
    try:
        key = sealing.private_key(box.pk)
    except sealing.KeyMissing:
        raise KeyUnavailable() from None
    published = []
    for source, sheet, sealed in SealedBallot.objects.filter(box=box).values_list(
        "source", "sheet", "sealed"
    ):
        ballot = sealing.unseal(key, sealed)
        marks = ballot["m"]
        reason = "" if source == BallotSource.ONLINE else _void(locked, marks)
        published.append(
            PublishedBallot(
                box=box,
                receipt=ballot["r"],
                source=source,
                sheet=sheet,
                marks=marks,
                void=bool(reason),
                void_reason=reason,
            )
        )
    secrets.SystemRandom().shuffle(published)
    PublishedBallot.objects.bulk_create(published, batch_size=2000)
    SealedBallot.objects.filter(box=box).delete()
    counts = count_ballots(locked.kind, locked.options, published)
    BallotBox.objects.filter(pk=box.pk).update(
        status=BoxStatus.CLOSED, closed_at=timezone.now(), counts=counts
    )
    transaction.on_commit(lambda: sealing.destroy_key(box.pk))
    box.refresh_from_db()
    return box


def _void(box: BallotBox, marks: rules.Marks) -> str:
    return rules.void_reason(box.kind, box.seats, box.options, marks, box.form)


def box_discard(*, box: BallotBox, by: User | None) -> None:
    """A cancelled vote's box: the sealed ballots are deleted unopened and the key file
    destroyed once that has committed. Nobody ever learns what was in it."""
    require_in_jurisdiction(by, box.region)
    SealedBallot.objects.filter(box=box).delete()
    BallotBox.objects.filter(pk=box.pk, status=BoxStatus.OPEN).update(status=BoxStatus.DISCARDED)
    transaction.on_commit(lambda: sealing.destroy_key(box.pk))


def count_ballots(
    kind: str, options: Iterable[int], ballots: Iterable[PublishedBallot]
) -> dict[str, Any]:
    """The counts of a published list: ballots, void, blank, and per option the number
    of each mark (a score form: the sum and number of scores). The recount is this
    function run again on the list as published."""
    per_option: dict[str, dict[str, int]] = {str(o): {} for o in options}
    total = void = blank = 0
    for ballot in ballots:
        total += 1
        if ballot.void:
            void += 1
            continue
        if not ballot.marks:
            blank += 1
        for option, mark in ballot.marks.items():
            row = per_option.setdefault(option, {})
            if kind == BallotKind.SCORE:
                row["sum"] = row.get("sum", 0) + int(mark)
                row["n"] = row.get("n", 0) + 1
            else:
                row[mark] = row.get(mark, 0) + 1
    return {"ballots": total, "void": void, "blank": blank, "marks": per_option}


def box_recount(box: BallotBox) -> dict[str, Any]:
    """Count the published list again (anyone who may read it can): it must equal the
    counts written at the close."""
    if box.status != BoxStatus.CLOSED:
        raise ResultsNotPublished()
    return count_ballots(box.kind, box.options, box.published.all().iterator(chunk_size=2000))
