"""The ballot forms and their validity rules, the same for every kind of vote.

A ballot is ``{option id: mark}``: on a select form (up to N, exactly N) the ticked
options, each ``approve``; on approve-oppose-abstain, ``Mark`` per option; on a rating,
``Rating`` per item; on a score form, an integer 0–``MAX_SCORE`` per criterion. A paper
sheet may carry two ticks on one item: that is a list of marks for the option.

Online a ballot that breaks its form is refused before it is cast, with a sentence in
plain words (the ballot page shows the same sentence as the voter goes); on paper the
same ballot was cast and is void. An empty ballot is cast, and counted as blank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from congress.errors import RuleViolation
from congress.models.ballots import BallotKind, Mark, Rating

K = BallotKind
MAX_SCORE = 100
SELECT_FORMS = frozenset({K.UP_TO_N, K.EXACTLY_N})

Marks = dict[str, Any]  # {option id as a string (JSON keys are): mark, or a list of marks}


def allowed_marks(kind: str) -> frozenset[str]:
    if kind in SELECT_FORMS:
        return frozenset({Mark.APPROVE})
    if kind == K.PER_OPTION:
        return frozenset(Mark.values)
    if kind == K.RATING:
        return frozenset(Rating.values)
    return frozenset()


def read_marks(kind: str, options: Sequence[int], raw: Mapping[Any, Any]) -> Marks:
    """The ballot in its stored shape, or a refusal: an option not on the ballot, or a
    mark the form does not know. Repeated ticks on one item stay a list (void on paper,
    refused online); nothing else is judged here."""
    known = {str(option) for option in options}
    marks: Marks = {}
    for option, value in raw.items():
        key = str(option)
        if key not in known:
            raise RuleViolation(_("选票上有不属于本次投票的选项。"))
        values = list(value) if isinstance(value, list | tuple | set) else [value]
        values = [_one_mark(kind, v) for v in values if v not in ("", None)]
        if values:
            marks[key] = values[0] if len(values) == 1 else sorted(values, key=str)
    return marks


def _one_mark(kind: str, value: Any) -> Any:
    if kind == K.SCORE:
        try:
            score = int(value)
        except (TypeError, ValueError):
            raise RuleViolation(_("评分须为整数。")) from None
        if not 0 <= score <= MAX_SCORE:
            raise RuleViolation(_("评分须在0至%(most)s之间。") % {"most": MAX_SCORE})
        return score
    if str(value) not in allowed_marks(kind):
        raise RuleViolation(_("选票上有无法识别的意见。"))
    return str(value)


def ballot_problem(kind: str, *, seats: int, approvals: int = 0, unmarked: int = 0) -> str:
    """Why a ballot filled in like this cannot be cast online, in plain words ("" if it
    can). ``approvals``: the ticked options of a select form; ``unmarked``: the items
    left without a mark on the other forms (a ballot with every item empty is blank and
    is cast: the caller passes 0)."""
    if kind not in SELECT_FORMS:
        if unmarked:
            if kind == K.PER_OPTION:
                return _("还有%(count)s个项目没有表态，请对每个项目选择赞成、反对或弃权。") % {
                    "count": unmarked
                }
            if kind == K.RATING:
                return _("还有%(count)s项没有测评，请对每一项选择满意、基本满意或不满意。") % {
                    "count": unmarked
                }
            return _("还有%(count)s项没有打分。") % {"count": unmarked}
        return ""
    numbers = {"count": approvals, "seats": seats, "diff": abs(approvals - seats)}
    if kind == K.EXACTLY_N and 0 < approvals < seats:
        return _("您选了%(count)s项，须正好选%(seats)s项，请再选%(diff)s项。") % numbers
    if kind == K.EXACTLY_N and approvals > seats:
        return _("您选了%(count)s项，须正好选%(seats)s项，请取消%(diff)s项。") % numbers
    if approvals > seats:
        return _("您选了%(count)s项，最多可选%(seats)s项，请取消%(diff)s项。") % numbers
    return ""


def online_problem(kind: str, seats: int, options: Sequence[int], marks: Marks) -> str:
    """``ballot_problem`` for a whole ballot, and two marks on one item."""
    if any(isinstance(value, list) for value in marks.values()):
        if kind == K.RATING:
            return _("每一项只能选择满意、基本满意、不满意中的一个。")
        return _("每个项目只能有一个意见。")
    if kind in SELECT_FORMS:
        return ballot_problem(kind, seats=seats, approvals=len(marks))
    unmarked = len(options) - len(marks) if marks else 0
    return ballot_problem(kind, seats=seats, unmarked=unmarked)


def void_reason(kind: str, seats: int, options: Sequence[int], marks: Marks) -> str:
    """Why a paper ballot as read is void ("" if it counts). A blank sheet counts (as
    blank); on approve-oppose-abstain an unmarked project is 弃权, on a rating or a
    score form an unmarked item simply has no mark."""
    if any(isinstance(value, list) for value in marks.values()):
        return _("同一项目有两个以上意见")
    if kind in SELECT_FORMS and len(marks) > seats:
        return _("所选项目超过应选数")
    if kind == K.EXACTLY_N and marks and len(marks) != seats:
        return _("所选项目数不等于应选数")
    return ""


def padded_size(kind: str, options: Sequence[int]) -> int:
    """The one length every sealed ballot of a box is padded to: the longest ballot the
    form allows (every option with its longest mark, or two of them, on paper) and a
    receipt. Equal lengths: a ciphertext's size says nothing of how many were ticked."""
    longest = max([*(len(m) for m in allowed_marks(kind)), len(str(MAX_SCORE))])
    per_option = 2 * longest + 12  # two marks on one item (a void paper sheet)
    return 64 + sum(len(str(option)) + per_option for option in options)
