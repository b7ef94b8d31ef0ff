"""Malformed and foreign files (issue 17, defects 3, 4 and 6): a bad row is named by its line, the rest stays readable."""

from __future__ import annotations

import stat


def names(dossier):
    return [c["name"] for c in dossier.json("list", "companies")]


def test_an_unterminated_quote_is_refused_with_the_line_where_it_opened(dossier, tmp_path):
    path = tmp_path / "stray.csv"
    path.write_text('name,city\n"Unterminated,Moscow\nOk Co,Kazan\n', encoding="utf-8")
    result = dossier("import", "companies", str(path), expect=2)
    assert "stray.csv: line 2: a quote (\") opened on this line is not closed" in result.stderr
    assert "1 bad row; nothing was imported" in result.stderr
    assert names(dossier) == []
    skipped = dossier("import", "companies", str(path), "--skip-errors")
    assert "1 created, 0 updated, 0 unchanged, 1 refused" in skipped.stderr
    assert names(dossier) == ["Ok Co"]


def test_a_cell_spanning_lines_that_holds_the_delimiter_is_refused_but_the_rows_after_it_are_read(dossier, tmp_path):
    path = tmp_path / "span.csv"
    path.write_text('name;city\nAlpha;Kazan\n"Beta;Omsk\nGamma;Tomsk\nDelta;Perm\n', encoding="utf-8")
    result = dossier("import", "companies", str(path), "--skip-errors")
    assert "span.csv: line 3: a quote" in result.stderr
    assert "3 created, 0 updated, 0 unchanged, 1 refused" in result.stderr
    assert sorted(names(dossier)) == ["Alpha", "Delta", "Gamma"]


def test_a_quoted_cell_spanning_lines_without_the_delimiter_is_one_cell(dossier, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text('name,notes\nAlpha,"first line\nsecond line"\nBeta,\n', encoding="utf-8")
    result = dossier("import", "companies", str(path))
    assert "2 created" in result.stderr
    assert dossier.json("show", "company", "Alpha")["notes"] == "first line\nsecond line"


def test_a_five_megabyte_cell_is_a_line_numbered_error(dossier, tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text("name,notes\nAlpha,short\nBeta," + "x" * (5 * 1024 * 1024) + "\nGamma,short\n", encoding="utf-8")
    result = dossier("import", "companies", str(path), expect=2)
    assert "huge.csv: line 3: a cell is larger than" in result.stderr
    assert "unexpected" not in result.stderr and "Traceback" not in result.stderr
    assert names(dossier) == []
    skipped = dossier("import", "companies", str(path), "--skip-errors")
    assert "2 created, 0 updated, 0 unchanged, 1 refused" in skipped.stderr


def test_the_rejects_file_is_written_in_the_inputs_encoding_and_delimiter(dossier, tmp_path):
    path = tmp_path / "клиенты.csv"
    path.write_bytes("Название;Вид деятельности\nРомашка;production\nВектор;жонглирование\n".encode("cp1251"))
    result = dossier("import", "companies", str(path), "--skip-errors")
    rejects = tmp_path / "клиенты.rejects.csv"  # as the README names it: beside the input, .rejects.csv
    assert f"Bad rows written to {rejects}" in result.stderr
    assert stat.S_IMODE(rejects.stat().st_mode) == 0o600
    text = rejects.read_bytes().decode("cp1251")
    assert text.splitlines() == [
        "line;column;problem;Название;Вид деятельности",
        "3;Вид деятельности;unknown activity 'жонглирование' (choose one of: extraction, production, trade, services);Вектор;жонглирование",
    ]


def test_a_quote_opened_on_the_last_line_is_refused_too(dossier, tmp_path):
    # Excel's cp1251 `;` export whose last row starts with a stray quote: the quote runs to the
    # end of the file, so the row's cells and its line break end up in one name
    path = tmp_path / "last.csv"
    for end in ("\r\n", ""):
        path.write_bytes(f'Наименование;Город\r\nАльфа;Казань\r\n"Кавычка ООО;Москва{end}'.encode("cp1251"))
        result = dossier("import", "companies", str(path), expect=2)
        assert "last.csv: line 3: a quote (\") opened on this line is not closed" in result.stderr
        assert names(dossier) == []
    dossier("import", "companies", str(path), "--skip-errors")
    assert names(dossier) == ["Альфа"]
