"""Where the loaded register lives, how a new month replaces the old one, and reading it back.

The register is reference data, not the user's: it never goes into the database's own
tables. Beside an SQLite database `dossier.db` it is the file `dossier.register.db`; on
PostgreSQL it is the schema `dossier_register` of the same database.

Tables (the same on both backends):
  meta(key, value)      the date the register describes, when and from what it was loaded
  firm(id, inn, …)      one row per document: a firm or a sole trader
  activity(region, code, firm_id)   every main and additional OKVED code of a firm, filed by
                        region then code, so "region 27, codes under 46.7" is one index range
  okved(code, name)     the register's own names for the codes it uses

Loading builds the new register completely before it replaces the old one, so a bad file
or an interruption leaves the loaded register as it was. On SQLite the new file is built
beside the old one and renamed over it (atomic); on PostgreSQL the new schema is built in
the same transaction that drops the old one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dossier_cli.errors import Conflict, InvalidInput, NotFound
from dossier_cli.i18n import _
from dossier_cli.register.loader import Entry, Progress, find_sources, read_entries

if TYPE_CHECKING:
    from sqlmodel import Session

PG_SCHEMA = "dossier_register"
_PG_BUILDING = "dossier_register_new"
_BATCH = 5_000
FIRM_COLUMNS = (
    "id", "inn", "ogrn", "kind", "category", "name", "name_key", "full_name", "region", "region_name",
    "city", "city_key", "included_on", "is_new", "okved", "extra",
)
_MISSING_HINT = "download the SME register (dataset 7707329152-rsmp) and run `dossier register load FILE.zip`"


def _schema_sql(prefix: str, *, sqlite: bool) -> list[str]:
    # SQLite files activities in key order as they go in (WITHOUT ROWID); PostgreSQL adds the
    # key after the rows are in.
    activity_key = ", PRIMARY KEY (region, code, firm_id)) WITHOUT ROWID" if sqlite else ")"
    return [
        f"CREATE TABLE {prefix}meta (key TEXT PRIMARY KEY, value TEXT)",
        f"CREATE TABLE {prefix}firm (id INTEGER PRIMARY KEY, inn TEXT NOT NULL, ogrn TEXT, kind SMALLINT NOT NULL, "
        "category SMALLINT NOT NULL, name TEXT NOT NULL, name_key TEXT NOT NULL, full_name TEXT, region TEXT NOT NULL, "
        "region_name TEXT, city TEXT, city_key TEXT, included_on TEXT, is_new SMALLINT NOT NULL, okved TEXT, extra TEXT)",
        f"CREATE TABLE {prefix}activity (region TEXT NOT NULL, code TEXT NOT NULL, firm_id INTEGER NOT NULL{activity_key}",
        f"CREATE TABLE {prefix}okved (code TEXT PRIMARY KEY, name TEXT)",
    ]


def _staged_firm_sql(prefix: str) -> str:
    return (
        f"CREATE TABLE {prefix}staged_firm (id INTEGER PRIMARY KEY, inn TEXT, ogrn TEXT, kind SMALLINT, category SMALLINT, "
        "name TEXT, name_key TEXT, full_name TEXT, region TEXT, region_name TEXT, city TEXT, city_key TEXT, "
        "included_on TEXT, is_new SMALLINT, okved TEXT, extra TEXT)"
    )


def _renumber_sql(prefix: str, staged: str, work: str, *, ordered: bool) -> list[str]:
    """Move the staged rows into place, each firm's id its rank by name (then INN).

    A search then reads the matching firms in id order, which is name order: it can stop after
    the first page instead of sorting every match. Byte order (COLLATE "C" on PostgreSQL, as
    SQLite compares), so both backends list alike.
    """
    collate = "" if ordered else ' COLLATE "C"'
    columns = ", ".join(FIRM_COLUMNS)
    source = ", ".join(f"s.{c}" for c in FIRM_COLUMNS[1:])
    sort = " ORDER BY m.id" if ordered else ""
    activity_sort = " ORDER BY 1, 2, 3" if ordered else ""
    return [
        f"CREATE TABLE {work}idmap (tmp_id INTEGER PRIMARY KEY, id INTEGER NOT NULL)",
        f"INSERT INTO {work}idmap SELECT id, row_number() OVER (ORDER BY name_key{collate}, inn{collate}, id) FROM {staged}staged_firm",
        f"INSERT INTO {prefix}firm ({columns}) SELECT m.id, {source} FROM {staged}staged_firm s JOIN {work}idmap m ON m.tmp_id = s.id{sort}",
        # Filed in key order: one sequential pass instead of millions of random inserts.
        f"INSERT INTO {prefix}activity SELECT s.region, s.code, m.id FROM {staged}staged s "
        f"JOIN {work}idmap m ON m.tmp_id = s.firm_id{activity_sort}",
        f"DROP TABLE {staged}staged_firm",
        f"DROP TABLE {staged}staged",
        f"DROP TABLE {work}idmap",
    ]


def _index_sql(prefix: str) -> list[str]:
    return [
        f"CREATE INDEX ix_register_firm_inn ON {prefix}firm (inn)",
        f"CREATE INDEX ix_register_firm_place ON {prefix}firm (region, city_key)",
    ]


# ---------------------------------------------------------------- where
@dataclass
class Location:
    database: str
    path: Path | None  # the SQLite file; None on PostgreSQL

    @property
    def postgres(self) -> bool:
        return self.path is None

    @property
    def prefix(self) -> str:
        return "" if self.path is not None else f"{PG_SCHEMA}."

    def describe(self) -> str:
        return str(self.path) if self.path is not None else _("schema {schema} of the database").format(schema=PG_SCHEMA)


def locate(database: str) -> Location:
    from dossier_cli.store import database_url, is_postgres, sqlite_path

    url = database_url(database)
    if is_postgres(url):
        return Location(database, None)
    path = sqlite_path(url)
    if path is None:
        raise InvalidInput(_("the tax register needs a database file or a PostgreSQL database"))
    return Location(database, path.with_name(f"{path.stem}.register.db"))


# ---------------------------------------------------------------- reading
class Register:
    """An open, loaded register: queries with `:name` parameters, on either backend."""

    def __init__(self, location: Location, connection: Any) -> None:
        self.location = location
        self._conn = connection
        self.prefix = location.prefix
        self._meta: dict[str, str] | None = None

    def rows(self, sql: str, params: dict[str, Any] | None = None) -> Iterable[tuple]:
        sql = sql.replace("{p}", self.prefix)
        if self.location.postgres:
            from sqlalchemy import text

            return self._conn.execute(text(sql), params or {})
        return self._conn.execute(sql, params or {})

    def scalar(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        for row in self.rows(sql, params):
            return row[0]
        return None

    @property
    def meta(self) -> dict[str, str]:
        if self._meta is None:
            self._meta = {key: value for key, value in self.rows("SELECT key, value FROM {p}meta")}
        return self._meta

    @property
    def as_of(self) -> str:
        return self.meta.get("as_of", "")

    def okved_names(self) -> dict[str, str]:
        return {code: name for code, name in self.rows("SELECT code, name FROM {p}okved") if name}

    def firm_by_inn(self, inn: str) -> dict[str, Any] | None:
        for row in self.rows(f"SELECT {', '.join(FIRM_COLUMNS)} FROM {{p}}firm WHERE inn = :inn ORDER BY id LIMIT 1", {"inn": inn}):
            return dict(zip(FIRM_COLUMNS, row))
        return None


@contextmanager
def open_register(database: str, *, session: Session | None = None, required: bool = True) -> Iterator[Register | None]:
    """The loaded register, read-only; None (or NotFound when required) when none is loaded.

    On PostgreSQL a command's own session is reused when given (one snapshot, one transaction).
    """
    location = locate(database)
    if location.postgres:
        from sqlalchemy import text

        if session is not None:
            connection = session.connection()
            yield _checked(location, connection, required, text)
            return
        from dossier_cli.store import get_engine

        with get_engine(database).connect() as connection:
            try:
                yield _checked(location, connection, required, text)
            finally:
                connection.rollback()
        return
    assert location.path is not None
    if not location.path.exists():
        if required:
            raise NotFound(_("no tax register is loaded"), hint=_(_MISSING_HINT))
        yield None
        return
    import sqlite3

    connection = sqlite3.connect(f"file:{location.path}?mode=ro", uri=True)
    try:
        yield Register(location, connection)
    finally:
        connection.close()


def _checked(location: Location, connection: Any, required: bool, text: Any) -> Register | None:
    present = connection.execute(text("SELECT to_regclass(:name)"), {"name": f"{PG_SCHEMA}.meta"}).scalar()
    if present is None:
        if required:
            raise NotFound(_("no tax register is loaded"), hint=_(_MISSING_HINT))
        return None
    return Register(location, connection)


# ---------------------------------------------------------------- status
def status(database: str) -> dict[str, Any]:
    """What is loaded: the date it describes, counts by kind and category, its size, where it is."""
    from dossier_cli.register.codes import CATEGORIES, KINDS

    with open_register(database) as register:
        assert register is not None
        meta = dict(register.meta)
        counts = {kind: 0 for kind in KINDS.values()}
        categories = {category: 0 for category in CATEGORIES.values()}
        for kind, category, number in register.rows("SELECT kind, category, count(*) FROM {p}firm GROUP BY kind, category"):
            counts[KINDS.get(kind, str(kind))] = counts.get(KINDS.get(kind, str(kind)), 0) + number
            categories[CATEGORIES.get(category, str(category))] = categories.get(CATEGORIES.get(category, str(category)), 0) + number
        activities = register.scalar("SELECT count(*) FROM {p}activity")
        size = _size(register)
    return {
        "as_of": meta.get("as_of"),
        "loaded_at": meta.get("loaded_at"),
        "files": meta.get("files", "").split("\n") if meta.get("files") else [],
        "documents": sum(counts.values()),
        "firms": counts["firm"],
        "sole_traders": counts["sole trader"] + counts["farm (sole trader)"],
        **{f"category_{name}": number for name, number in categories.items()},
        "activity_codes": activities,
        "size_bytes": size,
        "where": register.location.describe(),
    }


def _size(register: Register) -> int:
    if register.location.path is not None:
        return register.location.path.stat().st_size
    return int(
        register.scalar(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :schema AND c.relkind = 'r'",
            {"schema": PG_SCHEMA},
        )
    )


# ---------------------------------------------------------------- loading
@dataclass
class LoadResult:
    as_of: str
    previous: str | None
    documents: int
    firms: int
    sole_traders: int
    files: int
    where: str


def load(database: str, paths: list[str], *, force: bool = False, progress: Progress | None = None) -> LoadResult:
    """Read the dataset and make it the loaded register, replacing the previous month at once.

    An older month than the one loaded is refused (Conflict) unless `force`.
    """
    sources = find_sources(paths)
    location = locate(database)
    with open_register(database, required=False) as current:
        previous = current.as_of if current is not None else None
    entries = read_entries(sources, progress)
    labels = [s.label for s in sources]
    builder = _PostgresBuilder(location) if location.postgres else _SqliteBuilder(location)
    try:
        counts = builder.build(_checked_month(entries, previous, force), labels)
    except BaseException:
        builder.abandon()
        raise
    builder.commit()
    return LoadResult(
        as_of=counts["as_of"], previous=previous, documents=counts["documents"], firms=counts["firms"],
        sole_traders=counts["documents"] - counts["firms"], files=len(sources), where=location.describe(),
    )


def _checked_month(entries: Iterator[Entry], previous: str | None, force: bool) -> Iterator[Entry]:
    first = True
    for entry in entries:
        if first and previous and entry.as_of < previous and not force:
            raise Conflict(
                _("the register loaded describes {previous}; this one describes {new}, an older month").format(
                    previous=previous, new=entry.as_of
                ),
                hint=_("nothing was changed; add --force to load the older month anyway"),
            )
        first = False
        yield entry


def _rows(entries: Iterable[Entry], counts: dict[str, Any], names: dict[str, str]) -> Iterator[tuple[tuple, list[tuple]]]:
    """(firm row, activity rows) per entry; counts and the register's code names gathered on the way."""
    from dossier_cli.text import company_key, fold

    as_of = ""
    firm_id = 0
    for entry in entries:
        firm_id += 1
        if entry.as_of > as_of:
            as_of = entry.as_of
        if entry.kind == 1:
            counts["firms"] += 1
        codes = [entry.okved] if entry.okved else []
        for code, _name in entry.extra:
            codes.append(code)
        if entry.okved and entry.okved_name and entry.okved not in names:
            names[entry.okved] = entry.okved_name
        for code, name in entry.extra:
            if name and code not in names:
                names[code] = name
        unique = list(dict.fromkeys(codes))
        firm = (
            firm_id, entry.inn, entry.ogrn, entry.kind, entry.category, entry.name, company_key(entry.name) or fold(entry.name),
            entry.full_name, entry.region, entry.region_name, entry.city, fold(entry.city) if entry.city else None,
            entry.included_on, 1 if entry.is_new else 0, entry.okved, " ".join(unique[1:] if entry.okved else unique) or None,
        )
        yield firm, [(entry.region, code, firm_id) for code in unique]
    counts["documents"] = firm_id
    counts["as_of"] = as_of


