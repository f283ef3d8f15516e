"""The vote's own refusals (domain errors: the views and the API show their message), in
this vote's words; the secret ballot's are subclasses of the core's."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congress.ballots import errors as ballot
from congress.errors import DomainError


class AlreadyVoted(ballot.AlreadyVoted):
    """The unique (vote, representative) row exists: this representative's ballot is in."""

    code = "already_voted"
    status = 409
    default_message = _("您已投过票，每位代表只能投一次。")


class NotAnElector(ballot.NotAnElector):
    code = "not_an_elector"
    status = 403
    default_message = _("您不是本级人大的在任代表，不能参加本次票决。")


class VoteNotOpen(ballot.VoteNotOpen):
    code = "vote_not_open"
    status = 409
    default_message = _("本次票决不在投票期间。")


class BallotBusy(ballot.BallotBusy):
    """The database could not take the ballot now (SQLite's single writer was busy).
    Nothing was written: trying again is safe and cannot make a second ballot."""

    code = "busy"
    status = 503
    default_message = _("投票人数较多，您的选票尚未保存，请稍后再提交一次。")


class ResultsNotPublished(ballot.ResultsNotPublished):
    """Tallies are hidden from everyone, staff and administrators included, until the
    vote closes (docs/security.md, 'The secret ballot')."""

    code = "results_not_published"
    status = 409
    default_message = _("投票结束前不公布计票结果。")


class SheetCounted(ballot.SheetCounted):
    """Two readings of this paper sheet agreed and its ballot is in: nothing more to enter."""

    code = "sheet_counted"
    status = 409
    default_message = _("这张纸质选票已计入，不能再录入。")


class SheetAlreadyEntered(ballot.SheetAlreadyEntered):
    """Double entry means two different people: nobody confirms their own reading."""

    code = "sheet_already_entered"
    status = 409
    default_message = _("您已录入过这张纸质选票，须由另一位工作人员录入核对。")


class RunoffExists(DomainError):
    """A tie gets one run-off: the vote has one already (not cancelled)."""

    code = "runoff_exists"
    status = 409
    default_message = _("已为本次票决的并列项目发起过补充票决，不能重复发起。")
