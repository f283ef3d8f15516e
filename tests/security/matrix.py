"""The engine of the access-control matrix: enumerate routes, find rules, run them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.access_rules import (
    LOGIN,
    NOT_5XX,
    REDIRECT,
    RULES,
    RULES_BY_APP,
    Case,
    Outcome,
    Rule,
)
from tests.security.conftest import PERSONAS, Cast

ROOT = Path(__file__).resolve().parents[2]


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(route key, pattern text) for every URL pattern, however deeply included."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            text = prefix + str(entry.pattern)
            yield (f"{namespace}{entry.name}" if entry.name else text), text


def all_routes() -> dict[str, str]:
    return dict(_walk(get_resolver().url_patterns))


def rule_for(key: str) -> tuple[str, Rule] | None:
    if key in RULES:
        return key, RULES[key]
    for pattern, rule in RULES.items():
        if "*" in pattern and fnmatchcase(key, pattern):
            return pattern, rule
    return None


def observed(response: Any) -> Outcome:
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        if location.startswith(reverse(settings.LOGIN_URL)):
            return LOGIN
        return REDIRECT
    return int(response.status_code)


def _send(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    if method == "GET":
        return client.get(url, data)
    if "/api/" in url:
        return client.generic(method, url, data=json.dumps(data), content_type="application/json")
    return client.generic(
        method,
        url,
        data=urlencode(data, doseq=True),
        content_type="application/x-www-form-urlencoded",
    )


# What a write that went through answers; anything else from a write was refused (on
# an HTML form, 200 is the form shown again with its error).
ACCEPTED: tuple[Outcome, ...] = (REDIRECT, 201, 204)


def refused(case: Case, persona: str, expected: Outcome, url: str) -> bool:
    if case.writers is not None:
        return persona not in case.writers
    if case.method == "GET" or expected in ACCEPTED:
        return False
    return not (expected == 200 and "/api/" in url)


def run_rule(key: str, cast: Cast, settings_fixture: Any, tmp_path: Path) -> int:
    """Every case of one rule as every persona; returns the number of requests made."""
    settings_fixture.MEDIA_ROOT = tmp_path
    # Sessions in signed cookies: no session row written per request, which
    # roughly halves the matrix's time. Who may see what is unchanged.
    settings_fixture.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    rule = RULES[key]
    routes = all_routes()
    if "*" not in key and key not in routes:
        pytest.skip(f"route {key} does not exist (yet)")
    clients = {persona: cast.client(persona) for persona in PERSONAS}
    wrong, requests = [], 0
    for case in rule.cases:
        route = case.route or key
        if not case.path and route not in routes:
            pytest.skip(f"route {route} does not exist (yet)")

        def url_for(args: dict[str, Any], case: Case = case, route: str = route) -> str:
            url = case.path or reverse(route, kwargs=args)
            return url + (f"?{case.query}" if case.query else "")

        args = case.args(cast)
        url = url_for(args)
        data = case.data(cast) if case.data else {}
        for persona in PERSONAS:
            expected = case.expect[persona]
            if persona == "citizen" and expected == case.expect["anonymous"] and not case.fresh:
                continue  # without a tracking link of their own, a citizen is anonymous
            if case.fresh:
                args = case.args(cast)
                url = url_for(args)
                data = case.data(cast) if case.data else {}
            check = case.unchanged is not None and refused(case, persona, expected, url)
            before = case.unchanged(cast, args) if case.unchanged and check else None
            response = _send(clients[persona], case.method, url, data)
            requests += 1
            got = observed(response)
            if expected == NOT_5XX and response.status_code < 500:
                got = NOT_5XX
            if got != expected:
                wrong.append(
                    f"{case.label}: {persona} {case.method} {url} → {got}, expected {expected}"
                )
            elif case.unchanged and check and case.unchanged(cast, args) != before:
                wrong.append(f"{case.label}: {persona} {case.method} {url} → {got}, but it wrote")
    assert not wrong, f"{key}:\n  " + "\n  ".join(wrong)
    return requests


def write_figures(name: str, figures: dict[str, Any]) -> None:
    path = ROOT / "var" / "access-matrix" / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")


def app_matrix(name: str, *apps: str) -> tuple[Callable[..., None], Callable[..., Any]]:
    """The test and the figures fixture of one feature's part of the matrix.

    Each part lives in a test file of its own (test_access_matrix_<app>.py) so that
    parallel test processes (pytest-xdist, --dist loadfile) share the work::

        test_route_access, _figures = app_matrix("representatives", "representatives")
    """
    keys = [key for app in apps for key in RULES_BY_APP.get(app, [])]
    requests: list[int] = []

    @pytest.mark.parametrize("key", keys)
    def test_route_access(key: str, cast: Cast, tmp_path: Path, settings: Any) -> None:
        requests.append(run_rule(key, cast, settings, tmp_path))

    @pytest.fixture(scope="module", autouse=True)
    def figures() -> Iterator[None]:
        yield
        write_figures(name, {"rules_run": len(requests), "requests": sum(requests)})

    return test_route_access, figures
