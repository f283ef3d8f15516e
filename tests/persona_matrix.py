"""One walk over a persona × action matrix for one state of a case (docs/architecture.md,
"Checklist: add a new case type", step 9).

A test builds the state once through the real services and states by hand what each
persona may do there (``{persona: {action: resulting status}}``). ``walk`` takes every
action as every persona: an allowed cell must succeed and leave the stated status, then
is rolled back so the next cell starts from the same state; a refused cell must raise
one of ``refused`` and leave ``snapshot`` as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pytest
from django.db import transaction

from congress.models import User

SAME = "<unchanged>"  # a step that moves no status (a note on the timeline, a flag)


class _Undo(Exception):
    """Rolls an allowed cell back."""


def walk(
    *,
    users: Mapping[str, User],
    actions: Iterable[str],
    expected: Mapping[str, Mapping[str, str]],
    status: str,
    take: Callable[[str, User], str],
    snapshot: Callable[[], Any],
    refused: type[BaseException] | tuple[type[BaseException], ...],
) -> None:
    """``take(action, user)`` takes one step and answers the case's status after it."""
    before = snapshot()
    names = list(actions)
    for persona, user in users.items():
        cells = expected.get(persona, {})
        for name in names:
            if name in cells:
                want = status if cells[name] == SAME else cells[name]
                try:
                    with transaction.atomic():
                        assert take(name, user) == want, (persona, name)
                        raise _Undo
                except _Undo:
                    pass
            else:
                try:
                    take(name, user)
                except refused:
                    pass
                else:
                    pytest.fail(f"{persona} could {name}, which must be refused")
            assert snapshot() == before, (persona, name)
