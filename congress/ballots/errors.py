"""The secret ballot's refusals. A feature app may subclass them for its own wording."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congress.errors import DomainError


class AlreadyVoted(DomainError):
    """The elector's row says they have voted: their ballot is in."""

    code = "already_voted"
    status = 409
    default_message = _("您已投过票，每人只能投一次。")


class NotAnElector(DomainError):
    code = "not_an_elector"
    status = 403
    default_message = _("您不在本次投票的投票人名单中。")


class VoteNotOpen(DomainError):
    code = "vote_not_open"
    status = 409
    default_message = _("本次投票不在投票期间。")


class BallotBusy(DomainError):
    """The database could not take the ballot now (SQLite's single writer was busy).
    Nothing was written: trying again is safe and cannot make a second ballot."""

    code = "busy"
    status = 503
    default_message = _("投票人数较多，您的选票尚未保存，请稍后再提交一次。")


class ResultsNotPublished(DomainError):
    """No count of any kind before the close, for anyone."""

    code = "results_not_published"
    status = 409
    default_message = _("投票结束前不公布计票结果。")


class SheetCounted(DomainError):
    code = "sheet_counted"
    status = 409
    default_message = _("这张纸质选票已计入，不能再录入。")


class SheetAlreadyEntered(DomainError):
    """Double entry means two different people: nobody confirms their own reading."""

    code = "sheet_already_entered"
    status = 409
    default_message = _("您已录入过这张纸质选票，须由另一位工作人员录入核对。")


class KeyUnavailable(DomainError):
    """The box's key file is not on this server (docs/security.md, 'The secret ballot')."""

    code = "ballot_key_missing"
    status = 409
    default_message = _(
        "本服务器上没有该票箱的密钥文件，无法开箱计票。请在保存密钥的服务器上操作。"
    )
