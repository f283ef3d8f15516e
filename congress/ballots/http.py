"""Transport helpers of the secret ballot."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.http import HttpRequest

View = TypeVar("View", bound=Callable[..., Any])


def session_untouched(view: View) -> View:
    """The request writes no session row. Moving the session's end forward (the staff's
    inactivity expiry, ``congress.middleware.SessionRefreshMiddleware``) would rewrite the
    voter's ``django_session`` row just after the ballot, with an expiry date that dates
    the vote and a transaction id next to the ballot's. The casting request leaves it alone; the voter's next page saves it.

    For a page (``view(request, ...)``) and for an API action (``action(self, request,
    ...)``: a client may send its session cookie beside its token), whether the view
    answers or raises (a refusal the API's exception handler turns into an answer)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        finally:
            session = _session_of(args)
            if session is not None and not session.modified:
                # SessionMiddleware calls save() after the view; nothing changed: skip it.
                setattr(session, "save", _no_save)  # noqa: B010 - an instance's method

    return cast(View, wrapper)


def _session_of(args: tuple[Any, ...]) -> Any:
    for arg in args[:2]:
        request = getattr(arg, "_request", arg)  # DRF's Request wraps Django's
        if isinstance(request, HttpRequest):
            return getattr(request, "session", None)
    return None


def _no_save(must_create: bool = False) -> None:
    return None
