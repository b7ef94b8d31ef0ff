"""Phones, e-mails, websites and tax numbers: stored in one form, a company found by any."""

from __future__ import annotations

import json

import pytest

ROMASHKA = ["add", "company", "ООО «Ромашка»", "--city", "Хабаровск", "--inn", "7707083893",
            "--phone", "8 (4212) 41-12-34", "--website", "https://www.romashka.ru/",
            "--email", "Ivan.Petrov@Romashka.RU"]


def inn_with_check_digits(first_digits: str) -> str:
    """Complete a 9- or 10-digit start into a valid 10- or 12-digit INN (the tax service's algorithm)."""
    def digit(digits: str, weights: list[int]) -> str:
        return str(sum(int(d) * w for d, w in zip(digits, weights)) % 11 % 10)

    if len(first_digits) == 9:
        return first_digits + digit(first_digits, [2, 4, 10, 3, 5, 9, 4, 6, 8])
    eleven = first_digits + digit(first_digits, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
    return eleven + digit(eleven, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8])


def with_wrong_last_digit(inn: str) -> str:
    return inn[:-1] + str((int(inn[-1]) + 1) % 10)


def database_dump(dossier) -> str:
    return dossier("list", "companies", "--status", "all", "--format", "json").stdout


@pytest.mark.parametrize(
    "ref",
    ["8 (4212) 41-12-34", "+7 4212 411234", "84212411234", "+7-4212-41-12-34",
     "https://www.romashka.ru/", "romashka.ru", "www.ROMASHKA.ru", "http://romashka.ru/contacts?x=1",
     "Ivan.Petrov@Romashka.RU", "ivan.petrov@romashka.ru", "7707083893", "7707 083 893"],
)
def test_company_is_found_by_any_format_of_its_contacts(dossier, ref):
    dossier(*ROMASHKA)
    shown = dossier.json("show", "company", ref)
    assert shown["name"] == "ООО «Ромашка»"


@pytest.mark.parametrize("phone", ["8 (4212) 41-12-34", "+7 4212 411234", "84212411234"])
def test_each_phone_format_is_stored_as_one_number(dossier, phone):
    dossier("add", "company", "Вектор", "--phone", phone)
    shown = dossier.json("show", "company", "вектор")
    assert shown["phones"] == ["+7 421 241-12-34"]
    for ref in ["8 (4212) 41-12-34", "+7 4212 411234", "84212411234"]:
        assert dossier.json("show", "company", ref)["name"] == "Вектор"


def test_show_company_lists_normalised_contacts(dossier):
    dossier(*ROMASHKA)
    shown = dossier.json("show", "company", "ромашка")
    assert shown["phones"] == ["+7 421 241-12-34"]
    assert shown["emails"] == ["ivan.petrov@romashka.ru"]
    assert shown["websites"] == ["romashka.ru"]
    assert shown["tax_number"] == "7707083893"
    table = dossier("show", "company", "ромашка").stdout
    assert "+7 421 241-12-34" in table and "romashka.ru" in table


def test_edit_adds_and_removes_contacts(dossier):
    dossier(*ROMASHKA)
    dossier("edit", "company", "ромашка", "--add-phone", "+7-4212-41-12-35", "--add-email", "sales@romashka.ru",
            "--add-website", "ромашка.рф")
    shown = dossier.json("show", "company", "84212411235")
    assert shown["phones"] == ["+7 421 241-12-34", "+7 421 241-12-35"]
    assert shown["emails"] == ["ivan.petrov@romashka.ru", "sales@romashka.ru"]
    assert shown["websites"] == ["romashka.ru", "ромашка.рф"]
    assert dossier.json("show", "company", "https://xn--80aa3agjl3d.xn--p1ai/")["name"] == "ООО «Ромашка»"
    dossier("edit", "company", "ромашка", "--rm-phone", "8 4212 41 12 34", "--rm-email", "SALES@romashka.ru",
            "--rm-website", "www.ромашка.рф")
    shown = dossier.json("show", "company", "ромашка")
    assert shown["phones"] == ["+7 421 241-12-35"]
    assert shown["emails"] == ["ivan.petrov@romashka.ru"]
    assert shown["websites"] == ["romashka.ru"]
    dossier("show", "company", "84212411234", expect=3)


def test_readding_an_existing_value_changes_nothing(dossier):
    dossier(*ROMASHKA)
    before = dossier.json("show", "company", "ромашка")
    result = dossier("edit", "company", "ромашка", "--add-phone", "+7 4212 411234",
                     "--add-email", "IVAN.PETROV@ROMASHKA.RU", "--add-website", "http://romashka.ru")
    assert "Error" not in result.stderr
    assert dossier.json("show", "company", "ромашка") == before
    audit_changes = _last_audit_changes()
    assert not any(key in audit_changes for key in ("phones", "emails", "websites"))


