"""`dossier dupes`: pairs that are probably one firm (or one person), with a score and the reason."""

from __future__ import annotations

import pytest

CLEARLY_DIFFERENT = ["Amur Logistics", "Вектор", "Берёза", "Яблоко", "Северсталь", "ПАО «Полюс»",
                     "Дальневосточная энергетическая компания", "Far East Fishing", "Хабаровский мясокомбинат",
                     "Океан Плюс", "Roga i Kopyta", "ИП Смирнов"]


def pairs(dossier, *args):
    return {(p["first"], p["second"]): p for p in dossier.json("dupes", *args)}


def test_no_pairs_among_clearly_different_companies(dossier):
    for name in CLEARLY_DIFFERENT:
        dossier("add", "company", name)
    assert dossier.json("dupes") == []
    result = dossier("dupes")
    assert result.stderr == "no likely duplicates\n"


def test_alike_names_across_legal_forms_word_order_and_alphabets(dossier):
    for name in CLEARLY_DIFFERENT:
        dossier("add", "company", name)
    dossier("add", "company", "ООО «Ромашка»")
    dossier("add", "company", "Romashka LLC")
    dossier("add", "company", "АО Торговый дом Восток")
    dossier("add", "company", "Восток Торговый Дом")
    dossier("add", "company", "Хабаровский мясокомбинад")  # a typo
    found = pairs(dossier)
    assert found[("ООО «Ромашка»", "Romashka LLC")]["reason"] == "same name in another alphabet"
    assert found[("ООО «Ромашка»", "Romashka LLC")]["score"] == 100
    assert ("АО Торговый дом Восток", "Восток Торговый Дом") in found
    typo = found[("Хабаровский мясокомбинат", "Хабаровский мясокомбинад")]
    assert typo["reason"].startswith("alike names (") and 85 <= typo["score"] < 100
    assert len(found) == 3
    table = dossier("dupes").stdout
    assert "same name in another alphabet" in table and "Romashka LLC" in table


def test_shared_ogrn_and_web_domain_make_a_pair_even_with_different_names(dossier):
    for name in CLEARLY_DIFFERENT:
        dossier("add", "company", name)
    dossier("add", "company", "Сбербанк", "--ogrn", "1027700132195")
    dossier("add", "company", "Sber Ventures", "--ogrn", "1027700132195")
    dossier("add", "company", "ООО «Ромашка»", "--website", "https://www.romashka.ru/")
    dossier("add", "company", "Цветочная база", "--email", "info@Romashka.RU")
    dossier("add", "company", "Гвоздика", "--email", "gvozdika@mail.ru")
    dossier("add", "company", "Тюльпан", "--email", "tulpan@mail.ru")  # a public mail service: no pair
    found = pairs(dossier)
    assert found[("Сбербанк", "Sber Ventures")] == {
        "kind": "company", "score": 100, "reason": "same OGRN 1027700132195",
        "first_id": 13, "first": "Сбербанк", "second_id": 14, "second": "Sber Ventures",
    }
    assert found[("ООО «Ромашка»", "Цветочная база")]["reason"] == "same web domain romashka.ru"
    assert len(found) == 2


def test_same_phone_and_same_inn_pair_up(dossier):
    """The database refuses a second owner of a phone or an INN, so such pairs can only come from
    data stored before that rule; the detection itself is checked on the records directly."""
    from dossier_cli.upkeep.dupes import Candidate, find_pairs

    candidates = [
        Candidate(1, "ООО «Ромашка»", "ромашка", {("phone", "+7 421 241-12-34")}),
        Candidate(2, "Цветы Приамурья", "цветы приамурья", {("phone", "+7 421 241-12-34")}),
        Candidate(3, "Сбербанк", "сбербанк", {("tax number", "7707083893")}),
        Candidate(4, "Sberbank of Russia", "sberbank of russia", {("tax number", "7707083893")}),
        Candidate(5, "Вектор", "вектор", {("phone", "+7 421 299-99-99")}),
    ]
    found = {(p.first.id, p.second.id): p for p in find_pairs(candidates)}
    assert set(found) == {(1, 2), (3, 4)}
    assert found[(1, 2)].reasons == ["same phone +7 421 241-12-34"]
    assert found[(3, 4)].reasons[0] == "same tax number 7707083893"
    assert found[(3, 4)].score == 100


