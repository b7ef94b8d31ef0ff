"""The rights of the people in the database (GDPR arts. 15, 17, 20, 21).

* `person_data` gathers everything stored about one person (access, portability).
* `forget_person` erases their personal data everywhere it appears, leaves a
  do-not-contact marker (hashes, never the name), and `purge_files` then makes the
  bytes disappear from the SQLite file and its WAL.
* The objection itself (do-not-contact) and the markers' matching live with the people
  records, in records/objections.py: every write path asks them.
"""

from __future__ import annotations

import glob
import json
import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dossier_cli import audit
from dossier_cli.records.objections import contacts_of, marker_digests, phone_digits

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.models import Person

ERASED = "[erased]"
# Columns that keep their text even when it contains the person's name: keys are
# recomputed from their names, company names identify a firm (a sole trader named after
# the person is removed with `rm company`), and contact points are unique values of
# their own owner (the person's own are deleted).
_KEEP_COLUMNS = {("company", "name"), ("contact_point", "value")}
# Code-like columns (stages, kinds, who acted) never hold free text about a person.
_CODE_COLUMNS = {
    "action", "entity", "command", "user", "stage", "status", "role", "kind", "outcome", "from_stage", "to_stage",
    "quarter", "activity", "legal_form", "tax_number", "kpp", "ogrn",
}


# ---------------------------------------------------------------- access (art. 15, 20)
def _row(obj: Any) -> dict[str, Any]:
    return {column.name: _plain(getattr(obj, column.name)) for column in obj.__table__.columns}


def _plain(value: Any) -> Any:
    from datetime import date, datetime

    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _events_naming(session: Session, person: Person) -> list[Any]:
    """Audit events about the person, or whose changes name their id as person_id."""
    from sqlalchemy import and_, or_
    from sqlmodel import select

    from dossier_cli.models import AuditEvent

    about = and_(AuditEvent.entity == "person", AuditEvent.entity_id == person.id)
    mentions = AuditEvent.changes_json.contains(f'"person_id": {person.id}', autoescape=True)  # type: ignore[attr-defined]
    found = []
    for event in session.exec(select(AuditEvent).where(or_(about, mentions)).order_by(AuditEvent.id)).all():
        if event.entity == "person" and event.entity_id == person.id:
            found.append(event)
            continue
        try:
            changes = json.loads(event.changes_json)
        except ValueError:
            continue
        if isinstance(changes, dict) and changes.get("person_id") == person.id:
            found.append(event)
    return found


