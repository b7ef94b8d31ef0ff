"""People: representatives with buying roles, owners who outlive their companies."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from tests.test_pipeline import audit_actions, listed_back

ROMASHKA = ["add", "company", "ООО «Ромашка»", "--city", "Хабаровск"]
IVAN = ["add", "person", "Иван Петров", "--company", "ромашка", "--role", "economic-buyer",
        "--phone", "+7 4212 55-01-02", "--email", "ivan@romashka.ru"]


def people_json(dossier) -> str:
    return dossier("list", "people", "--format", "json").stdout


def test_add_person_with_a_role_and_list_them_by_company(dossier):
    dossier(*ROMASHKA)
    dossier("add", "company", "Amur Logistics")
    result = dossier(*IVAN)
    assert result.stderr == "Added person #1 Иван Петров at ООО «Ромашка».\n"
    dossier("add", "person", "Olga Kim", "--company", "Amur Logistics", "--role", "owner")
    dossier("add", "person", "Мария Соколова", "--company", "ромашка", "--role", "technical buyer")

    at_romashka = dossier.json("list", "people", "--company", "ромашка")
    assert [(p["name"], p["companies"]) for p in at_romashka] == [
        ("Иван Петров", ["ООО «Ромашка» (economic-buyer)"]),
        ("Мария Соколова", ["ООО «Ромашка» (technical-buyer)"]),
    ]
    assert at_romashka[0]["phone"] == "+7 421 255-01-02"
    assert at_romashka[0]["email"] == "ivan@romashka.ru"
    assert [p["name"] for p in dossier.json("list", "people")] == ["Olga Kim", "Иван Петров", "Мария Соколова"]
    assert [p["name"] for p in dossier.json("list", "people", "--role", "financial buyer")] == ["Иван Петров"]
    assert [p["name"] for p in dossier.json("list", "people", "--limit", "1", "--offset", "1")] == ["Иван Петров"]

    table = dossier("list", "people", "--company", "ромашка").stdout
    assert "Иван Петров" in table and "economic-buyer" in table and "Olga Kim" not in table
    rows = list(csv.DictReader(io.StringIO(dossier("list", "people", "--format", "csv").stdout)))
    assert rows[0]["name"] == "Olga Kim" and rows[0]["companies"] == "Amur Logistics (owner)"


def test_person_found_by_part_of_the_name_case_insensitively(dossier):
    dossier(*ROMASHKA)
    dossier(*IVAN)
    shown = dossier.json("show", "person", "ПЕТРОВ")
    assert shown["name"] == "Иван Петров"
    assert [(c["company"], c["role"], c["active"]) for c in shown["companies"]] == [
        ("ООО «Ромашка»", "economic-buyer", True)]
    assert dossier.json("show", "person", "1")["name"] == "Иван Петров"
    result = dossier("show", "person", "Сидоров", expect=3)
    assert result.stderr == "Error: no person matches 'Сидоров' (see `dossier list people`)\n"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["add", "person", "Пётр", "--company", "ромашка", "--role", "boss"], 2,
         "Error: unknown role 'boss' (choose one of: economic-buyer, technical-buyer, user, coach, owner, other)\n"),
        (["add", "person", "Пётр", "--role", "owner"], 2,
         "Error: --role needs --company: a role is always at some company\n"),
        (["add", "person", "Пётр", "--company", "нет такой"], 3,
         "Error: no company matches 'нет такой' (see `dossier list companies`)\n"),
        (["add", "person", "иван петров"], 4,
         "Error: a person with this name already exists: #1 Иван Петров "
         "(use --allow-duplicate if they really are two people)\n"),
        (["add", "person", "  "], 2, "Error: the person's name is empty; give the name in quotes\n"),
        (["list", "people", "--role", "boss"], 2, "Error: unknown role 'boss'"),
        (["link", "person", "Иван", "ромашка", "--role", "boss"], 2, "Error: unknown role 'boss'"),
        (["link", "person", "Иван", "ромашка", "--role", "economic-buyer"], 4,
         "Error: Иван Петров is already linked to ООО «Ромашка» as economic-buyer\n"),
        (["unlink", "person", "Иван", "ромашка", "--role", "owner"], 3,
         "Error: Иван Петров is not linked to ООО «Ромашка» as owner (see `dossier show person 1`)\n"),
        (["add", "company", "Amur Freight", "--owner", "Olga Kim"], 3,
         "Error: no person matches 'Olga Kim' (see `dossier list people`)\n"),
    ],
)
def test_bad_input_gets_one_line_error_and_changes_nothing(dossier, args, code, message):
    dossier(*ROMASHKA)
    dossier(*IVAN)
    before = (people_json(dossier), dossier("show", "person", "1", "--format", "json").stdout,
              dossier("list", "companies", "--format", "json").stdout)
    result = dossier(*args, expect=code)
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    after = (people_json(dossier), dossier("show", "person", "1", "--format", "json").stdout,
             dossier("list", "companies", "--format", "json").stdout)
    assert after == before


def test_allow_duplicate_person(dossier):
    dossier("add", "person", "Иван Петров")
    dossier("add", "person", "Иван Петров", "--allow-duplicate")
    assert len(dossier.json("list", "people")) == 2
    result = dossier("show", "person", "иван", expect=5)
    assert "#1 Иван Петров" in result.stderr and "#2 Иван Петров" in result.stderr


def test_edit_person_and_clear_a_field(dossier, db_path):
    dossier(*ROMASHKA)
    dossier(*IVAN)
    result = dossier("edit", "person", "петров", "--email", "i.petrov@romashka.ru", "--phone", "", "--note", "любит рыбалку")
    assert result.stderr == "Updated person #1 Иван Петров.\n"
    shown = dossier.json("show", "person", "петров")
    assert (shown["email"], shown["phone"], shown["notes"]) == ("i.petrov@romashka.ru", None, "любит рыбалку")
    dossier("edit", "person", "петров", "--name", "Иван Сергеевич Петров")
    assert dossier.json("show", "person", "сергеевич")["name"] == "Иван Сергеевич Петров"
    actions = [action for action, _, _ in audit_actions(db_path, "person")]
    assert actions == ["create", "link", "update", "update"]


def test_add_person_records_audit_events(dossier, db_path):
    dossier(*ROMASHKA)
    dossier(*IVAN)
    events = audit_actions(db_path, "person")
    assert events[0][0] == "create" and events[0][2]["name"] == "Иван Петров"
    assert events[1] == ("link", 1, {"company": "ООО «Ромашка»", "role": "economic-buyer",
                                     "since": date.today().isoformat()})


def test_link_and_unlink_keep_history(dossier):
    dossier(*ROMASHKA)
    dossier("add", "company", "Вектор")
    dossier(*IVAN)
    result = dossier("link", "person", "Иван Петров", "вектор", "--role", "coach", "--since", "2026-05-01")
    assert result.stderr == "Linked Иван Петров to Вектор as coach.\n"
    result = dossier("unlink", "person", "Иван", "ромашка", "--date", "2026-06-30")
    assert result.stderr == "Unlinked Иван Петров from ООО «Ромашка» (economic-buyer).\n"
    shown = dossier.json("show", "person", "Иван")
    assert [(c["company"], c["role"], c["active"], c["since"], c["until"]) for c in shown["companies"]] == [
        ("Вектор", "coach", True, "2026-05-01", None),
        ("ООО «Ромашка»", "economic-buyer", False, date.today().isoformat(), "2026-06-30"),
    ]
    # still listed at Ромашка, as a former contact
    at_romashka = dossier.json("list", "people", "--company", "ромашка")
    assert at_romashka[0]["companies"] == ["Вектор (coach)", "ООО «Ромашка» (economic-buyer, until 2026-06-30)"]


def test_owner_of_a_liquidated_company_is_linked_to_the_new_one(dossier, db_path, no_dossier_gate):
    dossier("add", "company", "Amur Logistics", "--city", "Khabarovsk",
            "--payment-reputation", "paid on time, 30-day terms")
    listed_back(db_path, 1, date(2024, 9, 1))
    dossier("add", "person", "Olga Kim", "--company", "Amur Logistics", "--role", "owner", "--phone", "+7 914 000-00-00")
    dossier("promote", "Amur Logistics", "--to", "client", "--date", "2025-02-01")
    dossier("promote", "Amur Logistics", "--date", "2025-08-01")
    dossier("liquidate", "Amur Logistics", "--date", "2026-10-01", "--note", "closed by the owner")

    result = dossier("add", "company", "Amur Freight", "--owner", "Olga Kim")
    assert result.stderr == "Added company #2 Amur Freight at stage 'target'.\n"

    shown = dossier.json("show", "company", "Amur Freight")
    assert [(p["name"], p["role"], p["active"]) for p in shown["people"]] == [("Olga Kim", "owner", True)]
    assert shown["previous_businesses"] == [
        {
            "person": "Olga Kim",
            "role": "owner",
            "company_id": 1,
            "company": "Amur Logistics",
            "liquidated_on": "2026-10-01",
            "client_from": "2025-02-01",
            "client_for": "1 year 8 months",
            "client_days": 607,
            "payment_reputation": "paid on time, 30-day terms",
        }
    ]
    table = dossier("show", "company", "Amur Freight").stdout
    assert "previous businesses" in table and "Amur Logistics" in table and "1 year 8 months" in table

    person = dossier.json("show", "person", "Olga")
    assert [(c["company"], c["active"], c["company_status"]) for c in person["companies"]] == [
        ("Amur Freight", True, "active"), ("Amur Logistics", False, "liquidated")]
    assert person["previous_businesses"] == shown["previous_businesses"]
    assert "paid on time, 30-day terms" in dossier("show", "person", "Olga").stdout

    # the old company itself lists its owner, not itself as a previous business
    old = dossier.json("show", "company", "Amur Logistics")
    assert old["previous_businesses"] == []
    assert [(p["name"], p["role"]) for p in old["people"]] == [("Olga Kim", "owner")]


def test_link_person_to_the_next_business_and_a_company_never_a_client(dossier):
    dossier("add", "company", "Старая Лавка", "--listed-on", "2026-01-01")
    dossier("add", "person", "Пётр Иванов", "--company", "лавка", "--role", "user")
    dossier("liquidate", "лавка", "--date", "2026-03-01")
    dossier("add", "company", "Новая Лавка")
    dossier("link", "person", "Пётр", "Новая Лавка", "--role", "economic-buyer")
    before = dossier.json("show", "company", "Новая Лавка")["previous_businesses"]
    assert [(b["company"], b["role"], b["client_for"], b["client_days"]) for b in before] == [
        ("Старая Лавка", "user", "never a client", None)]


def test_people_tables_head_the_name_column_as_a_persons_name_in_russian(dossier, monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    dossier("add", "company", "Зейская Сталь")
    dossier("add", "person", "Иван Петров", "--company", "Зейская Сталь")
    for args in (("list", "people"), ("show", "person", "Иван")):
        shown = dossier(*args).stdout
        assert "| имя " in shown and "название" not in shown, (args, shown)
    company = dossier("show", "company", "Зейская").stdout
    people_table = company[company.index("люди"):]
    assert "| имя " in people_table and "название" not in people_table, company
    assert "| название " in company[:company.index("люди")]  # the company's own name stays «название»
    assert dossier.json("list", "people")[0]["name"] == "Иван Петров"  # JSON keys stay English


def test_import_people_adds_to_the_person_a_row_names_again_and_refuses_a_phone_taken_in_the_same_file(dossier, tmp_path):
    dossier("add", "company", "Амур Лес")
    dossier("add", "company", "Зея Транс")
    path = tmp_path / "people.csv"
    path.write_text(
        "name,company,role,phone,email,tags\n"
        "Иван Петров,Амур Лес,coach,+7 4212 55-01-02,,лес\n"
        "Иван Петров,Амур Лес,,8 914 123-45-67,ivan@example.ru,Лес;выставка\n"  # the same person: more of him
        "Иван Петров,Зея Транс,user,,,\n"  # the same name at another company: another person
        "Ольга Ким,,,+7 4212 55-01-02,,\n",  # Ivan's phone from line 2
        encoding="utf-8")
    result = dossier("import", "people", str(path), "--skip-errors")
    assert "2 created, 1 updated, 0 unchanged, 1 refused" in result.stderr
    assert "line 5, column 'phone': phone +7 421 255-01-02 belongs to person #1 Иван Петров" in result.stderr
    ivan = dossier.json("show", "person", "1")
    assert (ivan["phone"], ivan["email"], ivan["tags"]) == ("+7 914 123-45-67", "ivan@example.ru", ["выставка", "лес"])
    assert ivan["phones"] == ["+7 421 255-01-02", "+7 914 123-45-67"]
    assert [(c["company"], c["role"]) for c in ivan["companies"]] == [("Амур Лес", "coach")]
    again = dossier("import", "people", str(path), "--skip-errors")
    assert "0 created, 0 updated, 3 unchanged, 1 refused" in again.stderr
    # what `add person` writes, the import finds: the same person, nothing new
    dossier("add", "person", "Анна Ли", "--company", "Зея Транс", "--role", "coach", "--phone", "+7 4212 55-03-04", "--tag", "vip")
    path.write_text("name,company,role,phone,tags\nАнна Ли,Зея Транс,coach,8 4212 55-03-04,VIP\n", encoding="utf-8")
    assert "0 created, 0 updated, 1 unchanged, 0 refused" in dossier("import", "people", str(path)).stderr
