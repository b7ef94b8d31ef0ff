"""Import row matching (issue 17, defects 1 and 2): one rule within a file, across files and against the database.

A row is the company of an earlier row (of this file, of an earlier import, or added by hand)
when it has the same tax number, or, without a conflicting tax number, the same name once
legal form, case and quotes are ignored. A later row updates it and is counted as updated.
"""

from __future__ import annotations


def _near_dupes(tmp_path, fillers: int):
    lines = ["name,city,industry", "Foo LLC 1,Moscow,fishing"]
    lines += [f"Filler {i} Company,Moscow,retail" for i in range(fillers)]
    lines.append("Foo JSC 1,Khabarovsk,retail")
    path = tmp_path / "near-dupes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_big_file_with_two_spellings_of_one_company_imports_and_updates_it(dossier, tmp_path):
    path = _near_dupes(tmp_path, 5000)  # more than one batch of rows: the bulk path
    result = dossier("import", "companies", str(path))
    assert "5001 created, 1 updated, 0 unchanged, 0 refused" in result.stderr
    shown = dossier.json("show", "company", "Foo LLC 1")
    assert shown["city"] == "Khabarovsk"
    assert shown["market"] == "retail"
    found = dossier.json("search", "Khabarovsk")
    assert [row["title"] for row in found] == ["Foo LLC 1"]


def test_a_small_file_counts_the_later_row_as_an_update(dossier, tmp_path):
    path = _near_dupes(tmp_path, 100)
    result = dossier("import", "companies", str(path))
    assert "101 created, 1 updated, 0 unchanged, 0 refused" in result.stderr
    assert dossier.json("show", "company", "Foo LLC 1")["city"] == "Khabarovsk"


def test_the_same_row_twice_is_unchanged_the_second_time(dossier, tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("name,city\n«Ромашка» ООО,Хабаровск\nООО \"Ромашка\",Хабаровск\n", encoding="utf-8")
    result = dossier("import", "companies", str(path))
    assert "1 created, 0 updated, 1 unchanged, 0 refused" in result.stderr
    again = dossier("import", "companies", str(path))
    assert "0 created, 0 updated, 2 unchanged, 0 refused" in again.stderr


def test_rows_naming_one_company_with_two_tax_numbers_are_both_refused(dossier, tmp_path):
    path = tmp_path / "taxes.csv"
    path.write_text("name,ИНН\nООО «Ромашка»,2721000000\nOk Co,\nРомашка АО,7707083893\n", encoding="utf-8")
    result = dossier("import", "companies", str(path), expect=2)
    assert "line 2, column 'ИНН': tax number 2721000000 differs from 7707083893 on line 4" in result.stderr
    assert "line 4, column 'ИНН': tax number 7707083893 differs from 2721000000 on line 2" in result.stderr
    assert "2 bad rows; nothing was imported" in result.stderr
    assert dossier.json("list", "companies") == []
    skipped = dossier("import", "companies", str(path), "--skip-errors")
    assert "1 created, 0 updated, 0 unchanged, 2 refused" in skipped.stderr
    assert [c["name"] for c in dossier.json("list", "companies")] == ["Ok Co"]


def test_two_tax_numbers_far_apart_in_a_big_file_refuse_both_rows(dossier, tmp_path):
    lines = ["name,ИНН", "ООО «Ромашка»,2721000000"]
    lines += [f"Filler {i},"for i in range(5200)]
    lines.append("Ромашка АО,7707083893")
    path = tmp_path / "far.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = dossier("import", "companies", str(path), expect=2)
    assert "line 2, column 'ИНН': tax number 2721000000 differs from 7707083893 on line 5203" in result.stderr
    assert "line 5203, column 'ИНН'" in result.stderr
    skipped = dossier("import", "companies", str(path), "--skip-errors")
    assert "5200 created, 0 updated, 0 unchanged, 2 refused" in skipped.stderr
    assert dossier("show", "company", "Ромашка", expect=3)


def test_a_row_with_another_tax_number_than_the_listed_company_of_that_name_is_refused(dossier, tmp_path):
    dossier("add", "company", "ООО «Ромашка»", "--tax-number", "2721000000")
    path = tmp_path / "other.csv"
    path.write_text("name,ИНН,city\nРомашка,7707083893,Москва\nРомашка,2721000000,Хабаровск\n", encoding="utf-8")
    result = dossier("import", "companies", str(path), "--skip-errors")
    assert "line 2, column 'ИНН': company #1 of the same name has tax number 2721000000, this row 7707083893" in result.stderr
    assert "0 created, 1 updated, 0 unchanged, 1 refused" in result.stderr
    shown = dossier.json("show", "company", "1")
    assert (shown["tax_number"], shown["city"]) == ("2721000000", "Хабаровск")
