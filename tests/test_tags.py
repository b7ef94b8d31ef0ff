"""Tags on companies and people: --tag on add, --add-tag/--rm-tag on edit, --tag on list."""

from __future__ import annotations


def names(rows):
    return [row["name"] for row in rows]


def test_company_tags_filter_lists_and_ignore_case(dossier):
    dossier("add", "company", "ООО «Ромашка»", "--tag", "Fair-2026", "--tag", "Выставка")
    dossier("add", "company", "Вектор", "--tag", "fair-2026")
    dossier("add", "company", "Amur Logistics")
    assert names(dossier.json("list", "companies", "--tag", "FAIR-2026")) == ["Вектор", "ООО «Ромашка»"]
    assert names(dossier.json("list", "companies", "--tag", "fair-2026", "--tag", "ВЫСТАВКА")) == ["ООО «Ромашка»"]
    assert dossier.json("show", "company", "ромашка")["tags"] == ["fair-2026", "выставка"]

    dossier("edit", "company", "amur", "--add-tag", "Fair-2026")
    dossier("edit", "company", "ромашка", "--rm-tag", "fair-2026", "--add-tag", "vip")
    assert names(dossier.json("list", "companies", "--tag", "fair-2026")) == ["Amur Logistics", "Вектор"]
    assert dossier.json("show", "company", "ромашка")["tags"] == ["vip", "выставка"]
    result = dossier("list", "companies", "--tag", "nobody-has-it")
    assert result.stderr == "no companies match\n"


def test_readding_a_tag_changes_nothing_and_removing_a_missing_one_is_refused(dossier):
    dossier("add", "company", "Вектор", "--tag", "vip")
    dossier("edit", "company", "вектор", "--add-tag", "VIP")
    assert dossier.json("show", "company", "вектор")["tags"] == ["vip"]
    result = dossier("edit", "company", "вектор", "--rm-tag", "fair-2026", "--add-tag", "new", expect=3)
    assert "'Вектор' has no tag 'fair-2026'" in result.stderr
    assert dossier.json("show", "company", "вектор")["tags"] == ["vip"]
    result = dossier("add", "company", "Яблоко", "--tag", " ", expect=2)
    assert "the tag is empty" in result.stderr
    dossier("show", "company", "яблоко", expect=3)


def test_person_tags(dossier):
    dossier("add", "company", "ООО «Ромашка»")
    dossier("add", "person", "Иван Петров", "--company", "ромашка", "--tag", "ЛПР")
    dossier("add", "person", "Мария Соколова", "--company", "ромашка", "--tag", "лпр", "--tag", "рыбалка")
    assert names(dossier.json("list", "people", "--tag", "лпр")) == ["Иван Петров", "Мария Соколова"]
    assert names(dossier.json("list", "people", "--tag", "лпр", "--tag", "Рыбалка")) == ["Мария Соколова"]
    dossier("edit", "person", "петров", "--add-tag", "рыбалка", "--rm-tag", "лпр")
    assert dossier.json("show", "person", "петров")["tags"] == ["рыбалка"]
    assert names(dossier.json("list", "people", "--tag", "лпр")) == ["Мария Соколова"]
    result = dossier("edit", "person", "петров", "--rm-tag", "лпр", expect=3)
    assert "'Иван Петров' has no tag 'лпр'" in result.stderr
