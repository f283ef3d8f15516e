"""The ballot forms and their validity rules, the same for every kind of vote.

A ballot is ``{option id: mark}``: on a select form (up to N, exactly N) the ticked
options, each ``approve``; on approve-oppose-abstain, ``Mark`` per option; on a rating,
``Rating`` per item; on a score form (representatives' evaluation of departments,
部门评议), an integer per cell, a cell being one criterion of one department (``ScoreForm``).
A paper sheet may carry two ticks on one item: that is a list of marks for the option.

Online a ballot that breaks its form is refused before it is cast, with a sentence in
plain words (the ballot page shows the same sentence as the voter goes); on paper the
same ballot was cast and is void. An empty ballot is cast, and counted as blank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from congress.errors import RuleViolation
from congress.models.ballots import BallotKind, Mark, Rating

K = BallotKind
MAX_SCORE = 100  # the top of any score form's scale
# A score a teller can type in from a paper sheet: a typo beyond it is refused at the desk,
# a legible score outside the form's scale is a void sheet. Three digits: ``padded_size``.
SCORE_READABLE = 999
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
        return _one_score(value)
    if str(value) not in allowed_marks(kind):
        raise RuleViolation(_("选票上有无法识别的意见。"))
    return str(value)


def _one_score(value: Any) -> int:
    """An integer as typed or sent; its scale is judged by ``online_problem`` (refused)
    and ``void_reason`` (a void sheet), which know the box's scale."""
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise RuleViolation(_("评分须为整数。"))
    try:
        score = int(value)
    except (TypeError, ValueError):
        raise RuleViolation(_("评分须为整数。")) from None
    if not 0 <= score <= SCORE_READABLE:
        raise RuleViolation(_("评分须为0至%(most)s之间的整数。") % {"most": SCORE_READABLE})
    return score


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


def online_problem(
    kind: str,
    seats: int,
    options: Sequence[int],
    marks: Marks,
    form: Mapping[str, Any] | None = None,
) -> str:
    """``ballot_problem`` for a whole ballot, and two marks on one item; ``form`` is the
    box's (``BallotBox.form``): a score form's scale."""
    if any(isinstance(value, list) for value in marks.values()):
        if kind == K.RATING:
            return _("每一项只能选择满意、基本满意、不满意中的一个。")
        return _("每个项目只能有一个意见。")
    if kind in SELECT_FORMS:
        return ballot_problem(kind, seats=seats, approvals=len(marks))
    if kind == K.SCORE and (outside := _off_scale(form, marks)):
        low, high = score_scale(form)
        return _("有%(count)s项评分不在%(low)s至%(high)s分之间，请改正。") % {
            "count": outside,
            "low": low,
            "high": high,
        }
    unmarked = len(options) - len(marks) if marks else 0
    return ballot_problem(kind, seats=seats, unmarked=unmarked)


def void_reason(
    kind: str,
    seats: int,
    options: Sequence[int],
    marks: Marks,
    form: Mapping[str, Any] | None = None,
) -> str:
    """Why a paper ballot as read is void ("" if it counts). A blank sheet counts (as
    blank); on approve-oppose-abstain an unmarked project is 弃权, on a rating or a
    score form an unmarked item simply has no mark. ``form``: as for ``online_problem``."""
    if any(isinstance(value, list) for value in marks.values()):
        return _("同一项目有两个以上意见")
    if kind in SELECT_FORMS and len(marks) > seats:
        return _("所选项目超过应选数")
    if kind == K.EXACTLY_N and marks and len(marks) != seats:
        return _("所选项目数不等于应选数")
    if kind == K.SCORE and _off_scale(form, marks):
        low, high = score_scale(form)
        return _("评分超出%(low)s至%(high)s分") % {"low": low, "high": high}
    if kind == K.SCORE and marks and len(marks) < len(options):
        return _("有项目没有打分")
    return ""


def padded_size(kind: str, options: Sequence[int]) -> int:
    """The one length every sealed ballot of a box is padded to: the longest ballot the
    form allows (every option with its longest mark, or two of them, on paper) and a
    receipt. Equal lengths: a ciphertext's size says nothing of how many were ticked.
    A score is padded to ``SCORE_READABLE``'s digits whatever the box's scale (a paper
    reading may carry a legible score off the scale), so the form is not needed here."""
    longest = max([*(len(m) for m in allowed_marks(kind)), len(str(SCORE_READABLE))])
    per_option = 2 * longest + 12  # two marks on one item (a void paper sheet)
    return 64 + sum(len(str(option)) + per_option for option in options)


# --- the score form (部门评议) ------------------------------------------------------------
#
# A score box's scale, criteria with their weights and which cell is which department are
# its ``BallotBox.form`` (``ScoreForm.definition``), given to ``services.box_open``; the
# rules that judge a score read the scale from it. ``seats`` is not used by a score box.


def score_scale(form: Mapping[str, Any] | None) -> tuple[int, int]:
    """The (lowest, highest) score of a score box from its form (0–MAX_SCORE without one)."""
    scale = (form or {}).get("scale")
    if not scale:
        return 0, MAX_SCORE
    low, high = scale
    return int(low), int(high)


def _off_scale(form: Mapping[str, Any] | None, marks: Marks) -> int:
    low, high = score_scale(form)
    return sum(1 for v in marks.values() if isinstance(v, int) and not low <= v <= high)


@dataclass(frozen=True)
class ScoreForm:
    """The ballot of representatives' online evaluation of departments: every item (a
    department, by the feature's id) scored on every criterion, on one scale, each
    criterion with its weight. The box's options are the cells, numbered 1, 2, … item by
    item in ballot order; ``definition`` is stored as ``BallotBox.form`` and says which
    cell is which."""

    items: tuple[int, ...]
    criteria: tuple[tuple[str, Decimal], ...]  # (name, weight), in ballot order
    low: int
    high: int

    def cells(self, item_index: int) -> list[int]:
        width = len(self.criteria)
        return [item_index * width + n + 1 for n in range(width)]

    def options(self) -> list[int]:
        return [cell for i in range(len(self.items)) for cell in self.cells(i)]

    def definition(self) -> dict[str, Any]:
        return {
            "scale": [self.low, self.high],
            # Weights as decimal strings: the outcome computes with them exactly.
            "criteria": [{"name": name, "weight": str(weight)} for name, weight in self.criteria],
            "items": [{"item": item, "cells": self.cells(i)} for i, item in enumerate(self.items)],
        }


def score_form(
    *, items: Sequence[int], criteria: Sequence[tuple[str, Any]], low: int, high: int
) -> ScoreForm:
    """A score form, or a refusal: no item, an item twice, no criterion, a weight that is
    not a positive number, a scale that is not low < high within 0–MAX_SCORE. Weights need
    not add up to 1: the outcome divides by their sum."""
    if not items or len(set(items)) != len(items):
        raise RuleViolation(_("评议对象不能为空，也不能重复。"))
    if not criteria:
        raise RuleViolation(_("至少需要一项评分标准。"))
    weighted = []
    for name, weight in criteria:
        try:
            value = Decimal(str(weight))
        except InvalidOperation:
            value = Decimal(0)
        if not value.is_finite() or value <= 0:
            raise RuleViolation(_("评分标准“%(name)s”的权重须为正数。") % {"name": name})
        weighted.append((str(name), value))
    if not 0 <= low < high <= MAX_SCORE:
        raise RuleViolation(
            _("分值范围须在0至%(most)s分之间，且最低分小于最高分。") % {"most": MAX_SCORE}
        )
    return ScoreForm(tuple(int(i) for i in items), tuple(weighted), low, high)
