"""Fuzzing our own OpenAPI schema with schemathesis, as several personas.

Every operation in /api/schema/ gets generated requests (valid and invalid
parameters and bodies) as district staff, a department clerk, a
representative and an administrator (token authentication) and anonymously:
no 500, and every response matches the schema. A cross-user replay then asks
every detail operation for every object any persona can list, as every
persona: a 200 is allowed only for an object in that persona's own list (BOLA).

Bounded so that `make test` stays quick: 4 examples per operation,
deterministic; with FUZZ=1 (CI's PostgreSQL run) 30, randomised.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from knox.models import AuthToken
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from tests.security.access_rules import assignment_in_district, assignment_in_other_district
from tests.security.access_rules_livelihood_votes import vote as livelihood_vote
from tests.security.access_rules_representatives import IN as REPRESENTATIVES_IN
from tests.security.access_rules_representatives import OUT as REPRESENTATIVES_OUT
from tests.security.access_rules_suggestions_citizen import citizen_cases_exist
from tests.security.access_rules_suggestions_formal import suggestions_in_both_districts
from tests.security.conftest import Cast
from tests.security.matrix import write_figures

FULL = os.environ.get("FUZZ") == "1"
MAX_EXAMPLES = 30 if FULL else 4
FUZZED_PERSONAS = ("district_staff", "clerk", "representative", "administrator", "anonymous")

# The schema needs a login in production (congress/api/docs.py); opened here for the
# loader only, as API_DOCS_PUBLIC=1 would.
with override_settings(API_DOCS_PUBLIC=True):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
# One pytest item per operation, parametrized here rather than by schemathesis's
# own plugin: under pytest-xdist (`make test`) that plugin runs a single item.
OPERATIONS = [result.ok() for result in schema.get_all_operations()]
# Every status an operation answers must be in the schema: the error answers
# are added by congress/api/schema.py.
CHECKS = [
    not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]
_figures: dict[str, Any] = {"requests": 0, "invalid": 0, "operations": set(), "replayed": 0}


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Requests go through the WSGI app, not Django's test client. Django closes a
    connection at the end of a request if it is not in autocommit mode, which the
    test's own transaction never is; on PostgreSQL that closes the test database
    connection under every later test. Django's test client unhooks the same
    handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(cast: Cast) -> dict[str, str | None]:
    return {
        persona: AuthToken.objects.create(user=cast.users[persona])[1]
        if cast.users[persona]
        else None
        for persona in FUZZED_PERSONAS
    }


def _strategy(operation: Any) -> st.SearchStrategy[Any]:
    """Valid requests, and invalid ones where the operation has anything to get wrong."""
    valid = operation.as_strategy(GenerationMode.POSITIVE)
    try:
        return st.one_of(valid, operation.as_strategy(GenerationMode.NEGATIVE))
    except Exception:  # nothing that could be made invalid
        return valid


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_api_survives_fuzzing_as_every_persona(
    operation: Any, tokens: dict[str, str | None]
) -> None:
    @given(case=_strategy(operation))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=not FULL,
        database=None,  # the bounded run depends on the code only, not on earlier runs
        suppress_health_check=list(HealthCheck),
    )
    def examples(case: Any) -> None:
        invalid = case.meta is not None and case.meta.generation.mode == GenerationMode.NEGATIVE
        for token in tokens.values():
            headers = {"Authorization": f"Token {token}"} if token else {}
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)
            _figures["requests"] += 1
            _figures["invalid"] += invalid

    examples()
    _figures["operations"].add(operation.label)


@pytest.fixture(scope="module", autouse=True)
def _write_figures() -> Iterator[None]:
    yield
    write_figures(
        "fuzz",
        {
            "operations_fuzzed": len(_figures["operations"]),
            "fuzz_requests": _figures["requests"],
            "invalid_requests": _figures["invalid"],
            "personas": len(FUZZED_PERSONAS),
            "cross_user_replays": _figures["replayed"],
            "full": FULL,
        },
    )


def _list_and_detail_pairs() -> list[tuple[str, str]]:
    paths = list(schema.raw_schema["paths"])
    pairs = []
    for path in paths:
        match = re.fullmatch(r"(.*/)\{[^}]+\}/", path)
        if match and match.group(1) in paths and "get" in schema.raw_schema["paths"][path]:
            pairs.append((match.group(1), path))
    return pairs


def test_cross_user_replay_finds_nothing(cast: Cast) -> None:
    """Replay every persona's readable objects as every other persona (BOLA check)."""
    # Objects of every app in both districts, so that each list has something
    # to replay (the builders are the access matrix's own).
    assignment_in_district(cast)
    assignment_in_other_district(cast)
    for builders in (REPRESENTATIVES_IN, REPRESENTATIVES_OUT):
        for build in builders.values():
            build(cast)
    suggestions_in_both_districts(cast)
    citizen_cases_exist(cast)
    for state in ("draft", "open", "closed"):
        for side in ("in", "out"):
            livelihood_vote(state, side)(cast)
    clients = {p: cast.client(p) for p in cast.users if cast.users[p] is not None}
    pairs = _list_and_detail_pairs()
    assert pairs, "no list/detail operations found: the check would prove nothing"
    for list_path, detail_path in pairs:
        visible: dict[str, set[Any]] = {}
        for persona, client in clients.items():
            ids, url = set(), list_path
            while url:
                body = client.get(url).json()
                rows = body["results"] if isinstance(body, dict) and "results" in body else body
                ids |= {row["id"] for row in rows if isinstance(row, dict) and "id" in row}
                url = body.get("next") if isinstance(body, dict) else None
            visible[persona] = ids
        everything = set().union(*visible.values())
        for persona, client in clients.items():
            for object_id in everything:
                url = re.sub(r"\{[^}]+\}", str(object_id), detail_path)
                status = client.get(url).status_code
                _figures["replayed"] += 1
                allowed = object_id in visible[persona]
                assert status == (200 if allowed else 404), (persona, url, status)
