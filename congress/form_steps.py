"""A page's form handed to its service, one way everywhere (docs/architecture.md, "A
page's POST").

Every page that changes something binds a form, calls one service with the cleaned
data, and answers. Two shapes, one helper each:

- ``submit(request, form, run)``: a page that shows its form (new plan, edit topic).
  On POST with valid data the service runs; a refusal (``DomainError``) is put on the
  form with its status, so the page shows it beside what was typed and nothing is lost.
  The view then redirects when ``done`` or renders the form with ``status``.
- ``post_step(request, form, run, done)``: a small form inside a detail page (adopt,
  add a committee). Its input is short, so it answers by redirecting back with the
  outcome as a message: the first error with its field's label, the refusal, or
  ``done``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from congress.actions import validated
from congress.errors import DomainError

Run = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Submission:
    """What became of a page's form: ``done`` with the service's ``result``, or not
    with the HTTP ``status`` to render the form again with (200 before any POST)."""

    done: bool = False
    result: Any = None
    status: int = 200


def submit(
    request: HttpRequest, form: forms.BaseForm, run: Run, field: str | None = None
) -> Submission:
    """Run the service with the form's cleaned data when the page was posted and the
    form is valid; otherwise say how to show the form again. A refusal goes on
    ``field`` when the form has one input it is about (a list pasted in), else on the
    form as a whole."""
    if request.method != "POST":
        return Submission()
    if not form.is_valid():
        return Submission(status=400)
    try:
        result = run(form.cleaned_data)
    except DomainError as error:
        form.add_error(field, str(error.message))
        return Submission(status=error.status)
    return Submission(done=True, result=result)


def post_step(
    request: HttpRequest, form: forms.BaseForm, run: Run, done: str | Callable[[Any], str]
) -> bool:
    """A detail page's small form: the service runs with the cleaned data and the
    outcome becomes the next page's message (``done``, or ``done(result)`` when the
    message tells what the service made, a new login's first password). True when the
    step was taken."""
    try:
        result = run(validated(form))
    except DomainError as error:
        messages.error(request, str(error.message))
        return False
    messages.success(request, done(result) if callable(done) else done)
    return True
