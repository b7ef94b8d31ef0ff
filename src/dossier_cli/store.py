"""The database: engine, per-connection settings, sessions and schema upgrades.

SQLite (a file, the default) or PostgreSQL (given a URL). Nothing outside this
module needs to know which one it is talking to.

SQLite settings, per connection: foreign keys on; WAL, so long reads never block a
writer; a 15 s busy timeout; `synchronous=FULL`, so a command that reported success
survives a power cut, not only a crash. Write sessions start with `BEGIN IMMEDIATE`
so two writers queue on the lock instead of failing half-way through.

The schema is created and upgraded by Alembic. Checking it costs one query: the
stored revision is compared with `SCHEMA_REVISION`; only when they differ is Alembic
imported and run.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dossier_cli.errors import Busy, DossierError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

# The newest migration in dossier_cli/migrations/versions (a test keeps them in step).
SCHEMA_REVISION = "0002"

BUSY_TIMEOUT_MS = 15_000


def busy_timeout_ms() -> int:
    """How long a writer waits for another one: BUSY_TIMEOUT_MS, or DOSSIER_BUSY_TIMEOUT_MS when set."""
    value = os.environ.get("DOSSIER_BUSY_TIMEOUT_MS", "").strip()
    return int(value) if value.isdigit() else BUSY_TIMEOUT_MS
_engines: dict[str, Engine] = {}


def database_url(database: str) -> str:
    """Turn a path or URL from the settings into an SQLAlchemy URL."""
    if "://" in database:
        if database.startswith("postgres://"):
            database = "postgresql://" + database[len("postgres://") :]
        if database.startswith("postgresql://"):
            database = "postgresql+psycopg://" + database[len("postgresql://") :]
        return database
    return "sqlite:///" + str(Path(database).expanduser().resolve())


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path | None:
    if not url.startswith("sqlite:///"):
        return None
    rest = url[len("sqlite:///") :]
    if not rest or rest == ":memory:":
        return None
    return Path(rest)


def _prepare_sqlite_file(path: Path) -> None:
    # The file holds personal data: everything we create is for the owner only.
    os.umask(0o077)
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)


def restrict_permissions(path: Path) -> None:
    """Make a database (and its -wal/-shm) or backup file readable by the owner only."""
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        try:
            mode = stat.S_IMODE(candidate.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            try:
                os.chmod(candidate, 0o600)
            except PermissionError:
                pass


def get_engine(database: str) -> Engine:
    url = database_url(database)
    engine = _engines.get(url)
    if engine is not None:
        return engine
    from sqlalchemy import create_engine, event

    if is_sqlite(url):
        path = sqlite_path(url)
        if path is not None:
            _prepare_sqlite_file(path)
        timeout_ms = busy_timeout_ms()
        engine = create_engine(
            url,
            hide_parameters=True,
            connect_args={"timeout": timeout_ms / 1000, "check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # We issue BEGIN ourselves (see _on_begin), so the driver must not.
            dbapi_conn.isolation_level = None
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={timeout_ms}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            mode = conn.get_execution_options().get("dossier_begin", "BEGIN")
            conn.exec_driver_sql(mode)

    else:
        try:
            engine = create_engine(url, hide_parameters=True, pool_pre_ping=False)
        except ModuleNotFoundError as exc:
            raise DossierError(
                f"the PostgreSQL driver is not installed ({exc.name})",
                hint="pip install 'dossier-cli[postgres]'",
            ) from None
    _engines[url] = engine
    return engine


def dispose_engines() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


def current_revision(engine: Engine) -> str | None:
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError, ProgrammingError

    with engine.connect() as conn:
        try:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        except (OperationalError, ProgrammingError):
            conn.rollback()
            return None
        conn.rollback()
    return row[0] if row else None


def ensure_schema(engine: Engine, database: str) -> None:
    """Create or upgrade the schema if (and only if) it is not at SCHEMA_REVISION."""
    revision = current_revision(engine)
    if revision == SCHEMA_REVISION:
        return
    upgrade_schema(engine, database, had_revision=revision)


def upgrade_schema(engine: Engine, database: str, *, had_revision: str | None = None) -> None:
    from alembic import command
    from alembic.config import Config

    if had_revision is not None:
        _backup_before_upgrade(database, had_revision)
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def _backup_before_upgrade(database: str, revision: str) -> None:
    """A schema upgrade of a database in use first keeps a copy of it."""
    url = database_url(database)
    path = sqlite_path(url)
    if path is None or not path.exists():
        return
    import sqlite3

    target = path.with_name(f"{path.name}.before-upgrade-{revision}.bak")
    source = sqlite3.connect(str(path))
    try:
        dest = sqlite3.connect(str(target))
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    restrict_permissions(target)


def open_engine(database: str) -> Engine:
    engine = get_engine(database)
    try:
        ensure_schema(engine, database)
    except DossierError:
        raise
    except Exception as exc:
        _raise_database_error(exc, database)
    path = sqlite_path(database_url(database))
    if path is not None:
        restrict_permissions(path)
    return engine


@contextmanager
def session_scope(database: str, *, write: bool = True) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any error."""
    from sqlmodel import Session

    engine = open_engine(database)
    with Session(engine, expire_on_commit=False) as session:
        try:
            if is_sqlite(str(engine.url)):
                # Procuring the connection here begins the transaction with the right lock.
                session.connection(execution_options={"dossier_begin": "BEGIN IMMEDIATE" if write else "BEGIN"})
            yield session
            if write:
                session.commit()
            else:
                session.rollback()
        except DossierError:
            session.rollback()
            raise
        except Exception as exc:
            session.rollback()
            _raise_database_error(exc, database)


def _raise_database_error(exc: Exception, database: str) -> None:
    from sqlalchemy.exc import DBAPIError, OperationalError

    if isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower():
        raise Busy("the database is busy: another dossier command is writing", hint="try again in a moment") from exc
    if isinstance(exc, DBAPIError):
        detail = str(exc.orig).splitlines()[0] if exc.orig is not None else type(exc).__name__
        raise DossierError(f"database error: {detail}") from exc
    raise exc


def describe(session: Session, database: str) -> dict[str, Any]:
    """Backend, schema revision and size facts for `dossier db status`."""
    from sqlalchemy import text

    engine = session.get_bind()
    url = database_url(database)
    info: dict[str, Any] = {
        "backend": engine.dialect.name,
        "schema_revision": session.execute(text("SELECT version_num FROM alembic_version")).scalar(),
    }
    for table in ("company", "person", "sale", "touch"):
        info[f"{table}_count"] = session.execute(text(f"SELECT count(*) FROM {table}")).scalar()
    path = sqlite_path(url)
    if path is not None:
        info["file"] = str(path)
        info["file_mode"] = oct(stat.S_IMODE(path.stat().st_mode))
    return info
