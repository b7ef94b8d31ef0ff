"""Full-text search over company names and notes, people, touch notes and dossier answers.

The search sits behind a small interface (`SearchBackend`) so that each database can
use what it does best:

* SQLite: an FTS5 table `search_index` (tokenizer `unicode61 remove_diacritics 2`, which
  folds case for Cyrillic as for Latin), kept in step with the source tables by triggers
  created in migration 0002. Each indexed row's rowid encodes what it is
  (`id * 4 + kind code`), so the triggers replace an entry by rowid without a scan.
* Anything else: `KeyedSearch`, a portable fallback over the `*_key` columns for names
  (and the database's own Unicode-aware `lower()` for notes, which PostgreSQL has).

What the user types is always text: every word is quoted for FTS5, so `"`, `*`, `-`,
`NOT`, `C++`, `O'Brien`, `(` or `:` are searched for, never parsed as query syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Protocol

from dossier_cli.errors import InvalidInput
from dossier_cli.text import check_text, fold, like_pattern
from dossier_cli.i18n import _, N_
from dossier_cli.search_display import COMPANY_BODY, Hit, marked_snippet

if TYPE_CHECKING:
    from sqlmodel import Session

KINDS: tuple[str, ...] = ("companies", "people", "touches", "dossier")
_KIND_CODES = {"companies": 0, "people": 1, "touches": 2, "dossier": 3}
_KIND_OF_CODE = {code: kind for kind, code in _KIND_CODES.items()}
MAX_LIMIT = 1000
INDEX_TABLE = "search_index"


def _yo(expression: str) -> str:
    """SQL folding `ё` to `е` (the tokenizer folds case, not this letter)."""
    return f"replace(replace({expression}, 'ё', 'е'), 'Ё', 'Е')"


def _joined(*columns: str) -> str:
    return _yo(" || ' ' || ".join(f"coalesce({column}, '')" for column in columns))


_DOSSIER_VALUE = (
    "(CASE WHEN json_valid({v}) AND json_type({v}) = 'text' THEN json_extract({v}, '$') ELSE {v} END)"
)

# What each source table contributes: (table, kind code, company id, title, body, condition)
_SOURCES: tuple[tuple[str, int, str, str, str, str], ...] = (
    ("company", 0, "{r}.id", _yo("{r}.name"), _joined(*(f"{{r}}.{c}" for c in COMPANY_BODY)), "1"),
    ("person", 1, "NULL", _yo("{r}.name"), _joined("{r}.notes", "{r}.email"), "1"),
    ("touch", 2, "{r}.company_id", _yo("coalesce({r}.kind, '')"), _joined("{r}.note", "{r}.next_action"), "1"),
    (
        "dossier_answer",
        3,
        "{r}.company_id",
        _yo("{r}.item_key"),
        _yo(_DOSSIER_VALUE.format(v="{r}.value_json")),
        "{r}.is_current",
    ),
)


# The columns each source's entry is made of: only an update of one of them re-indexes the row
# (closing a next step, a stage move or a do-not-contact flag leave the index alone).
_INDEXED_COLUMNS: dict[str, tuple[str, ...]] = {
    "company": ("name", *COMPANY_BODY),
    "person": ("name", "notes", "email"),
    "touch": ("company_id", "kind", "note", "next_action"),
    "dossier_answer": ("company_id", "item_key", "value_json", "is_current"),
}


def sqlite_index_ddl() -> list[str]:
    """Statements creating the FTS5 table and its triggers (idempotent); used by migration 0002."""
    statements = [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {INDEX_TABLE} USING fts5("
        "kind UNINDEXED, item_id UNINDEXED, company_id UNINDEXED, title, body, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    ]
    for table, code, company, title, body, condition in _SOURCES:
        insert = (
            f"INSERT INTO {INDEX_TABLE} (rowid, kind, item_id, company_id, title, body) "
            f"SELECT new.id * 4 + {code}, {code}, new.id, {company.format(r='new')}, "
            f"{title.format(r='new')}, {body.format(r='new')} WHERE {condition.format(r='new')};"
        )
        delete = f"DELETE FROM {INDEX_TABLE} WHERE rowid = old.id * 4 + {code};"
        statements += [
            f"CREATE TRIGGER IF NOT EXISTS {table}_search_ai AFTER INSERT ON {table} BEGIN {insert} END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_search_ad AFTER DELETE ON {table} BEGIN {delete} END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_search_au AFTER UPDATE OF {', '.join(_INDEXED_COLUMNS[table])} "
            f"ON {table} BEGIN {delete} {insert} END",
        ]
    return statements


def sqlite_index_drop() -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS {t}_search_{s}" for t, *_ in _SOURCES for s in ("ai", "ad", "au")]
    return [*statements, f"DROP TABLE IF EXISTS {INDEX_TABLE}"]


def sqlite_index_populate() -> list[str]:
    """Statements filling the index from scratch (after a DELETE of every entry)."""
    return [
        f"INSERT INTO {INDEX_TABLE} (rowid, kind, item_id, company_id, title, body) "
        f"SELECT r.id * 4 + {code}, {code}, r.id, {company.format(r='r')}, {title.format(r='r')}, "
        f"{body.format(r='r')} FROM {table} r WHERE {condition.format(r='r')}"
        for table, code, company, title, body, condition in _SOURCES
    ]


@contextmanager
def deferred_index(session: Session, table: str) -> Iterator[None]:
    """Index rows inserted into `table` in one statement at the end, not one trigger call per row.

    FTS5 writes a segment each time a trigger's sub-statement ends, which makes bulk
    imports ten times slower; so the insert trigger is dropped for the block (inside the
    transaction, so a failure restores it) and the new rows are indexed together after.
    """
    from sqlalchemy import text

    conn = session.connection()
    if conn.dialect.name != "sqlite" or not _has_index(session):
        yield
        return
    source = next(item for item in _SOURCES if item[0] == table)
    _table, code, company, title, body, condition = source
    before = conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar()
    trigger = f"{table}_search_ai"
    create = next(statement for statement in sqlite_index_ddl() if f" {trigger} " in statement)
    conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
    try:
        yield
    finally:
        conn.execute(text(create))
    # Rows of this block that were updated after their insert are in the index already (the
    # update trigger put them there); they are indexed again below.
    conn.execute(
        text(f"DELETE FROM {INDEX_TABLE} WHERE rowid >= :low AND kind = {code}"), {"low": (before + 1) * 4}
    )
    conn.execute(
        text(
            f"INSERT INTO {INDEX_TABLE} (rowid, kind, item_id, company_id, title, body) "
            f"SELECT r.id * 4 + {code}, {code}, r.id, {company.format(r='r')}, {title.format(r='r')}, "
            f"{body.format(r='r')} FROM {table} r WHERE r.id > :before AND {condition.format(r='r')} ORDER BY r.id"
        ),
        {"before": before},
    )


def _has_index(session: Session) -> bool:
    from sqlalchemy import text

    return bool(session.execute(text(f"SELECT 1 FROM sqlite_master WHERE name = '{INDEX_TABLE}'")).first())


# ---------------------------------------------------------------- the query
_WORD = re.compile(r"\w", re.UNICODE)


def query_words(text: str) -> list[str]:
    """The words of what the user typed, folded; pure punctuation is dropped."""
    return [word for word in fold(text).split() if _WORD.search(word)]


_stemmers: dict[str, Any] = {}
_CYRILLIC = re.compile(r"[а-яё]")
_LATIN = re.compile(r"[a-z]")


def word_forms(word: str) -> list[str]:
    """A searched word and its stem (Snowball: Russian for Cyrillic words, English for Latin
    ones), so that «металлопроката» finds «металлопрокат» and "companies" finds "company".
    The stem is searched as a prefix, as the word is."""
    if not word.isalpha():
        return [word]
    language = "russian" if _CYRILLIC.search(word) else "english" if _LATIN.search(word) else None
    if language is None:
        return [word]
    stemmer = _stemmers.get(language)
    if stemmer is None:
        import Stemmer  # PyStemmer: the Snowball algorithms in C, one language loaded at a time

        stemmer = _stemmers[language] = Stemmer.Stemmer(language)
    stem = stemmer.stemWord(word).replace("ё", "е")
    forms = [word]
    if len(stem) >= 3 and stem != word:
        forms.append(stem)
    if language == "english" and stem.endswith("i") and len(stem) >= 4:
        forms.append(stem[:-1] + "y")  # company -> compani: "compan…y"
    return list(dict.fromkeys(forms))


def fts5_query(words: list[str]) -> str:
    """Each word as a quoted FTS5 string (so nothing in it is syntax); plain words match as
    prefixes, together with their stem: `("металлопроката"* OR "металлопрокат"*)`."""
    parts = []
    for word in words:
        if not word.isalnum():
            parts.append('"' + word.replace('"', '""') + '"')
            continue
        forms = ['"' + form.replace('"', '""') + '"*' for form in word_forms(word)]
        parts.append(forms[0] if len(forms) == 1 else "(" + " OR ".join(forms) + ")")
    return " AND ".join(parts)


class SearchBackend(Protocol):
    def search(self, session: Session, words: list[str], *, kinds: tuple[str, ...], limit: int) -> list[Hit]: ...

    def check(self, session: Session) -> list[str]: ...


class SqliteFts5Search:
    """FTS5 ranking (bm25, names weigh ten times the notes) with a snippet around the match."""

    def search(self, session: Session, words: list[str], *, kinds: tuple[str, ...], limit: int) -> list[Hit]:
        from sqlalchemy import text

        codes = ", ".join(str(_KIND_CODES[k]) for k in kinds)
        rows = session.execute(
            text(
                f"SELECT kind, item_id, company_id, title, "
                f"snippet({INDEX_TABLE}, -1, '[', ']', '…', 12) AS snip, bm25({INDEX_TABLE}, 0, 0, 0, 10.0, 1.0) AS score "
                f"FROM {INDEX_TABLE} WHERE {INDEX_TABLE} MATCH :q AND kind IN ({codes}) "
                "ORDER BY score, rowid LIMIT :limit"
            ),
            {"q": fts5_query(words), "limit": limit},
        ).all()
        return [Hit(_KIND_OF_CODE[int(r.kind)], int(r.item_id), r.company_id, r.title, r.snip, round(-float(r.score), 4)) for r in rows]

    def check(self, session: Session) -> list[str]:
        from sqlalchemy import text

        problems: list[str] = []
        existing = {
            row[0]
            for row in session.execute(text("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")).all()
        }
        if INDEX_TABLE not in existing:
            return ["the search index is missing"]
        for table, *_ in _SOURCES:
            for suffix in ("ai", "ad", "au"):
                if f"{table}_search_{suffix}" not in existing:
                    problems.append(f"the search trigger {table}_search_{suffix} is missing")
        try:
            session.execute(text(f"INSERT INTO {INDEX_TABLE}({INDEX_TABLE}, rank) VALUES ('integrity-check', 1)"))
        except Exception as exc:  # noqa: BLE001 - reported, not raised: this is a health check
            problems.append(f"the search index is damaged: {str(exc).splitlines()[0]}")
        for table, code, _company, _title, _body, condition in _SOURCES:
            expected = session.execute(text(f"SELECT count(*) FROM {table} r WHERE {condition.format(r='r')}")).scalar()
            indexed = session.execute(text(f"SELECT count(*) FROM {INDEX_TABLE} WHERE kind = {code}")).scalar()
            if expected != indexed:
                problems.append(f"the search index holds {indexed} {table} entries, the table {expected}")
        return problems


class KeyedSearch:
    """The portable fallback: names through the *_key columns, notes through lower() where it is Unicode-aware."""

    def search(self, session: Session, words: list[str], *, kinds: tuple[str, ...], limit: int) -> list[Hit]:
        from sqlalchemy import and_, func, or_
        from sqlmodel import select

        from dossier_cli.models import Company, DossierAnswer, Person, Touch

        unicode_lower = session.get_bind().dialect.name != "sqlite"
        hits: list[Hit] = []

        def matches(key_column: Any, text_columns: list[Any]) -> Any:
            conditions = []
            for word in words:
                options = []
                for form in word_forms(word):
                    pattern = like_pattern(form)
                    options += [key_column.like(pattern, escape="\\")] if key_column is not None else []
                    if unicode_lower:
                        # lower() is Unicode-aware there; ё is folded to е as the *_key columns have it.
                        options += [
                            func.translate(func.lower(column), "ё", "е").like(pattern, escape="\\")
                            for column in text_columns
                        ]
                conditions.append(or_(*options) if options else False)
            return and_(*conditions)

        # The same fields as the SQLite index (_SOURCES): a company's body, a person's notes and
        # e-mail, a touch's note and next action.
        if "companies" in kinds:
            company_text = [getattr(Company, column) for column in COMPANY_BODY]
            for c in session.exec(select(Company).where(matches(Company.search_key, company_text)).limit(limit)):
                fields = [c.name, *(getattr(c, column) for column in COMPANY_BODY)]
                hits.append(Hit("companies", c.id, c.id, c.name, marked_snippet(fields, words), 1.0))
        if "people" in kinds:
            for p in session.exec(select(Person).where(matches(Person.name_key, [Person.notes, Person.email])).limit(limit)):
                hits.append(Hit("people", p.id, None, p.name, marked_snippet([p.name, p.notes, p.email], words), 1.0))
        if unicode_lower and "touches" in kinds:
            for t in session.exec(select(Touch).where(matches(None, [Touch.note, Touch.next_action])).limit(limit)):
                hits.append(Hit("touches", t.id, t.company_id, t.kind, marked_snippet([t.note, t.next_action], words), 0.5))
        if unicode_lower and "dossier" in kinds:
            query = select(DossierAnswer).where(DossierAnswer.is_current, matches(None, [DossierAnswer.value_json]))
            for a in session.exec(query.limit(limit)):
                hits.append(Hit("dossier", a.id, a.company_id, a.item_key, a.value_json, 0.5))
        return hits[:limit]

    def check(self, session: Session) -> list[str]:
        return []


def backend_for(session: Session) -> SearchBackend:
    if session.get_bind().dialect.name == "sqlite":
        return SqliteFts5Search()
    return KeyedSearch()


def _kinds(kind: str | None) -> tuple[str, ...]:
    if kind is None:
        return KINDS
    folded = fold(kind)
    aliases = {"company": "companies", "person": "people", "touch": "touches", "dossier-answers": "dossier"}
    folded = aliases.get(folded, folded)
    if folded not in KINDS:
        raise InvalidInput(_("unknown kind '{kind}'").format(kind=kind), hint=_("choose one of: {items}").format(items=', '.join(KINDS)))
    return (folded,)


def search(
    session: Session, text: str, *, kind: str | None = None, limit: int = 20,
    labels: Callable[[], dict[str, str]] | None = None,
) -> list[dict[str, Any]]:
    """Ranked matches for `text`, best first, each with the company it belongs to and a snippet.

    A phone number in any format finds the company or person with that phone. Snippets
    are cut from the stored text (so «ё» stays), a person named in a dossier answer shows
    as the name, and `labels()` (item key -> label, asked for only when there are any) titles
    dossier hits.
    """
    from dossier_cli.search_display import phone_hits, restore_snippets

    check_text(text, field=N_("search text"), max_length=1000)
    if limit < 0 or limit > MAX_LIMIT:
        raise InvalidInput(_("--limit must be between 0 and {MAX_LIMIT}").format(MAX_LIMIT=MAX_LIMIT))
    kinds = _kinds(kind)
    words = query_words(text)
    if not words or limit == 0:
        return []
    hits = phone_hits(session, text, kinds=kinds)
    seen = {(hit.kind, hit.item_id) for hit in hits}
    if not hits:
        found = backend_for(session).search(session, words, kinds=kinds, limit=limit)
        hits += [hit for hit in found if (hit.kind, hit.item_id) not in seen]
    hits = hits[:limit]
    restore_snippets(session, hits, [form for word in words for form in word_forms(word)])
    records = _records(session, hits)
    if labels is not None and any(record["kind"] == "dossier" for record in records):
        titles = labels()
        for record in records:
            if record["kind"] == "dossier":
                record["title"] = titles.get(record["title"], record["title"])
    return records


def _records(session: Session, hits: list[Hit]) -> list[dict[str, Any]]:
    from sqlmodel import select

    from dossier_cli.models import Company, Person

    company_ids = {h.company_id for h in hits if h.company_id is not None}
    names = dict(session.exec(select(Company.id, Company.name).where(Company.id.in_(company_ids))).all()) if company_ids else {}  # type: ignore[union-attr]
    person_ids = {h.item_id for h in hits if h.kind == "people"}
    people = dict(session.exec(select(Person.id, Person.name).where(Person.id.in_(person_ids))).all()) if person_ids else {}  # type: ignore[union-attr]
    records = []
    for hit in hits:
        title = names.get(hit.company_id, hit.title) if hit.kind == "companies" else people.get(hit.item_id, hit.title)
        records.append(
            {
                "kind": hit.kind,
                "id": hit.item_id,
                "title": title if hit.kind in ("companies", "people") else hit.title,
                "company_id": hit.company_id,
                "company": names.get(hit.company_id) if hit.company_id is not None else None,
                "snippet": " ".join(hit.snippet.split()),
                "score": hit.score,
            }
        )
    return records


def check_index(session: Session) -> list[str]:
    """Problems with the search index, as sentences; empty when it is in step."""
    return backend_for(session).check(session)
