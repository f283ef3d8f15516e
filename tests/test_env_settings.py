import pytest
from django.core.exceptions import ImproperlyConfigured

from congress.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_rate,
    env_required,
)


def test_bool_reads_the_usual_spellings() -> None:
    assert env_bool("X", False, environ={"X": "yes"}) is True
    assert env_bool("X", True, environ={"X": "0"}) is False
    assert env_bool("X", True, environ={}) is True


@pytest.mark.parametrize("value", ["flase", "2", "oui"])
def test_bool_rejects_a_typo_loudly(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="X="):
        env_bool("X", False, environ={"X": value})


def test_int_rejects_words_and_values_out_of_range() -> None:
    assert env_int("N", 3, environ={"N": " 7 "}) == 7
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("N", 3, environ={"N": "seven"})
    with pytest.raises(ImproperlyConfigured, match="minimum"):
        env_int("N", 3, minimum=10, environ={"N": "5"})
    with pytest.raises(ImproperlyConfigured, match="maximum"):
        env_int("N", 3, maximum=4, environ={"N": "5"})


def test_required_value_must_be_present() -> None:
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        env_required("SECRET_KEY", environ={"SECRET_KEY": "  "})


def test_list_splits_on_commas() -> None:
    assert env_list("H", [], environ={"H": "a.cn, b.cn,,"}) == ["a.cn", "b.cn"]


def test_choice_names_the_known_values() -> None:
    with pytest.raises(ImproperlyConfigured, match="console, http"):
        env_choice("SMS", "console", {"console": 1, "http": 2}, environ={"SMS": "pigeon"})


def test_database_url_is_parsed_and_bad_schemes_refused() -> None:
    config = env_database("DB", "", environ={"DB": "postgres://u:p@db:5432/congress"})
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "congress"
    with pytest.raises(ImproperlyConfigured, match="DB"):
        env_database("DB", "", environ={"DB": "mongo://x"})


def test_rate_wants_a_count_per_period() -> None:
    assert env_rate("R", "3000/h", environ={}) == "3000/h"
    assert env_rate("R", "3000/h", environ={"R": "20/5m"}) == "20/5m"
    for bad in ("3000", "h/3000", "0/h", "lots/h", "10/week"):
        with pytest.raises(ImproperlyConfigured, match="R="):
            env_rate("R", "3000/h", environ={"R": bad})


@pytest.mark.django_db
def test_postgresql_sessions_compile_no_statement() -> None:
    """The product's sessions turn PostgreSQL's JIT off (congress/settings.py): a short
    statement estimated as costly was compiled for longer than it ran."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL=postgres://...)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
        # Nor plan parallel workers (DATABASE_PARALLEL_WORKERS, default 0).
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)
