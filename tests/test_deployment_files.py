"""The production deployment files say what docs/architecture.md, 'Runtime', says.

These tests read files only: no Django settings, no database, no Docker. They
guard the mistakes that are quiet until production: a second Celery beat
sending every reminder twice, a secret typed into docker-compose.yml, media
uploads on a container's throwaway filesystem, a template that loads its
scripts from a CDN the closed government network cannot reach.
"""

from __future__ import annotations

import gc
import re
import shlex
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
MEDIA_ROOT = "/var/lib/congress/media"
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN", re.IGNORECASE)
INTERPOLATION_ONLY = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*\}$")


@cache
def compose() -> dict[str, Any]:
    # safe_load resolves the x-app anchor and `<<` merges, as compose does.
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    return loaded


def services() -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = compose()["services"]
    return result


def command(name: str) -> list[str]:
    raw = services()[name].get("command", [])
    return shlex.split(raw) if isinstance(raw, str) else [str(part) for part in raw]


def runs_celery(name: str, subcommand: str) -> bool:
    words = command(name)
    return bool(words) and words[0] == "celery" and subcommand in words


def depends_on(name: str) -> dict[str, str]:
    """Dependency name -> condition, for both the list and the mapping syntax."""
    raw = services()[name].get("depends_on", {})
    if isinstance(raw, list):
        return {dependency: "service_started" for dependency in raw}
    return {
        dependency: (options or {}).get("condition", "service_started")
        for dependency, options in raw.items()
    }


def one_shot_services() -> set[str]:
    """Services that others wait on to finish, such as the migrate job."""
    return {
        dependency
        for name in services()
        for dependency, condition in depends_on(name).items()
        if condition == "service_completed_successfully"
    }


def environment(name: str) -> dict[str, str | None]:
    raw = services()[name].get("environment", {})
    if isinstance(raw, list):
        pairs = (item.split("=", 1) for item in raw)
        return {pair[0]: (pair[1] if len(pair) == 2 else None) for pair in pairs}
    return {key: None if value is None else str(value) for key, value in raw.items()}


def env_files(name: str) -> list[str]:
    raw = services()[name].get("env_file", [])
    entries = [raw] if isinstance(raw, str | dict) else raw
    return [entry["path"] if isinstance(entry, dict) else entry for entry in entries]


def named_volume_mounts(name: str) -> dict[str, str]:
    """Mount target -> named volume, for the short and the long syntax."""
    declared = compose().get("volumes") or {}
    mounts: dict[str, str] = {}
    for volume in services()[name].get("volumes", []):
        if isinstance(volume, dict):
            source, target = volume.get("source", ""), volume.get("target", "")
        else:
            source, _, rest = volume.partition(":")
            target = rest.split(":")[0]
        if source in declared:
            mounts[target] = source
    return mounts


def test_the_production_services_are_all_there() -> None:
    assert {"web", "worker", "beat", "db", "redis"} <= set(services())


def test_beat_is_a_singleton() -> None:
    beat = services()["beat"]

    assert runs_celery("beat", "beat")
    assert beat.get("deploy", {}).get("replicas") == 1
    assert "scale" not in beat


def test_nobody_else_runs_beat() -> None:
    for name in set(services()) - {"beat"}:
        words = command(name)
        assert "-B" not in words, f"{name} embeds a beat with -B"
        assert "--beat" not in words, f"{name} embeds a beat with --beat"
        if words[:1] == ["celery"]:
            assert "beat" not in words, f"{name} runs a second celery beat"


def test_worker_runs_celery_worker() -> None:
    assert runs_celery("worker", "worker")


def test_web_runs_gunicorn() -> None:
    words = command("web")

    assert words[:1] == ["gunicorn"]
    assert "congress.wsgi:application" in words


def test_migrations_run_once_before_web_starts() -> None:
    migrators = [name for name in services() if "migrate" in command(name)]

    assert len(migrators) == 1, "exactly one service should apply migrations"
    (migrator,) = migrators
    if migrator != "web":
        # A one-shot job: several web containers must not migrate concurrently.
        assert depends_on("web").get(migrator) == "service_completed_successfully"
        assert services()[migrator].get("restart", "no") == "no"


def test_images_are_the_supported_majors() -> None:
    assert str(services()["db"]["image"]).startswith("postgres:16")
    assert str(services()["redis"]["image"]).startswith("redis:7")


def test_db_and_redis_have_healthchecks() -> None:
    for name in ("db", "redis"):
        assert services()[name].get("healthcheck", {}).get("test"), name


def test_web_has_a_healthcheck_on_healthz() -> None:
    test = services()["web"]["healthcheck"]["test"]
    text = test if isinstance(test, str) else " ".join(test)

    assert "/healthz" in text


def test_app_services_wait_for_healthy_db_and_redis() -> None:
    for name in ("web", "worker", "beat"):
        conditions = depends_on(name)
        assert conditions.get("db") == "service_healthy", name
        assert conditions.get("redis") == "service_healthy", name


def test_long_running_services_are_health_checked() -> None:
    for name, service in services().items():
        if name in one_shot_services():
            continue
        waits_on_healthy = "service_healthy" in depends_on(name).values()
        assert service.get("healthcheck") or waits_on_healthy, (
            f"{name} has no healthcheck and depends on no healthy service"
        )


def test_no_literal_secrets_in_the_compose_file() -> None:
    for name in services():
        for key, value in environment(name).items():
            if SECRET_NAME.search(key) and value:
                assert INTERPOLATION_ONLY.match(value), (
                    f"{name} sets {key} to a literal value; put it in .env"
                )


