"""Reading settings from the environment.

Every helper fails loudly: a malformed value stops the process at start-up with a
message naming the variable, instead of running with a silent default (a typo in
``DEBUG=flase`` must not quietly leave debug on in production).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    return (os.environ if environ is None else environ).get(name)


def env_str(name: str, default: str = "", *, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    return default if value is None else value.strip()


def env_required(name: str, *, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    if value is None or not value.strip():
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value.strip()


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use 1/0, true/false, yes/no.")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum {minimum}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number} is above the maximum {maximum}.")
    return number


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] | None = None
) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_rate(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    """A rate limit as django-ratelimit reads it: a count per period, "3000/h"."""
    value = env_str(name, default, environ=environ)
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", value):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate; write a count per period, like 3000/h."
        )
    return value


def env_choice(
    name: str, default: str, choices: Mapping[str, Any], *, environ: Mapping[str, str] | None = None
) -> Any:
    """Map a short name (``console``) to its value; unknown names are an error."""
    key = env_str(name, default, environ=environ)
    if key not in choices:
        known = ", ".join(sorted(choices))
        raise ImproperlyConfigured(f"{name}={key!r} is not one of: {known}.")
    return choices[key]


def env_database(
    name: str, default: str, *, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    url = env_str(name, default, environ=environ)
    try:
        config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    except Exception as exc:  # dj_database_url raises several unrelated types
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"{name} names no database engine.")
    return config


def env_secret_key(name: str, *, environ: Mapping[str, str] | None = None) -> str:
    """A production secret key: required, and refused when it is the example's
    placeholder, shorter than 50 characters or made of a handful of characters.
    Anyone who knows the key can forge sessions and password-reset links, so a weak
    one stops start-up instead of warning (Django's own check only warns)."""
    value = env_required(name, environ=environ)
    if "change-me" in value.lower():
        problem = "is still the placeholder from .env.example"
    elif len(value) < 50:
        problem = f"is {len(value)} characters long; it needs at least 50"
    elif len(set(value)) < 10 or value.startswith("django-insecure-"):
        problem = "is not random enough"
    else:
        return value
    raise ImproperlyConfigured(
        f"{name} {problem}. Generate one with: "
        'python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
    )


def _redis_database(url: str) -> tuple[str, int | None, int]:
    parts = urlsplit(url)
    number = parse_qs(parts.query).get("db", [parts.path.strip("/") or "0"])[0]
    try:
        return (parts.hostname or "", parts.port, int(number))
    except ValueError:
        raise ImproperlyConfigured(f"{url!r} names no Redis database number.") from None


def env_redis_layout(name: str, *, cache_url: str, environ: Mapping[str, str] | None = None) -> str:
    """The task queue's Redis URL: by default database 0 of the cache's Redis server.

    The cache and the queue must never share a database: ``cache.clear()`` (an
    operator's, or a test's) empties the whole database, and with it every task
    waiting in the queue. A layout that would share one stops start-up."""
    if not cache_url:
        return env_str(name, environ=environ)
    default = urlunsplit(urlsplit(cache_url)._replace(path="/0", query=""))
    broker = env_str(name, default, environ=environ)
    if broker.startswith("redis") and _redis_database(broker) == _redis_database(cache_url):
        database = _redis_database(cache_url)[2]
        raise ImproperlyConfigured(
            f"REDIS_URL (the cache) and {name} (the task queue) both name database "
            f"{database} of one Redis server: clearing the cache would empty the task "
            f"queue. Give the cache its own database (e.g. REDIS_URL=redis://redis:6379/1) "
            f"or set {name} to another one."
        )
    return broker
