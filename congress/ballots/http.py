"""Transport helpers of the secret ballot."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse


def session_untouched(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The request writes no session row. ``SESSION_SAVE_EVERY_REQUEST`` (the staff's
    inactivity expiry) would rewrite the voter's ``django_session`` row just after the
    ballot, with an expiry date that dates the vote and a transaction id next to the
    ballot's. The casting request leaves it alone; the voter's next page saves it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        session = getattr(request, "session", None)
        if session is not None and not session.modified:
            # SessionMiddleware calls save() after the view; nothing changed, so skip it.
            setattr(session, "save", _no_save)  # noqa: B010 - an instance's method
        return response

    return wrapper


def _no_save(must_create: bool = False) -> None:
    return None