def test_app_services_read_dot_env() -> None:
    for name in ("web", "worker", "beat", *one_shot_services()):
        assert ".env" in env_files(name), name


def test_uploads_live_on_a_named_volume_shared_by_web_and_worker() -> None:
    web_volume = named_volume_mounts("web").get(MEDIA_ROOT)
    worker_volume = named_volume_mounts("worker").get(MEDIA_ROOT)

    assert web_volume is not None, f"web has no named volume at {MEDIA_ROOT}"
    assert web_volume == worker_volume, "web and worker must share one media volume"
    for name in ("web", "worker"):
        assert environment(name).get("MEDIA_ROOT", MEDIA_ROOT) == MEDIA_ROOT


def test_postgres_data_lives_on_a_named_volume() -> None:
    assert "/var/lib/postgresql/data" in named_volume_mounts("db")


def test_the_image_runs_as_a_non_root_user() -> None:
    users = re.findall(r"^USER\s+(\S+)", (ROOT / "Dockerfile").read_text(), re.MULTILINE)

    assert users, "the Dockerfile never switches user"
    assert users[-1] not in {"root", "0"}


def test_dot_env_is_never_sent_to_the_image_build() -> None:
    ignored = (ROOT / ".dockerignore").read_text().splitlines()

    assert ".env" in ignored


VENDORED_FILES = [
    "bootstrap/css/bootstrap.min.css",
    "bootstrap/css/bootstrap.min.css.map",
    "bootstrap/js/bootstrap.bundle.min.js",
    "bootstrap/js/bootstrap.bundle.min.js.map",
    "bootstrap-icons/bootstrap-icons.svg",
    "bootstrap-icons/LICENSE",
    "htmx/htmx.min.js",
    "VERSIONS.md",
]


@pytest.mark.parametrize("relative_path", VENDORED_FILES)
def test_vendored_file_is_present(relative_path: str) -> None:
    path = ROOT / "static" / "vendor" / relative_path

    assert path.is_file(), f"missing {path}; run scripts/vendor_static.sh"
    assert path.stat().st_size > 0


REMOTE_URL = r"""["']?\s*(?:https?:)?//"""
REMOTE_ASSET = re.compile(
    rf"""<script\b[^>]*\bsrc\s*=\s*{REMOTE_URL}"""
    rf"""|<link\b[^>]*\bhref\s*=\s*{REMOTE_URL}"""
    rf"""|@import\s+(?:url\()?{REMOTE_URL}"""
    rf"""|url\(\s*{REMOTE_URL}""",
    re.IGNORECASE,
)


def template_files() -> list[Path]:
    """Project templates plus each app's own templates/ directory."""
    directories = [ROOT / "templates", *ROOT.glob("*/templates")]
    return sorted(
        path for directory in directories for path in directory.rglob("*") if path.is_file()
    )


def test_templates_load_nothing_from_the_internet() -> None:
    if not (ROOT / "templates").is_dir():
        pytest.skip("templates/ does not exist yet")

    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in template_files()
        for match in REMOTE_ASSET.finditer(path.read_text(encoding="utf-8", errors="replace"))
    ]

    assert not offenders, "closed networks have no CDN; vendor it into static/vendor/"


def test_vendored_stylesheets_load_nothing_from_the_internet() -> None:
    for path in (ROOT / "static" / "vendor").rglob("*.css"):
        assert not REMOTE_ASSET.search(path.read_text(encoding="utf-8")), path


def test_worker_and_beat_are_health_checked_on_their_own_heartbeat() -> None:
    for name in ("worker", "beat"):
        test = services()[name]["healthcheck"]["test"]
        words = shlex.split(test) if isinstance(test, str) else [str(word) for word in test]
        assert words[-3:] == ["manage.py", "health", name], (name, words)


def test_cache_and_task_queue_default_to_different_redis_databases() -> None:
    # ${REDIS_URL:-redis://redis:6379/1}: the cache's database; the queue takes 0.
    default = environment("web")["REDIS_URL"] or ""
    database = default.rstrip("}").rsplit("/", 1)[-1]
    assert database.isdigit() and database != "0", default


def gunicorn_settings() -> dict[str, str]:
    """The assignments of congress/gunicorn_conf.py, read as text like the other files."""
    text = (ROOT / "congress" / "gunicorn_conf.py").read_text(encoding="utf-8")
    return dict(re.findall(r"^(\w+) = (.+)$", text, re.MULTILINE))


def test_web_and_the_image_run_gunicorn_with_the_projects_config() -> None:
    assert command("web")[1:3] == ["-c", "python:congress.gunicorn_conf"]
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert '"-c", "python:congress.gunicorn_conf"' in dockerfile


def test_the_access_log_is_on_and_carries_no_query_string_nor_referer() -> None:
    config = gunicorn_settings()
    assert config["accesslog"] == '"-"'
    log_format = config["access_log_format"]
    # %(q)s is the query string, %(r)s the request line that holds it, %(f)s the
    # referer (a citizen's tracking link), %({...}i)s any request header.
    for atom in ("%(q)s", "%(r)s", "%(f)s", "}i)s"):
        assert atom not in log_format, atom
    assert "%(U)s" in log_format and "%(s)s" in log_format
    assert config["logger_class"] == "AccessLogger"  # masks tokens in the path


def test_a_worker_freezes_what_it_loaded_so_full_collections_skip_it() -> None:
    from congress import gunicorn_conf

    gc.unfreeze()
    try:
        gunicorn_conf.post_worker_init(worker=None)
        frozen = gc.get_freeze_count()
        # The whole loaded product, not a handful of objects: every view module's.
        assert frozen > 50_000
        assert "suggestions.citizen.views" in sys.modules
    finally:
        gc.unfreeze()
