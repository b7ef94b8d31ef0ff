"""Ids are never reused, and the audit trail shows a record as it was named then (issue 18, item 1)."""

from __future__ import annotations

from pathlib import Path


def _add_company(dossier, name: str, *extra: str) -> int:
    return dossier.json("add", "company", name, *extra)["id"]


def test_a_merged_away_companys_id_is_not_given_to_the_next_company(dossier):
    keep = _add_company(dossier, "Зейская Сталь")
    other = _add_company(dossier, "Amurskaya Stal LLC")
    dossier("merge", "company", str(keep), str(other), "--yes")
    new = _add_company(dossier, "ИП Шевченко Анна")
    assert new not in (keep, other)
    assert new > other
    # The old company's trail stays its own: the new company's trail is only its creation.
    events = dossier.json("audit", "--company", str(new))
    assert [(e["action"], e["company"]) for e in events] == [("create", "ИП Шевченко Анна")]
    old = dossier.json("audit", "--company", str(other))
    assert old and {e["company"] for e in old} == {"Amurskaya Stal LLC"}


def test_a_removed_sales_id_is_not_given_to_the_next_sale(dossier):
    _add_company(dossier, "Ромашка")
    first = dossier.json("add", "sale", "Ромашка", "1000", "--date", "today")["id"]
    dossier("rm", "sale", str(first), "--yes")
    second = dossier.json("add", "sale", "Ромашка", "2000", "--date", "today")["id"]
    assert second > first


def test_a_removed_companys_id_is_not_given_to_the_next_company(dossier):
    _add_company(dossier, "Ромашка")
    gone = _add_company(dossier, "Лютик")
    dossier("rm", "company", str(gone), "--yes")
    assert _add_company(dossier, "Василёк") > gone
    assert [e["action"] for e in dossier.json("audit", "--company", str(gone))] == ["delete", "create"]


def test_an_event_shows_the_company_as_it_was_named_then(dossier):
    company = _add_company(dossier, "Ромашка")
    dossier("add", "touch", "Ромашка", "--kind", "call", "--date", "today")
    dossier("edit", "company", str(company), "--name", "Ромашка Плюс")
    dossier("add", "touch", "Ромашка Плюс", "--kind", "email", "--date", "today")
    events = dossier.json("audit", "--company", str(company))
    named = [(e["action"], e["entity"], e["company"]) for e in reversed(events)]
    assert named == [
        ("create", "company", "Ромашка"),
        ("create", "touch", "Ромашка"),
        ("update", "company", "Ромашка Плюс"),
        ("create", "touch", "Ромашка Плюс"),
    ]
    table = dossier("audit", "--company", str(company), "--limit", "3").stdout
    assert "(Ромашка)" in table


def test_listed_on_is_the_day_given(dossier):
    company = dossier.json("add", "company", "Ромашка", "--listed-on", "01.02.2025")
    shown = dossier.json("show", "company", str(company["id"]))
    assert shown["listed_on"] == "2025-02-01"
    result = dossier("add", "company", "Лютик", "--listed-on", "2999-01-01", expect=2)
    assert result.stderr.startswith("Error: --listed-on 2999-01-01 is in the future")
    result = dossier("add", "company", "Лютик", "--listed-on", "вчерашний", expect=2)
    assert result.stderr.startswith("Error: bad --listed-on date")


def test_an_older_sqlite_database_stops_reusing_ids_when_upgraded(tmp_path: Path, sqlite_only):
    """A 0004 database whose newest company was removed: after the upgrade, that id stays
    taken, the rows and their links survive the rebuild, and search still finds them."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    import dossier_cli.store as store
    from dossier_cli.store import dispose_engines, get_engine, open_engine

    database = str(tmp_path / "old.db")
    engine = get_engine(database)
    config = Config()
    config.set_main_option("script_location", str(Path(store.__file__).parent / "migrations"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
        for company_id, name in ((1, "Ромашка"), (2, "Лютик")):
            conn.execute(text(
                "INSERT INTO company (id, name, name_key, search_key, stage, status, listed_on, created_at, updated_at) "
                f"VALUES ({company_id}, '{name}', '{name.lower()}', '{name.lower()}', 'target', 'active', "
                "'2020-01-01', '2020-01-01', '2020-01-01')"))
        conn.execute(text("INSERT INTO person (id, name, name_key, do_not_contact, created_at, updated_at) "
                          "VALUES (1, 'Анна', 'анна', 0, '2020-01-01', '2020-01-01')"))
        conn.execute(text("INSERT INTO person_link (id, person_id, company_id, role, active, since, created_at) "
                          "VALUES (1, 1, 1, 'coach', 1, '2020-01-01', '2020-01-01')"))
        # Company #3 was added and removed: only the trail remembers it.
        conn.execute(text("INSERT INTO audit_event (at, action, entity, entity_id, company_id, changes_json) "
                          "VALUES ('2020-01-01', 'delete', 'company', 3, 3, '{}')"))
    dispose_engines()
    open_engine(database)
    with get_engine(database).connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == store.SCHEMA_REVISION
        assert conn.execute(text("SELECT COUNT(*) FROM person_link")).scalar() == 1
        tables = dict(conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
        for table in ("company", "person", "sale", "touch", "gift", "audit_event", "person_link"):
            assert "AUTOINCREMENT" in tables[table], table
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    dispose_engines()
    import os

    os.environ["DOSSIER_DB"] = database
    try:
        from tests.conftest import Run

        run = Run()
        assert run.json("add", "company", "Василёк")["id"] == 4
        assert [hit["title"] for hit in run.json("search", "Ромашка")] == ["Ромашка"]
        assert run("check").exit_code == 0
    finally:
        del os.environ["DOSSIER_DB"]