def person_data(session: Session, person: Person) -> dict[str, Any]:
    """Everything stored about one person, as one JSON-ready document."""
    from sqlalchemy import or_
    from sqlmodel import select

    from dossier_cli.models import (
        Company,
        ContactPoint,
        DossierAnswer,
        Gift,
        PersonLink,
        PersonTag,
        Touch,
        utcnow,
    )

    def companies_of(ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        return dict(session.exec(select(Company.id, Company.name).where(Company.id.in_(sorted(ids)))).all())  # type: ignore[union-attr]

    links = session.exec(select(PersonLink).where(PersonLink.person_id == person.id).order_by(PersonLink.id)).all()
    touches = session.exec(select(Touch).where(Touch.person_id == person.id).order_by(Touch.touched_on, Touch.id)).all()
    answers = session.exec(
        select(DossierAnswer)
        .where(
            or_(
                DossierAnswer.person_id == person.id,
                DossierAnswer.value_json.contains(f'"id": {person.id}, "name": ', autoescape=True),  # type: ignore[attr-defined]
            )
        )
        .order_by(DossierAnswer.id)
    ).all()
    answers = [a for a in answers if a.person_id == person.id or _names_person(a.value_json, person)]
    gifts = session.exec(select(Gift).where(Gift.person_id == person.id).order_by(Gift.given_on, Gift.id)).all()
    names = companies_of({x.company_id for x in [*links, *touches, *answers, *gifts]})

    def with_company(obj: Any) -> dict[str, Any]:
        record = _row(obj)
        record["company"] = names.get(obj.company_id)
        return record

    def decoded(record: dict[str, Any], stored: str, key: str) -> dict[str, Any]:
        """The JSON text of column `stored` as data under `key` (as it is, if it is not JSON)."""
        text = record.pop(stored)
        try:
            record[key] = json.loads(text)
        except (TypeError, ValueError):
            record[key] = text
        return record

    def answer(obj: Any) -> dict[str, Any]:
        return decoded(with_company(obj), "value_json", "value")

    def event(obj: Any) -> dict[str, Any]:
        return decoded(_row(obj), "changes_json", "changes")

    return {
        "format": "dossier person export, v1",
        "exported_at": _plain(utcnow()),
        "person": _row(person),
        "links": [with_company(link) for link in links],
        "contact_points": [
            _row(point)
            for point in session.exec(
                select(ContactPoint).where(ContactPoint.person_id == person.id).order_by(ContactPoint.id)
            ).all()
        ],
        "tags": list(session.exec(select(PersonTag.tag).where(PersonTag.person_id == person.id).order_by(PersonTag.tag)).all()),
        "touches": [with_company(t) for t in touches],
        "dossier_answers": [answer(a) for a in answers],
        "gifts": [with_company(g) for g in gifts],
        "audit_events": [event(e) for e in _events_naming(session, person)],
    }


def _names_person(value_json: str, person: Person) -> bool:
    try:
        value = json.loads(value_json)
    except ValueError:
        return False
    return isinstance(value, dict) and value.get("id") == person.id


# ---------------------------------------------------------------- erasure (art. 17)
def _name_variants(name: str) -> set[str]:
    """The spellings of a name to erase from free text: as written, in other cases, and family name first."""
    words = name.split()
    variants = {name, " ".join(words)}
    if len(words) > 1:
        variants.add(" ".join([words[-1], *words[:-1]]))  # Петров Иван Сергеевич
    for variant in list(variants):
        variants |= {variant.upper(), variant.lower(), variant.title(), variant.replace("ё", "е").replace("Ё", "Е")}
    return {v for v in variants if len(v) >= 3}


def erase_patterns(session: Session, person: Person) -> list[str]:
    """The strings that must not survive `forget person`: name spellings, e-mails, phones."""
    emails, phones = contacts_of(session, person)
    patterns = _name_variants(person.name)
    for email in emails:
        patterns |= {email, email.lower(), email.upper()}
    for phone in phones:
        patterns |= {phone}
        if len(phone_digits(phone)) >= 6:
            patterns.add(phone_digits(phone))
            patterns.add("+" + phone_digits(phone))
    # longest first, so a name is replaced before a shorter spelling inside it
    return sorted((p for p in patterns if p.strip()), key=lambda p: (-len(p), p))


def _text_columns() -> list[tuple[Any, Any]]:
    from sqlalchemy import String, TypeDecorator
    from sqlmodel import SQLModel

    from dossier_cli.models import load_all


    load_all()  # registers every table

    columns = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type  # sqlmodel's AutoString
            textual = isinstance(kind, String)
            if not textual or column.primary_key or column.name.endswith("_key"):
                continue
            if (table.name, column.name) in _KEEP_COLUMNS or column.name in _CODE_COLUMNS or column.name == "digest":
                continue
            columns.append((table, column))
    return columns


def _scrub_text(session: Session, patterns: list[str]) -> int:
    """Replace every pattern (any case; JSON-escaped too in *_json columns) by ERASED; rows changed.

    LIKE finds the candidate rows of each text column (one scan per column); the
    rewriting happens here, where case-insensitive matching works for Cyrillic too.
    """
    from sqlalchemy import or_, select, update

    changed = 0
    for table, column in _text_columns():
        forms: list[str] = []
        for pattern in patterns:
            candidates = [pattern]
            if column.name.endswith("_json"):
                candidates += [json.dumps(pattern, ensure_ascii=False)[1:-1], json.dumps(pattern)[1:-1]]
            forms += [form for form in candidates if form not in forms]
        wanted = re.compile("|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True)), re.IGNORECASE)
        keys = list(table.primary_key.columns)
        rows = session.execute(
            select(*keys, column).where(or_(*(column.contains(form, autoescape=True) for form in forms)))
        ).all()
        for row in rows:
            old = row[-1]
            new = wanted.sub(ERASED, old)
            if new != old:
                session.execute(
                    update(table).where(*(key == value for key, value in zip(keys, row[:-1]))).values({column.name: new})
                )
                changed += 1
    return changed


def pseudonym() -> str:
    return f"person-{secrets.token_hex(6)}"


def forget_person(session: Session, person: Person) -> dict[str, Any]:
    """Erase a person's personal data everywhere and leave a do-not-contact marker.

    Everything happens in the caller's transaction; afterwards `purge_files` removes
    the old bytes from the database files (it must run after the commit).
    """
    from sqlalchemy import delete, update
    from sqlmodel import select

    from dossier_cli.models import (
        AuditEvent,
        ContactPoint,
        DossierAnswer,
        ForgottenPerson,
        Gift,
        Person,
        PersonLink,
        PersonTag,
        Touch,
    )

    _secure_delete(session, True)
    alias = pseudonym()
    emails, phones = contacts_of(session, person)
    patterns = erase_patterns(session, person)
    person_id = person.id
    counts: dict[str, int] = {}

    def run(label: str, statement: Any) -> None:
        counts[label] = session.execute(statement).rowcount or 0

    run("touches", update(Touch).where(Touch.person_id == person_id).values(person_id=None, note=ERASED))
    run("dossier_answers", delete(DossierAnswer).where(DossierAnswer.person_id == person_id))
    run("contact_points", delete(ContactPoint).where(ContactPoint.person_id == person_id))
    run("tags", delete(PersonTag).where(PersonTag.person_id == person_id))
    run("links", delete(PersonLink).where(PersonLink.person_id == person_id))
    run("gifts", update(Gift).where(Gift.person_id == person_id).values(person_id=None))
    run(
        "audit_events",
        update(AuditEvent)
        .where(AuditEvent.entity == "person", AuditEvent.entity_id == person_id)
        .values(changes_json=json.dumps({"person": alias})),
    )
    # dossier answers naming them as the decision maker etc. keep the item, not the person
    for answer in session.exec(
        select(DossierAnswer).where(
            DossierAnswer.value_json.contains(f'"id": {person_id}, "name": ', autoescape=True)  # type: ignore[attr-defined]
        )
    ).all():
        if _names_person(answer.value_json, person):
            answer.value_json = json.dumps({"id": None, "name": alias})
            session.add(answer)
    session.flush()
    session.execute(delete(Person).where(Person.id == person_id))
    counts["person"] = 1
    counts["texts_scrubbed"] = _scrub_text(session, patterns)
    known = set(session.exec(select(ForgottenPerson.digest)).all())
    markers = 0
    for digest in sorted(marker_digests(person.name, emails=emails, phones=phones) - known):
        session.add(ForgottenPerson(digest=digest))
        markers += 1
    counts["markers"] = markers
    audit.record(session, action="erase", entity="person", entity_id=None, changes={"person": alias})
    session.flush()
    _optimize_search_index(session)
    _secure_delete(session, False)  # the freed cells are zeroed already; later commands need not pay for it
    session.expunge(person)
    return {"pseudonym": alias, "counts": counts, "patterns": patterns}


def _secure_delete(session: Session, on: bool) -> None:
    from sqlalchemy import text

    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"PRAGMA secure_delete={'ON' if on else 'OFF'}"))


