"""The access-control matrix for the livelihood-vote routes (rules: access_rules_livelihood_votes.py).

A separate file from test_access_matrix.py so that parallel test processes
(pytest-xdist, --dist loadfile) share the matrix's work.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.security.access_rules import RULES_BY_APP
from tests.security.conftest import Cast
from tests.security.matrix import run_rule, write_figures

KEYS = RULES_BY_APP.get("livelihood_votes", [])
_requests: list[int] = []


@pytest.mark.parametrize("key", KEYS)
def test_route_access(key: str, cast: Cast, tmp_path: Path, settings: Any) -> None:
    _requests.append(run_rule(key, cast, settings, tmp_path))


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    write_figures("livelihood_votes", {"rules_run": len(_requests), "requests": sum(_requests)})