def _meta_rows(counts: dict[str, Any], labels: list[str]) -> list[tuple[str, str]]:
    regions = counts.get("regions", [])
    return [
        ("as_of", counts["as_of"]),
        ("loaded_at", datetime.now(timezone.utc).replace(microsecond=0).isoformat()),
        ("files", "\n".join(labels)),
        ("documents", str(counts["documents"])),
        ("regions", " ".join(sorted(regions))),
    ]


class _SqliteBuilder:
    """Builds the new register file beside the old one, then renames it into place."""

    def __init__(self, location: Location) -> None:
        assert location.path is not None
        self.target = location.path
        self.path = location.path.with_name(f"{location.path.name}.loading-{os.getpid()}")
        self.conn: Any = None

    def build(self, entries: Iterator[Entry], labels: list[str]) -> dict[str, Any]:
        import sqlite3

        os.umask(0o077)
        self.target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path.unlink(missing_ok=True)
        self.conn = conn = sqlite3.connect(self.path, isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-16000", "temp_store=FILE", "page_size=8192"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("BEGIN")
        for statement in _schema_sql("", sqlite=True):
            conn.execute(statement)
        # Documents go to staging tables first: a firm's final id is its place in name order.
        conn.execute(_staged_firm_sql("temp."))
        conn.execute("CREATE TEMP TABLE staged (region TEXT, code TEXT, firm_id INTEGER)")
        counts: dict[str, Any] = {"firms": 0, "documents": 0, "as_of": ""}
        names: dict[str, str] = {}
        firm_sql = f"INSERT INTO staged_firm ({', '.join(FIRM_COLUMNS)}) VALUES ({', '.join('?' * len(FIRM_COLUMNS))})"
        regions: set[str] = set()
        for firms, activities in _batches(_rows(entries, counts, names)):
            conn.executemany(firm_sql, firms)
            conn.executemany("INSERT INTO staged VALUES (?, ?, ?)", activities)
            regions.update(f[8] for f in firms)
        if not counts["documents"]:
            raise InvalidInput(_("the files hold no register documents (<Документ>)"), hint=_("the loaded register is unchanged"))
        for statement in _renumber_sql("", "temp.", "temp.", ordered=True):
            conn.execute(statement)
        for statement in _index_sql(""):
            conn.execute(statement)
        conn.executemany("INSERT INTO okved VALUES (?, ?)", sorted(names.items()))
        counts["regions"] = regions
        conn.executemany("INSERT INTO meta VALUES (?, ?)", _meta_rows(counts, labels))
        conn.execute("PRAGMA analysis_limit=1000")
        conn.execute("ANALYZE")
        conn.execute("COMMIT")
        return counts

    def abandon(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.path.unlink(missing_ok=True)

    def commit(self) -> None:
        self.conn.close()
        with self.path.open("rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(self.path, 0o600)
        os.replace(self.path, self.target)
        try:
            directory = os.open(self.target.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
        except OSError:
            pass


class _PostgresBuilder:
    """Builds the schema dossier_register_new, then swaps it for dossier_register: one transaction."""

    def __init__(self, location: Location) -> None:
        from dossier_cli.store import get_engine

        self.engine = get_engine(location.database)
        self.connection: Any = None
        self.transaction: Any = None

    def build(self, entries: Iterator[Entry], labels: list[str]) -> dict[str, Any]:
        self.connection = self.engine.connect()
        self.transaction = self.connection.begin()
        raw = self.connection.connection.driver_connection
        prefix = f"{_PG_BUILDING}."
        with raw.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {_PG_BUILDING} CASCADE")
            cursor.execute(f"CREATE SCHEMA {_PG_BUILDING}")
            for statement in _schema_sql(prefix, sqlite=False):
                cursor.execute(statement)
            cursor.execute(_staged_firm_sql(prefix))
            cursor.execute(f"CREATE TABLE {prefix}staged (region TEXT, code TEXT, firm_id INTEGER)")
            counts: dict[str, Any] = {"firms": 0, "documents": 0, "as_of": ""}
            names: dict[str, str] = {}
            regions: set[str] = set()
            for firms, activities in _batches(_rows(entries, counts, names)):
                with cursor.copy(f"COPY {prefix}staged_firm ({', '.join(FIRM_COLUMNS)}) FROM STDIN") as copy:
                    for firm in firms:
                        copy.write_row(firm)
                with cursor.copy(f"COPY {prefix}staged (region, code, firm_id) FROM STDIN") as copy:
                    for activity in activities:
                        copy.write_row(activity)
                regions.update(f[8] for f in firms)
            if not counts["documents"]:
                raise InvalidInput(_("the files hold no register documents (<Документ>)"), hint=_("the loaded register is unchanged"))
            for statement in _renumber_sql(prefix, prefix, prefix, ordered=False):
                cursor.execute(statement)
            cursor.execute(f"ALTER TABLE {prefix}activity ADD PRIMARY KEY (region, code, firm_id)")
            for statement in _index_sql(prefix):
                cursor.execute(statement)
            counts["regions"] = regions
            cursor.executemany(f"INSERT INTO {prefix}okved VALUES (%s, %s)", sorted(names.items()))
            cursor.executemany(f"INSERT INTO {prefix}meta VALUES (%s, %s)", _meta_rows(counts, labels))
            cursor.execute(f"ANALYZE {prefix}firm")
            cursor.execute(f"ANALYZE {prefix}activity")
            cursor.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
            cursor.execute(f"ALTER SCHEMA {_PG_BUILDING} RENAME TO {PG_SCHEMA}")
        return counts

    def abandon(self) -> None:
        if self.transaction is not None:
            self.transaction.rollback()
        if self.connection is not None:
            self.connection.close()

    def commit(self) -> None:
        self.transaction.commit()
        self.connection.close()


def _batches(rows: Iterator[tuple[tuple, list[tuple]]]) -> Iterator[tuple[list[tuple], list[tuple]]]:
    firms: list[tuple] = []
    activities: list[tuple] = []
    for firm, activity in rows:
        firms.append(firm)
        activities.extend(activity)
        if len(firms) >= _BATCH:
            yield firms, activities
            firms, activities = [], []
    if firms:
        yield firms, activities
