"""PostgreSQL: the same dossier on a shared server, the password never shown.

These need a server (DOSSIER_TEST_PG_URL; `.ci/run` starts one). Locally without one
they skip; in CI (CI=true) they fail instead, so they can never be skipped unnoticed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest

from dossier_cli.store import SCHEMA_REVISION

pytestmark = pytest.mark.postgres


@pytest.fixture
def password_role(pg_server):
    """A role that must log in with a password, owning a fresh database: (user, password, url without password)."""
    import psycopg

    from tests import pg

    user = f"dossier_sales_{os.getpid()}"
    password = "s3cret:пароль@1"
    pg.admin_execute(f'DROP ROLE IF EXISTS "{user}"')
    pg.admin_execute(f"CREATE ROLE \"{user}\" LOGIN PASSWORD '{password}'")
    database = pg.fresh_database_url(pg_server)
    name = database.rsplit("/", 1)[1]
    pg.admin_execute(f'ALTER DATABASE "{name}" OWNER TO "{user}"')
    host = pg_server.split("@", 1)[1].rsplit("/", 1)[0]
    url = f"postgresql://{user}@{host}/{name}"
    try:
        psycopg.connect(url, connect_timeout=5, password="").close()
    except psycopg.OperationalError:
        pass
    else:
        message = "this PostgreSQL server lets users in without a password over TCP (.ci/run configures scram-sha-256)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    yield user, password, url
    from dossier_cli.store import dispose_engines

    dispose_engines()
    pg.drop_database(database)
    pg.admin_execute(f'DROP ROLE IF EXISTS "{user}"')


def test_migrations_build_on_postgresql_exactly_what_models_describe(pg_database):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from dossier_cli.models import load_all


    load_all()  # registers every table
    from dossier_cli.store import SCHEMA_REVISION, current_revision, get_engine, open_engine

    engine = open_engine(pg_database)
    assert engine.dialect.name == "postgresql"
    assert current_revision(engine) == SCHEMA_REVISION
    with get_engine(pg_database).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_db_upgrade_and_status_on_postgresql(dossier, pg_database):
    upgraded = dossier("--db", pg_database, "db", "upgrade")
    assert upgraded.stderr.strip() == f"Schema is at revision {SCHEMA_REVISION}."
    dossier("--db", pg_database, "add", "company", "ООО «Ромашка»", "--city", "Хабаровск")
    status = dossier.json("--db", pg_database, "db", "status")
    assert status["backend"] == "postgresql"
    assert status["schema_revision"] == SCHEMA_REVISION
    assert status["company_count"] == 1
    assert status["from"] == "flag --db"
    assert status["database"] == pg_database
    assert status["server_version"]
    assert "file" not in status


def test_cyrillic_names_match_and_sort_alike_on_postgresql(dossier, pg_database, monkeypatch):
    monkeypatch.setenv("DOSSIER_DB", pg_database)
    for name in ["Яблоко", "ООО «Ромашка»", "Ёлка", "Берёза", "Amur Logistics"]:
        dossier("add", "company", name)
    assert dossier.json("show", "company", "РОМАШКА")["name"] == "ООО «Ромашка»"
    assert dossier.json("show", "company", "елка")["name"] == "Ёлка"
    names = [c["name"] for c in dossier.json("list", "companies")]
    assert names == ["Amur Logistics", "Берёза", "Ёлка", "ООО «Ромашка»", "Яблоко"]
    refused = dossier("add", "company", "ромашка ооо", expect=4)
    assert "already exists: #2 ООО «Ромашка»" in refused.stderr


def test_names_sort_as_on_sqlite_even_on_a_russian_locale_server(dossier, pg_database, monkeypatch):
    """A server whose default collation is Russian would put Cyrillic before Latin."""
    from tests import pg

    name = pg_database.rsplit("/", 1)[1]
    pg.drop_database(pg_database)
    try:
        pg.admin_execute(
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
            "LOCALE_PROVIDER icu ICU_LOCALE 'ru-RU' LOCALE 'C.UTF-8'"
        )
    except Exception as exc:  # an older server or one built without ICU
        pytest.skip(f"this server cannot create an ICU ru-RU database: {exc}")
    monkeypatch.setenv("DOSSIER_DB", pg_database)
    for company in ["Яблоко", "Amur Logistics", "Берёза", "Zeta"]:
        dossier("add", "company", company)
    assert [c["name"] for c in dossier.json("list", "companies")] == ["Amur Logistics", "Zeta", "Берёза", "Яблоко"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_money_beyond_32_bits_sums_exactly(backend, tmp_path, request):
    """A 30-million-rouble deal is 3,000,000,000 kopecks: more than a 32-bit integer holds."""
    from dossier_cli.selling import sales
    from dossier_cli.models import Company, Sale
    from dossier_cli.parsing import Period
    from dossier_cli.store import session_scope

    database = str(tmp_path / "money.db") if backend == "sqlite" else request.getfixturevalue("pg_database")
    with session_scope(database) as session:
        company = Company(name="Вектор", name_key="вектор", search_key="вектор")
        session.add(company)
        session.flush()
        for amount in (3_000_000_000, 4_000_000_001):
            session.add(Sale(company_id=company.id, sold_on=date(2026, 3, 1), amount_minor=amount))
    with session_scope(database, write=False) as session:
        totals = sales.sales_by_company(session, Period(date(2026, 1, 1), date(2026, 12, 31), "2026"))
    assert totals == [(1, 7_000_000_001)]
    assert type(totals[0][1]) is int


def test_password_comes_from_pgpass_or_pgpassword_and_is_never_shown(dossier, password_role, isolated_home, monkeypatch):
    user, password, url = password_role
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("DOSSIER_DB", url)

    refused = dossier("list", "companies", expect=1)
    assert refused.stderr.startswith(f"Error: cannot use the database {url}: ")
    assert "no password supplied" in refused.stderr
    assert "~/.pgpass or PGPASSWORD" in refused.stderr

    monkeypatch.setenv("PGPASSWORD", password)
    dossier("add", "company", "ООО «Ромашка»")
    monkeypatch.delenv("PGPASSWORD")

    host_port, dbname = url.split("@", 1)[1].rsplit("/", 1)
    host, port = host_port.rsplit(":", 1)
    pgpass = isolated_home / ".pgpass"
    escaped = password.replace("\\", "\\\\").replace(":", "\\:")
    pgpass.write_text(f"{host}:{port}:{dbname}:{user}:{escaped}\n", encoding="utf-8")
    pgpass.chmod(0o600)
    assert [c["name"] for c in dossier.json("list", "companies")] == ["ООО «Ромашка»"]
    status = dossier.json("db", "status")
    assert status["connected_as"] == user
    assert status["database"] == url


def test_a_password_in_the_url_works_but_is_masked_everywhere(dossier, password_role, monkeypatch):
    from urllib.parse import quote

    user, password, url = password_role
    monkeypatch.delenv("PGPASSWORD", raising=False)
    with_password = url.replace(f"{user}@", f"{user}:{quote(password, safe='')}@")
    masked = url.replace(f"{user}@", f"{user}:***@")
    monkeypatch.setenv("DOSSIER_DB", with_password)
    outputs = []

    dossier("add", "company", "Вектор")
    status = dossier("db", "status")
    assert masked in status.stdout
    outputs += [status.stdout, status.stderr, dossier("config", "show").stdout]

    wrong = with_password.replace(quote(password, safe=""), "wrong-пароль")
    monkeypatch.setenv("DOSSIER_DB", wrong)
    failed = dossier("--debug", "list", "companies", expect=1)
    assert "password authentication failed" in failed.stderr
    assert "wrong-пароль" not in failed.stderr
    outputs += [failed.stdout, failed.stderr]
    for text in outputs:
        assert password not in text and quote(password, safe="") not in text


def test_server_down_is_one_clear_error(dossier, monkeypatch):
    monkeypatch.setenv("DOSSIER_DB", "postgresql://sales:secret@127.0.0.1:1/dossier")
    result = dossier("list", "companies", expect=1)
    assert result.stderr.startswith("Error: cannot use the database postgresql://sales:***@127.0.0.1:1/dossier: ")
    assert "check that the server is running" in result.stderr
    assert "secret" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_missing_driver_is_one_clear_error():
    code = (
        "import sys\n"
        "sys.modules['psycopg'] = None\n"
        "sys.argv = ['dossier', '--db', 'postgresql://sales@127.0.0.1:1/dossier', 'list', 'companies']\n"
        "from dossier_cli.cli.app import main\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error: a postgresql:// database needs the PostgreSQL driver psycopg 3, which is not installed "
        "(pip install 'dossier-cli[postgres]')"
    )


def test_unknown_url_scheme_is_refused(dossier):
    result = dossier("--db", "mysql://sales@db.internal/dossier", "list", "companies", expect=2)
    assert result.stderr.strip() == (
        "Error: unsupported database URL scheme 'mysql://' (give a file path or a postgresql://user@host/dbname URL)"
    )


def test_audit_times_are_utc_whatever_the_server_time_zone(dossier, pg_database, monkeypatch):
    from tests import pg

    name = pg_database.rsplit("/", 1)[1]
    pg.admin_execute(f"ALTER DATABASE \"{name}\" SET timezone TO 'Asia/Vladivostok'")
    monkeypatch.setenv("DOSSIER_DB", pg_database)
    dossier("add", "company", "Вектор")
    [event] = dossier.json("audit")
    assert event["at"].endswith("+00:00")


def test_reads_see_one_snapshot_and_writers_queue_on_one_lock(pg_database):
    """What a command's session gets on PostgreSQL (SQLite gives the same by its own locking)."""
    from sqlalchemy import text

    from dossier_cli.store import WRITE_LOCK_KEY, session_scope

    def lock_held(session) -> bool:
        return bool(
            session.execute(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = :key AND pid = pg_backend_pid()"),
                {"key": WRITE_LOCK_KEY},
            ).scalar()
        )

    with session_scope(pg_database, write=False) as session:
        assert session.execute(text("SHOW transaction_isolation")).scalar() == "repeatable read"
        assert not lock_held(session)
    with session_scope(pg_database, write=True) as session:
        assert session.execute(text("SHOW transaction_isolation")).scalar() == "read committed"
        assert lock_held(session)
        assert session.execute(text("SHOW timezone")).scalar() == "UTC"
    with session_scope(pg_database, write=False) as session:
        assert session.execute(text("SHOW transaction_isolation")).scalar() == "repeatable read"
