"""The database: engine, per-connection settings, sessions and schema upgrades.

SQLite (a file, the default) or PostgreSQL (given a `postgresql://` URL, through
psycopg 3). Nothing outside this module needs to know which one it is talking to.

SQLite settings, per connection: foreign keys on; WAL, so long reads never block a
writer; a 15 s busy timeout; `synchronous=FULL`, so a command that reported success
survives a power cut, not only a crash. Write sessions start with `BEGIN IMMEDIATE`
so two writers queue on the lock instead of failing half-way through.

PostgreSQL settings, per connection: time zone UTC (stored timestamps are UTC on both
backends) and a 15 s lock timeout. Write sessions take one transaction-level advisory
lock first, so writers queue exactly as they do on SQLite: a check-then-insert
(duplicate names, a stage moving forward only) can never race another writer, and
writers cannot deadlock one another. Row locks (`lock_for_update`) stay valid on top
of it. Read-only commands see one snapshot (REPEATABLE READ), as on SQLite. A writer
that waits longer than the timeout, a serialization failure or a
deadlock (from some other client of the server) becomes `Busy` (exit 6, retryable).
The password comes from ~/.pgpass or PGPASSWORD (libpq reads both); one given in
the URL still works but is never printed.

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

from dossier_cli.errors import Busy, DossierError, InvalidInput
from dossier_cli.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

# The newest migration (the head of the chain) in dossier_cli/migrations/versions (a test keeps them in step).
SCHEMA_REVISION = "0009"

BUSY_TIMEOUT_MS = 15_000
# The advisory lock every PostgreSQL write transaction holds (any constant unique to dossier).
WRITE_LOCK_KEY = 0x646F7373  # "doss"
# SQLSTATEs meaning "another transaction got in the way; running the command again is safe".
_RETRYABLE_SQLSTATES = {
    "40001": "a concurrent change conflicted with this one",  # serialization_failure
    "40P01": "a concurrent change deadlocked with this one",  # deadlock_detected
    "55P03": "another dossier command held the lock too long",  # lock_not_available
    "57014": "another dossier command held the lock too long",  # query_canceled (statement timeout)
}


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


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


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

    elif is_postgres(url):
        try:
            engine = create_engine(
                url,
                hide_parameters=True,
                pool_pre_ping=False,
                connect_args={
                    "connect_timeout": 10,
                    "application_name": "dossier",
                    "options": f"-c timezone=UTC -c lock_timeout={busy_timeout_ms()}",
                },
            )
        except ImportError:
            raise DossierError(
                _("a postgresql:// database needs the PostgreSQL driver psycopg 3, which is not installed"),
                hint=_("pip install 'dossier-cli[postgres]'"),
            ) from None
    else:
        scheme = url.split("://", 1)[0]
        raise InvalidInput(
            _("unsupported database URL scheme '{scheme}://'").format(scheme=scheme),
            hint=_("give a file path or a postgresql://user@host/dbname URL"),
        )
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
    """Run the migrations, holding the writers' lock so that two first uses do not collide."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    if had_revision is not None:
        _backup_before_upgrade(database, had_revision)
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    sqlite = is_sqlite(str(engine.url))
    with engine.connect() as conn:
        if sqlite:
            # A migration may rebuild a table (SQLite's way to change one): with foreign keys
            # on, dropping the old copy would cascade to the rows that point at it. They are
            # checked before the upgrade commits instead. (Outside a transaction: the driver
            # connection, which never begins one by itself here.)
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            conn = conn.execution_options(dossier_begin="BEGIN IMMEDIATE")
            with conn.begin():
                if not sqlite:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
                # Another process may have upgraded while we waited for the lock.
                if _revision_in(conn) == SCHEMA_REVISION:
                    return
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise DossierError(f"the schema upgrade would break {len(broken)} references; nothing was changed")
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def _revision_in(conn: Any) -> str | None:
    from sqlalchemy import inspect, text

    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


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
            _begin(session, write=write)
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


def _begin(session: Session, *, write: bool) -> None:
    """Start the transaction so that writers queue instead of failing half-way through."""
    url = str(session.get_bind().url)
    if is_sqlite(url):
        # Procuring the connection here begins the transaction with the right lock.
        session.connection(execution_options={"dossier_begin": "BEGIN IMMEDIATE" if write else "BEGIN"})
    elif is_postgres(url) and write:
        from sqlalchemy import text

        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
    elif is_postgres(url):
        # One snapshot for the whole command, as an SQLite read transaction has: a report's
        # totals and its rows agree even while others write. (Reads never fail under it.)
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def lock_for_update(query: Any) -> Any:
    """A SELECT that also locks the rows it reads until the command's transaction ends.

    `SELECT … FOR UPDATE` on PostgreSQL; on SQLite the write transaction already holds
    the whole database (BEGIN IMMEDIATE), and SQLAlchemy leaves the clause out.
    """
    return query.with_for_update()


def _raise_database_error(exc: Exception, database: str) -> None:
    from sqlalchemy.exc import DBAPIError, OperationalError

    if isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower():
        raise Busy(_("the database is busy: another dossier command is writing"), hint=_("try again in a moment")) from exc
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
    if sqlstate in _RETRYABLE_SQLSTATES:
        raise Busy(_("the database is busy: {value}").format(value=_RETRYABLE_SQLSTATES[sqlstate]), hint=_("nothing was changed; run the command again")) from exc
    if isinstance(exc, DBAPIError):
        detail = str(exc.orig).splitlines()[0] if exc.orig is not None else type(exc).__name__
        detail = _scrub_password(detail, database)
        cannot_connect = isinstance(exc, OperationalError) and (sqlstate is None or sqlstate[:2] in ("08", "28", "3D"))
        if is_postgres(database_url(database)) and (exc.connection_invalidated or cannot_connect):
            from dossier_cli.config import mask_url

            raise DossierError(
                _("cannot use the database {value}: {detail}").format(value=mask_url(database), detail=detail),
                hint=_("check that the server is running and the password is in ~/.pgpass or PGPASSWORD"),
            ) from None
        if is_sqlite(database_url(database)) and "unable to open" in detail:
            # name the file: the folder may be missing, read-only, or not a folder at all
            raise DossierError(_("cannot use the database {value}: {detail}").format(value=database, detail=detail)) from None
        raise DossierError(_("database error: {detail}").format(detail=detail)) from exc
    raise exc


def _scrub_password(message: str, database: str) -> str:
    """Never let a password given in the URL reach the terminal."""
    from urllib.parse import unquote

    if "://" not in database or "@" not in database:
        return message
    creds = database.split("://", 1)[1].rsplit("@", 1)[0]
    if ":" not in creds:
        return message
    password = creds.split(":", 1)[1]
    for form in {password, unquote(password)}:
        if form:
            message = message.replace(form, "***")
    return message


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
    if is_postgres(url):
        info["server_version"] = session.execute(text("SHOW server_version")).scalar()
        info["connected_as"] = session.execute(text("SELECT current_user")).scalar()
    path = sqlite_path(url)
    if path is not None:
        info["file"] = str(path)
        info["file_mode"] = oct(stat.S_IMODE(path.stat().st_mode))
    return info
