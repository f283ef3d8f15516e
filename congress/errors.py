"""Domain errors. Views and the API map them to a translated message (API: {code, message})."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A request that the rules refuse. Nothing has been changed when it is raised."""

    code = "domain_error"
    status = 400
    default_message: str | Promise = _("该操作不被允许。")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409
    default_message = _("当前状态下不能进行该操作。")


class StaleState(DomainError):
    """Someone else changed the object between reading it and acting on it."""

    code = "stale_state"
    status = 409
    default_message = _("该事项已被他人处理，状态已变化，请刷新后再试。")


class RuleViolation(DomainError):
    code = "rule_violation"
    status = 400


class UnknownAction(RuleViolation):
    """An action name that is not in its table of actions (docs/architecture.md,
    "Checklist: add a new case type", step 5): an error, never ignored. The message
    lists the names the table has, so an API client can correct itself."""

    def __init__(self, name: str, table: Iterable[str]) -> None:
        super().__init__(
            _("没有名为“%(name)s”的操作；可用的操作：%(names)s。")
            % {"name": name, "names": "、".join(table)}
        )


class OutOfJurisdiction(Http404):
    """A write names a place (region, station, department, congress, representative)
    outside the acting user's jurisdiction. Raised before anything is written.

    A 404 like any object the user cannot see, and deliberately not a DomainError:
    the pages catch DomainError to show its message beside the form, and a message
    would confirm that the place exists. Both the pages and the API already answer
    Http404 with their "not found".
    """
