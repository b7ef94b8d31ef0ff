"""Backups, restores and health checks of the SQLite database file.

A backup is taken with SQLite's online backup API on its own connection, so other
commands may keep writing; it is written to a temporary file, verified with an
integrity check, made readable by the owner only, and only then renamed into place.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from dossier_cli.errors import DossierError, InvalidInput, NotFound
from dossier_cli.store import database_url, restrict_permissions, sqlite_path
from dossier_cli.i18n import _

BACKUP_DEADLINE_SECONDS = 120.0
_PAGES_PER_STEP = 4096
_DATED = re.compile(r"\.\d{8}T\d{6}Z?\.bak$")


class BackupTimeout(DossierError):
    pass


def database_file(database: str) -> Path:
    path = sqlite_path(database_url(database))
    if path is None:
        raise InvalidInput(
            _("backup, restore and check work on a SQLite database file"),
            hint=_("for PostgreSQL use pg_dump and pg_restore"),
        )
    return path


def _copy(source: sqlite3.Connection, target_path: Path, deadline: float) -> None:
    target = sqlite3.connect(str(target_path))
    try:
        started = time.monotonic()

        def progress(_status: int, _remaining: int, _total: int) -> None:
            if time.monotonic() - started > deadline:
                raise BackupTimeout(
                    f"the backup did not finish within {deadline:.0f} s (the database kept changing)",
                    hint=_("try again when fewer commands are writing"),
                )

        source.backup(target, pages=_PAGES_PER_STEP, progress=progress)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def integrity_problems(path: Path) -> list[str]:
    """Findings of SQLite's integrity and foreign-key checks (empty when healthy)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [f"cannot open: {exc}"]
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} points to a missing {parent}")
        return problems
    except sqlite3.DatabaseError as exc:
        return [f"not a dossier database: {exc}"]
    finally:
        conn.close()


def _require_dossier_file(path: Path) -> None:
    if not path.is_file():
        raise NotFound(_("no such file: {path}").format(path=path))
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise InvalidInput(_("{path} is not an SQLite database").format(path=path)) from None
    if not {"company", "alembic_version"} <= tables:
        raise InvalidInput(_("{path} is not a dossier database (no company table)").format(path=path))
    problems = integrity_problems(path)
    if problems:
        raise InvalidInput(_("{path} fails the integrity check: {value}").format(path=path, value=problems[0]))


def default_backup_path(db_file: Path, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    return db_file.with_name(f"{db_file.name}.{stamp}.bak")


def backup(database: str, target: Path | None = None, *, keep: int = 7, deadline: float = BACKUP_DEADLINE_SECONDS) -> dict[str, object]:
    """Copy the live database to `target` (default: a dated file beside it); prune old dated ones."""
    db_file = database_file(database)
    if not db_file.exists():
        raise NotFound(_("no database at {db_file} yet; nothing to back up").format(db_file=db_file))
    os.umask(0o077)
    final = (target or default_backup_path(db_file)).expanduser().resolve()
    if final == db_file.resolve():
        raise InvalidInput(_("the backup file must not be the database itself"))
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(f".{final.name}.partial")
    temporary.unlink(missing_ok=True)
    source = sqlite3.connect(str(db_file), timeout=15)
    try:
        _copy(source, temporary, deadline)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    os.chmod(temporary, 0o600)
    problems = integrity_problems(temporary)
    if problems:
        temporary.unlink(missing_ok=True)
        raise DossierError(_("the backup failed its integrity check: {value}; the database was not changed").format(value=problems[0]))
    os.replace(temporary, final)
    removed = prune_backups(db_file, keep) if target is None else []
    return {"backup": str(final), "bytes": final.stat().st_size, "pruned": [str(p) for p in removed]}


def prune_backups(db_file: Path, keep: int) -> list[Path]:
    dated = sorted(p for p in db_file.parent.glob(f"{db_file.name}.*.bak") if _DATED.search(p.name))
    old = dated[: max(len(dated) - max(keep, 1), 0)]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def restore(database: str, source_file: Path) -> dict[str, object]:
    """Replace the database's content with a checked backup, keeping a copy of what it replaces."""
    db_file = database_file(database)
    source_file = source_file.expanduser().resolve()
    _require_dossier_file(source_file)
    saved = None
    if db_file.exists():
        saved = backup(database, db_file.with_name(f"{db_file.name}.before-restore-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}.bak"))
    os.umask(0o077)
    db_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
    target = sqlite3.connect(str(db_file), timeout=15)
    try:
        target.execute("PRAGMA journal_mode=WAL")
        source.backup(target)
        target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        target.close()
        source.close()
    restrict_permissions(db_file)
    return {"restored_from": str(source_file), "database": str(db_file), "previous_saved_as": saved["backup"] if saved else None}


def check(database: str) -> list[str]:
    """Every finding of the integrity, foreign-key and search-index checks."""
    db_file = database_file(database)
    if not db_file.exists():
        raise NotFound(_("no database at {db_file} yet").format(db_file=db_file))
    problems = integrity_problems(db_file)
    if not problems:
        problems.extend(_search_index_problems(database))
    return problems


def _search_index_problems(database: str) -> list[str]:
    from dossier_cli import search
    from dossier_cli.store import session_scope

    with session_scope(database, write=False) as session:
        return search.check_index(session)