def _last_audit_changes() -> dict:
    from sqlmodel import select

    from dossier_cli.config import load_settings
    from dossier_cli.models import AuditEvent
    from dossier_cli.store import session_scope

    with session_scope(load_settings().database, write=False) as session:
        event = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        return json.loads(event.changes_json) if event and event.action == "update" else {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "company", "Вектор", "--phone", "+7 4212 411234"],
         "Error: phone +7 421 241-12-34 belongs to company #1 ООО «Ромашка»"),
        (["add", "company", "Вектор", "--email", "ivan.petrov@ROMASHKA.ru"],
         "Error: e-mail ivan.petrov@romashka.ru belongs to company #1 ООО «Ромашка»"),
        (["add", "company", "Вектор", "--website", "www.romashka.ru"],
         "Error: website romashka.ru belongs to company #1 ООО «Ромашка»"),
        (["add", "company", "Вектор", "--inn", "7707083893"],
         "Error: tax number 7707083893 belongs to company #1 ООО «Ромашка»"),
    ],
)
def test_a_value_owned_by_another_company_is_refused_naming_it(dossier, args, message):
    dossier(*ROMASHKA)
    before = database_dump(dossier)
    result = dossier(*args, expect=4)
    assert result.stderr.startswith(message)
    assert database_dump(dossier) == before
    dossier("show", "company", "вектор", expect=3)


def test_edit_with_a_value_owned_by_another_company_changes_nothing(dossier):
    dossier(*ROMASHKA)
    dossier("add", "company", "Вектор", "--phone", "+7 4212 999999")
    before = dossier.json("show", "company", "вектор")
    result = dossier("edit", "company", "вектор", "--add-phone", "+7 4212 999998", "--add-phone", "84212411234",
                     "--city", "Владивосток", expect=4)
    assert result.stderr.startswith("Error: phone +7 421 241-12-34 belongs to company #1 ООО «Ромашка»")
    assert dossier.json("show", "company", "вектор") == before
    result = dossier("edit", "company", "вектор", "--inn", "7707083893", expect=4)
    assert "tax number 7707083893 belongs to company #1 ООО «Ромашка»" in result.stderr


def test_valid_10_and_12_digit_inns_are_accepted(dossier):
    organisation = inn_with_check_digits("272100000")
    entrepreneur = inn_with_check_digits("2721000000")
    dossier("add", "company", "Вектор", "--inn", organisation)
    dossier("add", "company", "ИП Смирнов", "--inn", entrepreneur)
    dossier("add", "company", "ИП Петров", "--inn", "500100732259")  # a published valid example
    assert dossier.json("show", "company", organisation)["name"] == "Вектор"
    assert dossier.json("show", "company", entrepreneur)["name"] == "ИП Смирнов"
    assert dossier.json("show", "company", "500100732259")["tax_number"] == "500100732259"


@pytest.mark.parametrize(
    ("inn", "message"),
    [
        (with_wrong_last_digit("7707083893"), "has a wrong check digit"),
        (with_wrong_last_digit(inn_with_check_digits("2721000000")), "has a wrong check digit"),
        (inn_with_check_digits("2721000000")[:10] + "00"
         if inn_with_check_digits("2721000000")[10:] != "00" else "272100000011", "has a wrong check digit"),
        ("77070838", "has 8 digits; an INN has 10 (an organisation) or 12 (an entrepreneur)"),
        ("7707-08x-3893", "is neither an INN nor a number with a country prefix"),
    ],
)
def test_inn_with_a_wrong_check_digit_is_refused(dossier, inn, message):
    result = dossier("add", "company", "Вектор", "--inn", inn, expect=2)
    assert message in result.stderr
    dossier("show", "company", "вектор", expect=3)
    dossier("add", "company", "Вектор")
    result = dossier("edit", "company", "вектор", "--inn", inn, expect=2)
    assert message in result.stderr
    assert dossier.json("show", "company", "вектор")["tax_number"] is None


def test_kpp_and_ogrn_are_checked(dossier):
    dossier("add", "company", "ПАО Сбербанк", "--inn", "7707083893", "--kpp", "773601001", "--ogrn", "1027700132195")
    dossier("edit", "company", "сбербанк", "--inn", "7707083893")  # its own number again: fine
    shown = dossier.json("show", "company", "1027700132195")
    assert (shown["tax_number"], shown["kpp"], shown["ogrn"]) == ("7707083893", "773601001", "1027700132195")
    result = dossier("edit", "company", "сбербанк", "--ogrn", "1027700132196", expect=2)
    assert "OGRN '1027700132196' has a wrong check digit" in result.stderr
    result = dossier("edit", "company", "сбербанк", "--kpp", "77360100", expect=2)
    assert "KPP '77360100' is not 9 characters" in result.stderr
    shown = dossier.json("show", "company", "сбербанк")
    assert (shown["kpp"], shown["ogrn"]) == ("773601001", "1027700132195")