def test_threshold_widens_or_narrows_the_list(dossier):
    dossier("add", "company", "Ромашка")
    dossier("add", "company", "Ромашки")
    assert ("Ромашка", "Ромашки") in pairs(dossier)
    assert pairs(dossier, "--threshold", "95") == {}
    result = dossier("dupes", "--threshold", "101", expect=2)
    assert "--threshold 101 is out of range; give 0 to 100" in result.stderr


def test_add_company_warns_when_it_looks_like_an_existing_one(dossier):
    dossier("add", "company", "ООО «Ромашка»", "--website", "romashka.ru")
    result = dossier("add", "company", "Romashka LLC")
    assert result.stderr.splitlines()[1] == (
        "Warning: #2 Romashka LLC looks like #1 ООО «Ромашка» (same name in another alphabet, score 100); "
        "if they are one firm: dossier merge company 1 2"
    )
    result = dossier("add", "company", "Цветочная база", "--email", "info@romashka.ru")
    assert "looks like #1 ООО «Ромашка» (same web domain romashka.ru, score 90)" in result.stderr
    result = dossier("add", "company", "Вектор")
    assert "Warning" not in result.stderr


def test_people_dupes(dossier):
    dossier("add", "person", "Иван Петров")
    dossier("add", "person", "Petrov Ivan")
    dossier("add", "person", "Мария Соколова")
    found = pairs(dossier, "--kind", "people")
    assert list(found) == [("Иван Петров", "Petrov Ivan")]
    assert found[("Иван Петров", "Petrov Ivan")]["kind"] == "person"
    result = dossier("dupes", "--kind", "people")
    assert "To join a pair: dossier merge person 1 2" in result.stderr


def test_unknown_kind_is_refused(dossier):
    result = dossier("dupes", "--kind", "cats", expect=2)
    assert "unknown kind 'cats'" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_dupes_output_formats(dossier, fmt):
    dossier("add", "company", "ООО «Ромашка»")
    dossier("add", "company", "Romashka LLC")
    result = dossier("dupes", "--format", fmt)
    assert "Romashka LLC" in result.stdout


def test_look_alike_warning_follows_renames_imports_removals_and_restores(dossier, tmp_path):
    """The warning compares with every company by its current name, however it got there."""
    source = tmp_path / "companies.csv"
    source.write_text("name,city\nООО «Берёзка Трейд»,Хабаровск\nAmur Logistics,Владивосток\n", encoding="utf-8")
    dossier("import", "companies", str(source))
    assert "looks like #1 ООО «Берёзка Трейд»" in dossier("add", "company", "Berezka Treyd LLC").stderr

    dossier("edit", "company", "Amur Logistics", "--name", "Вектор Логистик")
    assert "Warning" not in dossier("add", "company", "Amur Logistic Ltd").stderr
    assert "looks like #2 Вектор Логистик" in dossier("add", "company", "Vektor Logistik").stderr

    dossier("rm", "company", "Berezka Treyd LLC", "--yes")
    dossier("rm", "company", "ООО «Берёзка Трейд»", "--yes")
    assert "Warning" not in dossier("add", "company", "ИП «Берёзка Трейд»").stderr

    backup = tmp_path / "all.json"
    dossier("export", "all", "--output", str(backup))
    restored = tmp_path / "restored.db"
    dossier("--db", str(restored), "import", "all", str(backup))
    result = dossier("--db", str(restored), "add", "company", "Vektor Logistics")
    assert "looks like #2 Вектор Логистик" in result.stderr


def test_names_are_compared_within_blocks_that_are_not_too_common(dossier, tmp_path, monkeypatch):
    """As `dupes` does, a word beginning shared by too many names says nothing: it is skipped."""
    import dossier_cli.upkeep.dupes as dupes

    source = tmp_path / "many.csv"
    source.write_text("name\n" + "".join(f"Ромашка {n}\n" for n in range(40)), encoding="utf-8")
    dossier("import", "companies", str(source))
    assert "looks like #2 Ромашка 1 (alike names" in dossier("add", "company", "Ромашка 1а").stderr

    monkeypatch.setattr(dupes, "_MAX_BLOCK", 10)  # now every block of the next name is too common
    result = dossier("add", "company", "Ромашка 1б")
    assert result.stderr.startswith("Added company #42 Ромашка 1б")
    assert "Warning" not in result.stderr
