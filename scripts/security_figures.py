"""Put the figures of the last test run into docs/security.md and docs/reliability.md.

    .venv/bin/pytest tests/security tests/reliability   # writes var/access-matrix/*.json
    .venv/bin/python scripts/security_figures.py         # rewrites the tables

Each document has a block between ``<!-- figures:start -->`` and
``<!-- figures:end -->``; only that block changes. Figures a run did not
produce (e.g. the PostgreSQL restart check on a laptop) keep their last value.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
BLOCK = re.compile(r"(<!-- figures:start -->\n).*?(<!-- figures:end -->)", re.S)


def _load(name: str) -> dict[str, Any]:
    path = VAR / "access-matrix" / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _old_values(text: str) -> dict[str, str]:
    return dict(re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|$", text, re.M))


def _table(rows: list[tuple[str, Any]], old: dict[str, str]) -> str:
    lines = ["| figure | value |", "| --- | --- |"]
    for label, value in rows:
        shown = old.get(label, "—") if value in (None, "") else str(value)
        lines.append(f"| {label} | {shown} |")
    return "\n".join(lines) + "\n"


def _rewrite(path: Path, rows: list[tuple[str, Any]]) -> None:
    text = path.read_text(encoding="utf-8")
    table = _table(rows, _old_values(text))
    path.write_text(BLOCK.sub(lambda m: m.group(1) + table + m.group(2), text), encoding="utf-8")


def main() -> None:
    core, api, fuzz = _load("core"), _load("api"), _load("fuzz")
    limits = _load("ratelimits")
    # Every matrix file (core and each app's test_access_matrix_<app>.py) counts.
    matrix = [
        _load(path.stem)
        for path in sorted((VAR / "access-matrix").glob("*.json"))
        if path.stem not in ("api", "fuzz", "ratelimits")
    ]
    requests = sum(part.get("requests", 0) for part in matrix) or None
    rules_run = sum(part.get("rules_run", 0) for part in matrix) or None
    security_rows = [
        ("URL routes", core.get("routes")),
        ("routes with an access rule", core.get("routes_with_a_rule")),
        ("rules run (route families)", rules_run),
        ("personas", core.get("personas")),
        ("persona × route requests checked", requests),
        ("API operations in the schema, each with a rule", api.get("api_operations")),
        ("API operations fuzzed", fuzz.get("operations_fuzzed")),
        ("fuzzed requests (personas × examples)", fuzz.get("fuzz_requests")),
        ("… of them deliberately invalid (bad input)", fuzz.get("invalid_requests")),
        ("cross-user replays (BOLA)", fuzz.get("cross_user_replays")),
        (
            "anonymous routes flooded, each refusing with 429",
            limits.get("anonymous_routes_flooded"),
        ),
    ]
    _rewrite(ROOT / "docs" / "security.md", security_rows)
    restart_path = VAR / "pg-restart-figures.json"
    restart = json.loads(restart_path.read_text()) if restart_path.exists() else {}
    scenarios = sum(
        (ROOT / "tests" / "reliability" / name).read_text().count("\ndef test_")
        for name in ("test_faults.py", "test_concurrency.py", "test_backup_restore.py")
    ) + (ROOT / "tests" / "livelihood_votes" / "test_concurrent_ballots.py").read_text().count(
        "\ndef test_"
    )
    passed_restart = restart and not restart.get("problems")
    reliability_rows = [
        (
            "fault, concurrency and restore scenarios under test",
            scenarios + (1 if passed_restart else 0),
        ),
        ("submissions during the PostgreSQL restart", restart.get("submissions")),
        ("… told saved", restart.get("outcomes", {}).get("ok")),
        (
            "… told failed",
            sum(v for k, v in restart.get("outcomes", {}).items() if k != "ok")
            if restart
            else None,
        ),
        (
            "saved after the restart, without restarting the app",
            restart.get("succeeded_after_restart"),
        ),
        ("lost (told saved, not in the database)", restart.get("lost")),
        ("half-saved cases", restart.get("half_saved")),
    ]
    _rewrite(ROOT / "docs" / "reliability.md", reliability_rows)
    print("figures written to docs/security.md and docs/reliability.md")


if __name__ == "__main__":
    main()