def test_foreign_tax_numbers_are_stored_as_given(dossier):
    dossier("add", "company", "Kazakh Trade TOO", "--inn", "KZ 123456789012")
    dossier("add", "company", "Müller GmbH", "--inn", "DE123456789")
    assert dossier.json("show", "company", "müller")["tax_number"] == "DE123456789"
    assert dossier.json("show", "company", "KZ 123456789012")["name"] == "Kazakh Trade TOO"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--phone", "12345"], "'12345' is not a valid phone number"),
        (["--phone", "call me"], "'call me' is not a phone number"),
        (["--email", "ivan.petrov@"], "'ivan.petrov@' is not a valid e-mail address"),
        (["--email", "петров"], "'петров' is not a valid e-mail address"),
        (["--website", "not a site"], "'not a site' is not a website address"),
        (["--website", "http://"], "'http://' is not a website address"),
    ],
)
def test_bad_contacts_are_refused_and_nothing_is_added(dossier, args, message):
    result = dossier("add", "company", "Вектор", *args, expect=2)
    assert message in result.stderr
    dossier("show", "company", "вектор", expect=3)


def test_removing_a_contact_the_company_does_not_have(dossier):
    dossier(*ROMASHKA)
    before = dossier.json("show", "company", "ромашка")
    result = dossier("edit", "company", "ромашка", "--rm-phone", "+7 4212 999999", "--city", "Москва", expect=3)
    assert "'ООО «Ромашка»' has no phone +7 421 299-99-99" in result.stderr
    assert dossier.json("show", "company", "ромашка") == before


def test_names_with_dots_and_digits_still_match_by_name(dossier):
    dossier("add", "company", "Завод №1")
    dossier("add", "company", "Amur.Logistics")
    assert dossier.json("show", "company", "завод №1")["name"] == "Завод №1"
    assert dossier.json("show", "company", "amur.logistics")["name"] == "Amur.Logistics"


def test_phone_region_from_config_reads_local_numbers(dossier, tmp_path, monkeypatch):
    config = tmp_path / "config.yaml"
    config.write_text("phone_region: DE\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    dossier("add", "company", "Müller GmbH", "--phone", "030 123456")
    assert dossier.json("show", "company", "müller")["phones"] == ["+49 30 123456"]
    assert dossier.json("show", "company", "030 123456")["name"] == "Müller GmbH"


# ---------------------------------------------------------------- people
IVAN = ["add", "person", "Иван Петров", "--company", "ромашка", "--role", "economic-buyer",
        "--phone", "8 (4212) 41-12-36", "--email", "Ivan.Petrov@Romashka.RU"]


@pytest.mark.parametrize(
    "ref", ["8 (4212) 41-12-36", "+7 4212 411236", "84212411236", "Ivan.Petrov@Romashka.RU", "ivan.petrov@romashka.ru"],
)
def test_person_is_found_by_any_format_of_their_phone_and_email(dossier, ref):
    dossier("add", "company", "ООО «Ромашка»", "--phone", "84212411234")
    dossier(*IVAN)
    shown = dossier.json("show", "person", ref)
    assert shown["name"] == "Иван Петров"
    assert shown["phone"] == "+7 421 241-12-36"
    assert shown["email"] == "ivan.petrov@romashka.ru"


def test_person_contacts_add_remove_and_conflicts(dossier):
    dossier("add", "company", "ООО «Ромашка»", "--phone", "84212411234")
    dossier(*IVAN)
    dossier("edit", "person", "петров", "--add-phone", "+7 914 123 45 67", "--add-email", "ivan@mail.ru")
    shown = dossier.json("show", "person", "89141234567")
    assert shown["phones"] == ["+7 421 241-12-36", "+7 914 123-45-67"]
    assert shown["emails"] == ["ivan.petrov@romashka.ru", "ivan@mail.ru"]
    before = dossier.json("show", "person", "петров")
    dossier("edit", "person", "петров", "--add-phone", "8 914 123-45-67", "--add-email", "IVAN@MAIL.RU")
    assert dossier.json("show", "person", "петров") == before

    result = dossier("add", "person", "Мария Соколова", "--phone", "+7 4212 41-12-34", expect=4)
    assert result.stderr.startswith("Error: phone +7 421 241-12-34 belongs to company #1 ООО «Ромашка»")
    dossier("show", "person", "соколова", expect=3)
    dossier("add", "person", "Мария Соколова")
    result = dossier("edit", "person", "соколова", "--add-email", "ivan@mail.ru", expect=4)
    assert "e-mail ivan@mail.ru belongs to person #1 Иван Петров" in result.stderr
    result = dossier("add", "company", "Вектор", "--phone", "89141234567", expect=4)
    assert "phone +7 914 123-45-67 belongs to person #1 Иван Петров" in result.stderr

    # Removing the primary phone makes the next one primary.
    dossier("edit", "person", "петров", "--rm-phone", "84212411236")
    shown = dossier.json("show", "person", "петров")
    assert (shown["phone"], shown["phones"]) == ("+7 914 123-45-67", ["+7 914 123-45-67"])
    dossier("show", "person", "84212411236", expect=3)
