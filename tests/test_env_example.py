""".env.example documents every variable the product reads, and nothing stale.

An operator builds production's .env from this file alone, so a setting that
the code reads but the example omits is a setting nobody knows to set. These
tests read files only, except the last, which loads the settings with the
example's values in a fresh interpreter.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / ".env.example"
FIRST_PARTY = ["congress", "representatives", "suggestions", "livelihood_votes", "supervision"]
# env_str("NAME", ...), also when the call is split over several lines.
ENV_CALL = re.compile(r"""\benv_[a-z_]+\(\s*["']([A-Z][A-Z0-9_]*)["']""")
# NAME=value, or "# NAME=default" for an optional variable left at its default.
ENTRY = re.compile(r"^(#\s?)?([A-Z][A-Z0-9_]*)=(.*)$")
# Read by something other than settings.py: the postgres image, gunicorn, and
# the ${...} placeholders of docker-compose.yml.
DEPLOYMENT_FILES = [ROOT / "docker-compose.yml", ROOT / "Dockerfile"]


def variables_read_by_the_code() -> dict[str, str]:
    """Variable name -> the first file that reads it."""
    found: dict[str, str] = {}
    for package in FIRST_PARTY:
        for path in sorted((ROOT / package).rglob("*.py")):
            for name in ENV_CALL.findall(path.read_text(encoding="utf-8")):
                found.setdefault(name, str(path.relative_to(ROOT)))
    return found


@cache
def entries() -> dict[str, tuple[bool, str]]:
    """Variable name -> (set, value); set is False for a commented-out default."""
    result: dict[str, tuple[bool, str]] = {}
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = ENTRY.match(line)
        if match:
            result[match.group(2)] = (match.group(1) is None, match.group(3))
    return result


def test_the_code_reads_its_settings_from_the_environment() -> None:
    # Guards the scan below: if it found nothing, the next test would pass vacuously.
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= set(variables_read_by_the_code())


def test_every_variable_the_code_reads_is_in_the_example() -> None:
    missing = {
        name: where for name, where in variables_read_by_the_code().items() if name not in entries()
    }

    assert not missing, f"add these to .env.example, each with a comment: {missing}"


def test_every_variable_in_the_example_is_read_by_something() -> None:
    read_by_code = set(variables_read_by_the_code())
    deployment_text = "\n".join(path.read_text(encoding="utf-8") for path in DEPLOYMENT_FILES)
    stale = [
        name
        for name in entries()
        if name not in read_by_code and not re.search(rf"\b{name}\b", deployment_text)
    ]

    assert not stale, f".env.example lists variables nothing reads: {stale}"


def test_every_variable_has_a_comment_right_above_it() -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    uncommented = []
    for number, line in enumerate(lines):
        match = ENTRY.match(line)
        if not match:
            continue
        # Walk up over the neighbouring entries of a group (POSTGRES_USER, _PASSWORD, _DB).
        above = number - 1
        while above >= 0 and ENTRY.match(lines[above]):
            above -= 1
        if above < 0 or not lines[above].startswith("# ") or ENTRY.match(lines[above]):
            uncommented.append(match.group(2))

    assert not uncommented, f"explain these in .env.example: {uncommented}"


def test_secrets_are_placeholders() -> None:
    for name, (_is_set, value) in entries().items():
        if re.search(r"SECRET|PASSWORD|TOKEN", name):
            assert value == "change-me" or value.startswith("change-me-"), name
    assert "change-me" in entries()["DATABASE_URL"][1]


def test_the_example_is_a_production_configuration() -> None:
    assert entries()["DEBUG"] == (True, "0")
    assert entries()["DATABASE_URL"][1].startswith("postgres://")
    assert entries()["REDIS_URL"][1].startswith("redis://")


def _load_settings_with_the_example(**replaced: str) -> subprocess.CompletedProcess[str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in entries() and not key.startswith("DJANGO_") and key != "BROKER_URL"
    }
    environ.update({name: value for name, (is_set, value) in entries().items() if is_set})
    environ.update(replaced)
    environ["DJANGO_SETTINGS_MODULE"] = "congress.settings"
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.DEBUG, "
        "settings.CACHES['default']['LOCATION'], settings.CELERY_BROKER_URL)"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_settings_load_with_the_example_values() -> None:
    # The operator replaces every change-me; the secret key is the one that is checked.
    result = _load_settings_with_the_example(SECRET_KEY=secrets.token_urlsafe(50))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "False",
        "redis://redis:6379/1",  # the cache
        "redis://redis:6379/0",  # the task queue: another database
    ]


def test_the_example_does_not_start_until_its_secret_key_is_replaced() -> None:
    result = _load_settings_with_the_example()

    assert result.returncode != 0
    assert "SECRET_KEY is still the placeholder from .env.example" in result.stderr