def _optimize_search_index(session: Session) -> None:
    """Merge the FTS5 segments, so deleted entries (and their words) leave the index pages."""
    from sqlalchemy import text

    from dossier_cli.search import INDEX_TABLE, _has_index

    if session.get_bind().dialect.name == "sqlite" and _has_index(session):
        session.execute(text(f"INSERT INTO {INDEX_TABLE}({INDEX_TABLE}) VALUES ('optimize')"))


def database_files(database: str) -> list[Path]:
    from dossier_cli.store import database_url, sqlite_path

    path = sqlite_path(database_url(database))
    if path is None:
        return []
    return [candidate for candidate in (path, Path(f"{path}-wal")) if candidate.exists()]


def files_holding(database: str, patterns: list[str]) -> list[str]:
    """Which of the database files still hold any of the patterns' UTF-8 bytes."""
    needles = [p.encode("utf-8") for p in patterns if p]
    if not needles:
        return []
    overlap = max(len(n) for n in needles)
    found = []
    for path in database_files(database):
        tail = b""
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 22):
                window = tail + chunk
                if any(needle in window for needle in needles):
                    found.append(path.name)
                    break
                tail = window[-overlap:]
    return found


def purge_files(database: str, patterns: list[str]) -> dict[str, Any]:
    """After the erasing commit: checkpoint the WAL into the file and truncate it; VACUUM if bytes remain.

    Returns what was done and whether the files are now clean of every pattern.
    """
    import sqlite3

    from dossier_cli.store import busy_timeout_ms, database_url, restrict_permissions, sqlite_path

    path = sqlite_path(database_url(database))
    if path is None:
        return {"files_checked": False, "vacuumed": False, "clean": None}
    conn = sqlite3.connect(str(path), timeout=busy_timeout_ms() / 1000, isolation_level=None)
    vacuumed = False
    try:
        conn.execute("PRAGMA secure_delete=ON")
        try:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except sqlite3.OperationalError:
            busy = 1
        remaining = files_holding(database, patterns)
        if remaining or busy:
            try:
                conn.execute("VACUUM")
                vacuumed = True
                busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            except sqlite3.OperationalError:  # another process holds the database: the erasure itself is done
                busy = 1
            remaining = files_holding(database, patterns)
    finally:
        conn.close()
    restrict_permissions(path)
    return {"files_checked": True, "vacuumed": vacuumed, "clean": not remaining and not busy, "still_in": remaining}


def backups_beside(database: str) -> list[Path]:
    """Backup files next to the database (they were taken before the erasure and still hold the person)."""
    files = database_files(database)
    if not files:
        return []
    path = files[0]
    return sorted(path.parent.glob(f"{glob.escape(path.name)}*.bak"))
