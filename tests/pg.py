"""PostgreSQL test support: a fresh database per test on the server CI started.

DOSSIER_TEST_PG_URL names a server where the test user may create databases
(`.ci/run` starts one: postgresql://postgres@127.0.0.1:PORT/postgres). When it is set,
the whole suite runs against PostgreSQL. DOSSIER_TEST_PG_SERVER names such a server
too, but only for the PostgreSQL-specific tests: the rest of the suite stays on SQLite
(the first pass of `.ci/run`).
"""

from __future__ import annotations

import itertools
import os

import pytest

_counter = itertools.count()


def server_url() -> str | None:
    return os.environ.get("DOSSIER_TEST_PG_URL") or os.environ.get("DOSSIER_TEST_PG_SERVER") or None


def suite_on_postgres() -> bool:
    return bool(os.environ.get("DOSSIER_TEST_PG_URL"))


def require_server() -> str:
    """The server's URL, or skip (locally) / fail (in CI, where PostgreSQL tests must run)."""
    url = server_url()
    if url:
        return url
    reason = (
        "needs a PostgreSQL server: set DOSSIER_TEST_PG_URL=postgresql://user@host:port/postgres "
        "(the whole suite then runs on it; .ci/run starts one)"
    )
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI must run the PostgreSQL tests, but no server is set: {reason}")
    pytest.skip(reason)


def _admin_url(base_url: str) -> str:
    return base_url.rsplit("/", 1)[0] + "/postgres"


def fresh_database_url(base_url: str) -> str:
    import psycopg

    name = f"dossier_test_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(_admin_url(base_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base_url.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str) -> None:
    """Remove a database made by fresh_database_url (best effort: the server may be gone)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not name.startswith("dossier_test_"):
        return
    try:
        with psycopg.connect(_admin_url(url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.Error:
        pass


def admin_execute(sql: str, params: tuple = ()) -> None:
    """Run one statement as the server's test user (creating roles and the like)."""
    import psycopg

    with psycopg.connect(_admin_url(require_server()), autocommit=True) as conn:
        conn.execute(sql, params)  # type: ignore[arg-type]
