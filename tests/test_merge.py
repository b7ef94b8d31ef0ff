"""`dossier merge company|person`: the kept record absorbs everything, the other is gone."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date

import pytest


@contextmanager
def session(write: bool = True):
    from dossier_cli.config import load_settings
    from dossier_cli.store import session_scope

    with session_scope(load_settings().database, write=write) as s:
        yield s


def plant_history(company_id: int, person_id: int) -> None:
    """What other commands would have recorded for a company: sales, touches, answers, ratings, gifts."""
    from dossier_cli.models import DossierAnswer, Gift, Rating, Sale, Touch

    with session() as s:
        s.add(Sale(company_id=company_id, sold_on=date(2026, 3, 1), amount_minor=150_000_00, reference="СЧ-17"))
        s.add(Touch(company_id=company_id, person_id=person_id, touched_on=date(2026, 2, 1), kind="call"))
        s.add(Rating(company_id=company_id, score=7, rated_on=date(2026, 2, 2)))
        s.add(Gift(company_id=company_id, person_id=person_id, given_on=date(2026, 2, 3), what="календарь"))
        s.add(DossierAnswer(company_id=company_id, item_key="strategy", value_json=json.dumps("рост")))
        s.add(DossierAnswer(company_id=company_id, item_key="competitors", value_json=json.dumps("Вектор")))


def rows_of(company_id: int) -> dict[str, int]:
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import (
        CompanyTag, ContactPoint, DossierAnswer, Gift, PersonLink, Rating, Sale, StageChange, Touch,
    )

    counts = {}
    with session(write=False) as s:
        for model in (Sale, Touch, Rating, Gift, DossierAnswer, PersonLink, CompanyTag, ContactPoint, StageChange):
            counts[model.__tablename__] = s.exec(
                select(func.count()).select_from(model).where(model.company_id == company_id)
            ).one()
    return counts


def current_answers(company_id: int) -> dict[str, str]:
    from sqlmodel import select

    from dossier_cli.models import DossierAnswer

    with session(write=False) as s:
        answers = s.exec(select(DossierAnswer).where(DossierAnswer.company_id == company_id)).all()
        return {a.item_key + ("" if a.is_current else " (history)"): json.loads(a.value_json) for a in answers}


@pytest.fixture
def two_romashkas(dossier):
    dossier("add", "company", "ООО «Ромашка»", "--phone", "8 (4212) 41-12-34", "--tag", "fair-2026",
            "--listed-on", "2026-01-01")
    dossier("add", "company", "Romashka LLC", "--listed-on", "2026-01-01", "--inn", "7707083893", "--website", "https://www.romashka.ru/",
            "--tag", "vip", "--tag", "FAIR-2026", "--city", "Хабаровск", "--branch", "Владивосток")
    dossier("add", "person", "Иван Петров", "--company", "ромашка", "--role", "economic-buyer")
    dossier("add", "person", "Olga Kim", "--company", "Romashka LLC", "--role", "owner", "--phone", "89141234567")
    dossier("promote", "Romashka LLC", "--to", "negotiating", "--force")
    plant_history(2, 2)
    from dossier_cli.models import DossierAnswer

    with session() as s:
        s.add(DossierAnswer(company_id=1, item_key="strategy", value_json=json.dumps("удержание")))
    dossier("add", "sale", "ромашка", "80000", "--date", "2026-03-02", "--ref", "СЧ-17")
    return dossier


def test_merge_moves_everything_onto_the_kept_company(two_romashkas):
    dossier = two_romashkas
    before_other = rows_of(2)
    result = dossier("merge", "company", "ООО «Ромашка»", "Romashka LLC", "--yes")
    assert "Merged company #2 Romashka LLC into #1 ООО «Ромашка»" in result.stderr
    assert "#2 is removed" in result.stderr

    after_other = rows_of(2)
    assert all(count == 0 for count in after_other.values()), after_other
    kept = rows_of(1)
    for table in ("touch", "rating", "gift"):
        assert kept[table] == before_other[table] == 1
    assert kept["sale"] == 2
    assert "Warning: both companies had a sale with reference 'СЧ-17': check it was not entered twice" in result.stderr
    assert kept["person_link"] == 2
    assert kept["dossier_answer"] == 3

    shown = dossier.json("show", "company", "ромашка")
    assert shown["name"] == "ООО «Ромашка»"
    assert shown["stage"] == "negotiating"  # the later stage wins
    assert shown["tags"] == ["fair-2026", "vip"]
    assert shown["phones"] == ["+7 421 241-12-34"]
    assert shown["websites"] == ["romashka.ru"]
    assert shown["tax_number"] == "7707083893"
    assert shown["city"] == "Хабаровск" and shown["branches"] == ["Владивосток"]
    assert sorted(p["name"] for p in shown["people"]) == ["Olga Kim", "Иван Петров"]
    # The kept company's current answer wins; the other's stays as history.
    assert current_answers(1) == {"strategy": "удержание", "strategy (history)": "рост", "competitors": "Вектор"}

    # The removed company is not found, by name or by what it had; its INN and website now find the kept one.
    result = dossier("show", "company", "Romashka LLC", expect=3)
    assert "no company matches 'Romashka LLC'" in result.stderr
    dossier("show", "company", "2", expect=3)
    assert dossier.json("show", "company", "7707083893")["id"] == 1
    assert dossier.json("show", "company", "romashka.ru")["id"] == 1
    assert [c["name"] for c in dossier.json("list", "companies", "--tag", "vip")] == ["ООО «Ромашка»"]


def test_merge_never_moves_the_kept_company_backwards(two_romashkas):
    dossier = two_romashkas
    dossier("merge", "company", "Romashka LLC", "ООО «Ромашка»", "--yes")
    shown = dossier.json("show", "company", "Romashka LLC")
    assert shown["stage"] == "negotiating"
    assert shown["tags"] == ["fair-2026", "vip"]
    assert shown["phones"] == ["+7 421 241-12-34"]
    # Here the kept company's 'strategy' answer is the current one.
    assert current_answers(2)["strategy"] == "рост"
    assert current_answers(2)["strategy (history)"] == "удержание"
    dossier("show", "company", "ООО «Ромашка»", expect=3)


def test_merge_is_recorded_in_the_audit_trail(two_romashkas, db_path, sqlite_only):
    import sqlite3

    dossier = two_romashkas
    dossier("merge", "company", "1", "2", "--yes")
    with sqlite3.connect(db_path) as connection:
        action, entity, entity_id, changes = connection.execute(
            "SELECT action, entity, entity_id, changes_json FROM audit_event ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert (action, entity, entity_id) == ("merge", "company", 1)
    changes = json.loads(changes)
    assert changes["merged"]["name"] == "Romashka LLC"
    assert changes["moved"]["sale"] == 1


def test_merge_needs_yes_when_not_at_a_terminal_and_changes_nothing(two_romashkas):
    dossier = two_romashkas
    before = (rows_of(1), rows_of(2))
    result = dossier("merge", "company", "1", "2", expect=2)
    assert "--yes" in result.stderr
    assert (rows_of(1), rows_of(2)) == before
    assert dossier.json("show", "company", "Romashka LLC")["id"] == 2


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["merge", "company", "1", "1", "--yes"], 2, "is the same company twice"),
        (["merge", "company", "ромашка", "Nothing Like It", "--yes"], 3, "no company matches 'Nothing Like It'"),
        (["merge", "company", "ромашка", "84212411234", "--yes"], 2, "is the same company twice"),
    ],
)
def test_merge_errors_change_nothing(two_romashkas, args, code, message):
    dossier = two_romashkas
    before = (rows_of(1), rows_of(2))
    result = dossier(*args, expect=code)
    assert message in result.stderr
    assert (rows_of(1), rows_of(2)) == before


def test_merge_people(dossier):
    dossier("add", "company", "ООО «Ромашка»")
    dossier("add", "company", "Вектор")
    dossier("add", "person", "Иван Петров", "--company", "ромашка", "--role", "economic-buyer",
            "--phone", "89141234567", "--tag", "лпр")
    dossier("add", "person", "Petrov Ivan", "--company", "вектор", "--role", "owner",
            "--email", "Ivan.Petrov@Romashka.RU", "--tag", "рыбалка")
    plant_history(1, 2)
    result = dossier("merge", "person", "89141234567", "ivan.petrov@romashka.ru", expect=2)
    assert "--yes" in result.stderr
    dossier("merge", "person", "89141234567", "ivan.petrov@romashka.ru", "--yes")
    shown = dossier.json("show", "person", "ivan.petrov@romashka.ru")
    assert shown["name"] == "Иван Петров"
    assert shown["phones"] == ["+7 914 123-45-67"]
    assert shown["emails"] == ["ivan.petrov@romashka.ru"]
    assert shown["tags"] == ["лпр", "рыбалка"]
    assert sorted((c["company"], c["role"]) for c in shown["companies"]) == [
        ("Вектор", "owner"), ("ООО «Ромашка»", "economic-buyer"),
    ]
    dossier("show", "person", "Petrov Ivan", expect=3)
    from sqlmodel import select

    from dossier_cli.models import Gift, Touch

    with session(write=False) as s:
        assert [t.person_id for t in s.exec(select(Touch))] == [1]
        assert [g.person_id for g in s.exec(select(Gift))] == [1]


def test_a_link_both_records_have_is_kept_once(dossier):
    """The same person in the same role at the same company, seen from either side of a merge."""
    dossier("add", "company", "Вектор")
    dossier("add", "company", "Vektor LLC")
    dossier("add", "person", "Иван Петров", "--company", "вектор", "--role", "owner")
    dossier("add", "person", "Petrov Ivan", "--company", "вектор", "--role", "owner")
    dossier("link", "person", "Иван Петров", "Vektor LLC", "--role", "owner")
    dossier("merge", "person", "Иван Петров", "Petrov Ivan", "--yes")
    shown = dossier.json("show", "person", "Иван Петров")
    assert sorted((c["company"], c["role"]) for c in shown["companies"]) == [("Vektor LLC", "owner"), ("Вектор", "owner")]
    dossier("merge", "company", "Вектор", "Vektor LLC", "--yes")
    shown = dossier.json("show", "person", "Иван Петров")
    assert [(c["company"], c["role"]) for c in shown["companies"]] == [("Вектор", "owner")]


def test_merge_in_russian_counts_what_moved_in_russian_words(two_romashkas, monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    dossier = two_romashkas
    dossier("add", "touch", "Romashka LLC", "--kind", "звонок")
    result = dossier("merge", "company", "ООО «Ромашка»", "Romashka LLC", "--yes")
    line = result.stderr
    assert "Объединено (компания)" in line, line
    assert "2 контакта" in line and "1 продажа" in line and "1 подарок" in line and "1 оценка" in line, line
    for english in ("company)", " touch", " sale", " gift", " rating", "stage change", "lost deal", "dossier answer"):
        assert english not in line, line
