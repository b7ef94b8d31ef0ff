"""Phones, e-mails, websites and tags as import and export columns (issue 17, defect 5), and past history (defect 7)."""

from __future__ import annotations


def test_russian_and_english_contact_headers_are_import_columns(dossier, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes(
        ("Наименование;Тел.;Электронная почта;Сайт;Теги\n"
         "ООО «Ромашка»;+7 4212 55-01-02, 8 (914) 123-45-67;info@romashka.ru;https://romashka.ru/;VIP, выставка-2026\n"
         "Amur Logistics;8 4212 22-33-44;sales@amur.example; ;\n").encode("cp1251"))
    result = dossier("import", "companies", str(path))
    assert "2 created" in result.stderr
    assert "columns not imported" not in result.stderr
    shown = dossier.json("show", "company", "Ромашка")
    assert shown["phones"] == ["+7 421 255-01-02", "+7 914 123-45-67"]
    assert shown["emails"] == ["info@romashka.ru"]
    assert shown["websites"] == ["romashka.ru"]
    assert shown["tags"] == ["vip", "выставка-2026"]
    # the imported phone finds the company, as one added by hand does
    assert dossier.json("show", "company", "8 914 123 45 67")["name"] == "ООО «Ромашка»"


def test_other_spellings_of_the_headers(dossier, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text("Name,Phone,E-mail,Website,Tags\nVector,+7 495 123-45-67;+7 495 765-43-21,a@vector.ru;b@vector.ru,vector.ru,b2b\n",
                    encoding="utf-8")
    dossier("import", "companies", str(path))
    shown = dossier.json("show", "company", "Vector")
    assert (len(shown["phones"]), shown["emails"], shown["tags"]) == (2, ["a@vector.ru", "b@vector.ru"], ["b2b"])


def test_a_bad_or_taken_contact_is_refused_as_add_company_refuses_it(dossier, tmp_path):
    dossier("add", "company", "Амур", "--phone", "+7 4212 55-01-02")
    path = tmp_path / "clients.csv"
    path.write_text("name,Телефон,Email\nАльфа,12,\nБета,8 4212 55-01-02,\nГамма,,not-an-email\n", encoding="utf-8")
    result = dossier("import", "companies", str(path), expect=2)
    assert "line 2, column 'Телефон': '12' is not a valid phone number" in result.stderr
    taken = dossier("add", "company", "Бета", "--phone", "8 4212 55-01-02", expect=4)
    message = taken.stderr.removeprefix("Error: ").splitlines()[0]
    assert f"line 3, column 'Телефон': {message}" in result.stderr
    assert "line 4, column 'Email': " in result.stderr


def test_the_map_hint_names_fields_that_exist_and_following_it_works(dossier, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text("name,Рабочий номер,Комментарий менеджера\nАльфа,+7 4212 55-01-02,звонить утром\n", encoding="utf-8")
    result = dossier("import", "companies", str(path), "--dry-run")
    assert "columns not imported: Рабочий номер, Комментарий менеджера" in result.stderr
    hint = result.stderr.split("FIELD one of: ", 1)[1].split(")")[0].split(", ")
    assert "phone" in hint and "notes" in hint and "name" not in hint
    for field in hint:  # every field the hint names is one --map takes
        mapped = dossier("import", "companies", str(path), "--dry-run", "--map", f"{field}=Комментарий менеджера", expect=None)
        assert "has no field" not in mapped.stderr, field
    dossier("import", "companies", str(path), "--map", "phone=Рабочий номер", "--map", "notes=Комментарий менеджера")
    shown = dossier.json("show", "company", "Альфа")
    assert (shown["phones"], shown["notes"]) == (["+7 421 255-01-02"], "звонить утром")


def test_export_then_import_keeps_contacts_and_tags(dossier, tmp_path):
    dossier("add", "company", "ООО «Ромашка»", "--phone", "+7 4212 55-01-02", "--phone", "8 914 123-45-67",
            "--email", "info@romashka.ru", "--website", "romashka.ru", "--tag", "VIP", "--tag", "fair-2026")
    dossier("add", "person", "Иван Петров", "--company", "Ромашка", "--phone", "+7 914 000-11-22",
            "--phone", "+7 914 000-11-33", "--email", "ivan@romashka.ru", "--tag", "decides")
    companies, people = tmp_path / "companies.csv", tmp_path / "people.csv"
    dossier("export", "companies", "--output", str(companies))
    dossier("export", "people", "--output", str(people))
    other = tmp_path / "other.db"
    dossier("--db", str(other), "import", "companies", str(companies))
    dossier("--db", str(other), "import", "people", str(people))
    for kind, keys in (("companies", ("name", "phones", "emails", "websites", "tags")),
                       ("people", ("name", "company", "phone", "email", "phones", "emails", "tags"))):
        before = [{k: row[k] for k in keys} for row in dossier.json("export", kind)]
        after = [{k: row[k] for k in keys} for row in dossier.json("--db", str(other), "export", kind)]
        assert after == before, kind
    assert before[0]["phones"] == ["+7 914 000-11-22", "+7 914 000-11-33"]


def test_listed_on_column_back_dates_a_company(dossier, tmp_path):
    path = tmp_path / "history.csv"
    path.write_text("Наименование;Дата добавления\nООО «Ромашка»;15.03.2024\nВектор;\n", encoding="utf-8")
    dossier("import", "companies", str(path))
    assert dossier.json("show", "company", "Ромашка")["listed_on"] == "2024-03-15"
    bad = tmp_path / "bad.csv"
    bad.write_text("name,listed_on\nАльфа,31.02.2024\n", encoding="utf-8")
    result = dossier("import", "companies", str(bad), expect=2)
    assert "line 2, column 'listed_on': bad " in result.stderr


def test_back_filled_history_gives_statistics(dossier, tmp_path):
    companies, touches, sales = (tmp_path / f"{name}.csv" for name in ("companies", "touches", "sales"))
    companies.write_text("Наименование,Дата добавления\nАльфа,10.01.2024\nБета,15.01.2024\n", encoding="utf-8")
    touches.write_text("company,date,kind\nАльфа,2024-02-01,звонок\nБета,2024-02-03,meeting\n", encoding="utf-8")
    sales.write_text("company,date,amount\nАльфа,2024-03-01,1000\n", encoding="utf-8")
    for kind, path in (("companies", companies), ("touches", touches), ("sales", sales)):
        dossier("import", kind, str(path))
    stats = dossier.json("stats")
    assert stats["listed_as_customers"] == 0
    overall = stats["overall"]
    assert (overall["prospects"], overall["converted"], overall["open"]) == (2, 1, 1)
    assert overall["days"]["median"] == 51  # 10 January to 1 March
