"""Every route × every persona × an object inside and outside their scope (OWASP API1).

The table is ``tests/security/access_rules.py`` (plus access_rules_<app>.py for
each feature app). A route or API operation without a rule fails
``test_every_route_has_a_rule`` / ``test_every_api_operation_has_a_rule``
naming it. This file runs the core's rules; test_access_matrix_<app>.py run
the feature apps' (separate files, so that parallel test processes share the
work). Figures for docs/security.md go to var/access-matrix/*.json
(``scripts/security_figures.py`` puts them in the table).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import pytest
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from tests.security.access_rules import EXTRA_PATHS, RULES, RULES_BY_APP
from tests.security.conftest import PERSONAS, Cast
from tests.security.matrix import all_routes, observed, rule_for, run_rule, write_figures

_requests: list[int] = []


def api_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


def _sample_value(parameter: re.Match[str]) -> str:
    # Ids are numbers; anything else (an action name, a token) is a word.
    name = parameter.group(1)
    return "1" if name in ("id", "pk") or name.endswith("_id") else "x"


def test_every_route_has_a_rule() -> None:
    routes = all_routes()
    missing = sorted(f"{key}  ({text})" for key, text in routes.items() if not rule_for(key))
    assert not missing, (
        "routes without an access rule in tests/security/access_rules*.py:\n  "
        + "\n  ".join(missing)
    )


def test_every_api_operation_has_a_rule() -> None:
    missing = []
    operations = api_operations()
    for method, path in operations:
        match = resolve(re.sub(r"\{([^}]+)\}", _sample_value, path))
        key = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        found = rule_for(key or "")
        if found is None or not found[1].covers(method):
            missing.append(f"{method} {path} (route {key})")
    assert not missing, "API operations without a rule for their method:\n  " + "\n  ".join(missing)
    write_figures("api", {"api_operations": len(operations)})


def test_no_route_is_left_with_a_baseline_rule() -> None:
    # A baseline rule proves only "login required, a made-up id is a 404": it is a
    # placeholder while a feature is built, never what a finished feature ships with.
    placeholders = sorted(key for key, rule in RULES.items() if rule.note.startswith("baseline"))
    assert not placeholders, "baseline rules to replace with in/out-of-scope cases: " + ", ".join(
        placeholders
    )


def test_globs_match_something() -> None:
    routes = all_routes()
    for pattern in RULES:
        if "*" in pattern:
            assert any(fnmatchcase(key, pattern) for key in routes), f"{pattern} matches nothing"


@pytest.mark.parametrize("key", RULES_BY_APP["core"])
def test_route_access(key: str, cast: Cast, tmp_path: Path, settings: Any) -> None:
    _requests.append(run_rule(key, cast, settings, tmp_path))


@pytest.mark.parametrize("path", sorted(EXTRA_PATHS))
def test_paths_outside_the_url_patterns(path: str, cast: Cast) -> None:
    for persona in PERSONAS:
        response = cast.client(persona).get(path)
        assert observed(response) == EXTRA_PATHS[path][persona], (persona, path)


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    routes = all_routes()
    write_figures(
        "core",
        {
            "routes": len(routes),
            "routes_with_a_rule": sum(1 for key in routes if rule_for(key)),
            "rules": len(RULES),
            "rules_run": len(_requests),
            "requests": sum(_requests),
            "personas": len(PERSONAS),
        },
    )
