"""One way to declare the steps users take on an object (docs/architecture.md, "Each
action written once").

An app declares its steps once, as a table from name to declaration (its own frozen
dataclass: label, form, the one service it calls, what the page says when it is done),
with ``standing(user, obj)`` (who the user is to the object: its parties, or whether
they manage it) and ``may(standing, obj, declaration)`` (whether that step is open to
them now: the from-states of the transition table, the phase, the object's facts).
Everything else is read from the table through ``ActionTable``:

- ``allowed(user, obj)``: the names the user may take now, in the table's order. The
  page shows its buttons from it and nothing restates it;
- ``require(name, user, obj)``: the declaration to run. A name not in the table is
  ``UnknownAction`` (400, never ignored); a step the user may not take now is
  ``InvalidTransition`` (409);
- ``validated(form)``: the form's cleaned data, or a ``RuleViolation`` carrying its
  first message with the field's label (400), for the API route and the page's POST.

The object is loaded through the app's scoping selector before a name is read, so an
object outside the user's jurisdiction is a 404 whatever the name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from django import forms

from congress.errors import InvalidTransition, RuleViolation, UnknownAction

T = TypeVar("T")  # the object the steps are taken on
D = TypeVar("D")  # the app's declaration of one step


class ActionTable(Generic[T, D]):
    """The steps on one kind of object. ``standing(user, obj)`` is what the user is to
    the object, read once per call (the parties they belong to, or whether they manage
    it): falsy means no step at all. ``may(standing, obj, declaration)`` says whether
    one step is open to that standing now (the from-states, the phase, the facts)."""

    def __init__(
        self,
        actions: Mapping[str, D],
        may: Callable[[Any, T, D], bool],
        standing: Callable[[Any, T], Any],
    ) -> None:
        self.actions = actions
        self.may = may
        self.standing = standing

    def named(self, name: str) -> D:
        """The declaration of ``name``; an unknown name is an error (400)."""
        try:
            return self.actions[name]
        except KeyError:
            raise UnknownAction(name, self.actions) from None

    def allowed(self, user: Any, obj: T, standing: Any = None) -> list[str]:
        """``standing``, when the caller has read it already (a page that shows the
        user's parties too), is not read again."""
        standing = standing or self.standing(user, obj)
        if not standing:
            return []
        return [
            name for name, declared in self.actions.items() if self.may(standing, obj, declared)
        ]

    def require(self, name: str, user: Any, obj: T, standing: Any = None) -> D:
        declared = self.named(name)
        standing = standing or self.standing(user, obj)
        if not standing or not self.may(standing, obj, declared):
            raise InvalidTransition()
        return declared


def validated(form: forms.BaseForm) -> dict[str, Any]:
    """The form's cleaned data, or its first error as a ``RuleViolation`` prefixed with
    the field's label where the message does not name it (a form-wide error bare)."""
    if form.is_valid():
        return dict(form.cleaned_data)
    field, errors = next(iter(form.errors.items()))
    label = str(form.fields[field].label or "") if field in form.fields else ""
    message = str(errors[0])
    # The product's stock messages name their field already (congress/forms.py).
    raise RuleViolation(f"{label}：{message}" if label and label not in message else message)
