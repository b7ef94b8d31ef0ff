"""One write path (issue 16): the interactive command and a one-row import accept and refuse the same values.

Each case is run through the command a salesperson types and through `dossier import` of a
one-row file; both must give the same verdict, and a refusal the same message. A synonym or
a rule added in one place only makes a case here fail.
"""

from __future__ import annotations

import re

import pytest

OK, BAD = True, False

# (what, command arguments, import kind, CSV header, CSV row, verdict)
COMPANY = [
    ("stage", "researching", OK), ("stage", "Researching", OK), ("stage", "nonsense", BAD),
    ("activity", "production", OK), ("activity", "juggling", BAD),
    ("source", "referral", OK), ("source", "chambers of commerce", OK), ("source", "a little bird", BAD),
    ("tax_number", "7707083893", OK), ("tax_number", "7707083894", BAD), ("tax_number", "12ab", BAD),
    ("founded", "2009", OK), ("founded", "3000", BAD),
]
SALE = [
    ("amount", "1 250 000,50", OK), ("amount", "75.5", OK), ("amount", "abc", BAD), ("amount", "-5", BAD),
    ("amount", "0", BAD), ("amount", "0,00", BAD), ("amount", "12.345", BAD),
    ("date", "02.11.2025", OK), ("date", "2025-11-02", OK), ("date", "2025-13-01", BAD), ("date", "someday", BAD),
]
PERSON = [
    ("role", "economic-buyer", OK), ("role", "economic buyer", OK), ("role", "boss of bosses", BAD),
    ("phone", "+7 4212 55-01-02", OK), ("phone", "8 (914) 123-45-67", OK), ("phone", "12", BAD),
    ("email", "ivan@example.ru", OK), ("email", "not-an-email", BAD),
]
TOUCH = [
    ("kind", "call", OK), ("kind", "phone call", OK), ("kind", "звонок", OK), ("kind", "Встреча", OK), ("kind", "telepathy", BAD),
    ("outcome", "yes", OK), ("outcome", "positive", OK), ("outcome", "позитивный", OK), ("outcome", "не ответил", OK),
    ("outcome", "no answer", OK), ("outcome", "maybe", BAD),
    ("date", "2025-11-02", OK), ("date", "2099-01-01", BAD), ("date", "31.02.2025", BAD),
]
DOSSIER = [
    ("reputation", "reliable, pays on time", OK), ("nonsense_item", "42", BAD), ("founded", "abc", BAD),
    ("founded", "1998", OK), ("activity", "juggling", BAD), ("activity", "trade", OK),
]


def _error(stderr: str) -> str:
    found = re.search(r"^Error: (.*)$", stderr, re.M)
    assert found, stderr
    return found.group(1)


def _import(dossier, tmp_path, kind: str, header: str, row: str, verdict: bool) -> str:
    path = tmp_path / f"one-{kind}.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    result = dossier("import", kind, str(path), "--dry-run", expect=0 if verdict else 2)
    return result.stderr


def _csv_cell(value: str) -> str:
    return f'"{value}"' if "," in value else value


def _compare(dossier, tmp_path, command: list[str], kind: str, header: str, row: str, verdict: bool) -> None:
    imported = _import(dossier, tmp_path, kind, header, row, verdict)
    # (the typed sale or touch repeats the imported one: --force records it as a second one)
    typed = dossier(*command, expect=0 if verdict else 2)
    if verdict:
        assert "0 refused" in imported, imported
    else:
        # `fill` adds that it saved nothing; the import says so for the whole file instead.
        message = _error(typed.stderr).replace("; nothing was saved", "")
        assert f": {message}" in imported, (message, imported)


@pytest.fixture
def amur(dossier):
    dossier("add", "company", "Amur Logistics", "--city", "Хабаровск", "--listed-on", "2020-01-01")
    return "Amur Logistics"


@pytest.mark.parametrize(("field", "value", "verdict"), COMPANY, ids=[f"{f}={v}" for f, v, _ in COMPANY])
def test_company_fields(dossier, tmp_path, field, value, verdict):
    option = "--" + field.replace("_", "-")
    _compare(dossier, tmp_path, ["add", "company", "Parity Co", option, value], "companies",
             f"name,{field}", f"Parity Co,{_csv_cell(value)}", verdict)


@pytest.mark.parametrize(("field", "value", "verdict"), SALE, ids=[f"{f}={v}" for f, v, _ in SALE])
def test_sale_fields(dossier, tmp_path, amur, field, value, verdict):
    sale = {"amount": "100", "date": "2025-11-01", field: value}
    _compare(dossier, tmp_path, ["add", "sale", amur, sale["amount"], "--date", sale["date"], "--force"], "sales",
             "company,date,amount", f"{amur},{_csv_cell(sale['date'])},{_csv_cell(sale['amount'])}", verdict)


@pytest.mark.parametrize(("field", "value", "verdict"), PERSON, ids=[f"{f}={v}" for f, v, _ in PERSON])
def test_person_fields(dossier, tmp_path, amur, field, value, verdict):
    _compare(dossier, tmp_path, ["add", "person", "Иван Петров", "--company", amur, f"--{field}", value], "people",
             f"name,company,{field}", f"Иван Петров,{amur},{_csv_cell(value)}", verdict)


@pytest.mark.parametrize(("field", "value", "verdict"), TOUCH, ids=[f"{f}={v}" for f, v, _ in TOUCH])
def test_touch_fields(dossier, tmp_path, amur, field, value, verdict):
    touch = {"kind": "call", "outcome": "neutral", "date": "2025-11-01", field: value}
    _compare(dossier, tmp_path,
             ["add", "touch", amur, "--kind", touch["kind"], "--outcome", touch["outcome"], "--date", touch["date"], "--force"],
             "touches", "company,date,kind,outcome", f"{amur},{touch['date']},{touch['kind']},{touch['outcome']}", verdict)


@pytest.mark.parametrize(("item", "value", "verdict"), DOSSIER, ids=[f"{f}={v}" for f, v, _ in DOSSIER])
def test_dossier_answers(dossier, tmp_path, amur, item, value, verdict):
    _compare(dossier, tmp_path, ["fill", amur, "--set", f"{item}={value}"], "dossier",
             "company,item,value", f"{amur},{item},{_csv_cell(value)}", verdict)


def test_the_three_divergences_of_issue_16_are_gone(dossier, tmp_path, amur):
    # 1. `add touch` and `import touches` both take "phone call" and "yes".
    dossier("add", "touch", amur, "--kind", "phone call", "--outcome", "yes", "--date", "2025-11-01")
    path = tmp_path / "touches.csv"
    path.write_text(f"company,date,kind,outcome\n{amur},2025-11-02,phone call,yes\n", encoding="utf-8")
    assert "1 created" in dossier("import", "touches", str(path)).stderr
    assert [(t["kind"], t["outcome"]) for t in dossier.json("list", "touches")] == [("call", "positive")] * 2
    # 2. `fill --set nonsense_item=42` and `import dossier` both refuse an unknown item.
    dossier("fill", amur, "--set", "nonsense_item=42", expect=2)
    path = tmp_path / "answers.csv"
    path.write_text(f"company,item,value\n{amur},nonsense_item,42\n", encoding="utf-8")
    refused = dossier("import", "dossier", str(path), expect=2)
    assert "line 2, column 'item': unknown dossier item 'nonsense_item'" in refused.stderr
    # 3. «Берёзовка» and «Березовка» are one branch for `add company` and for `merge company`.
    dossier("add", "company", "Тайга", "--branch", "Берёзовка", "--branch", "Березовка")
    assert dossier.json("show", "company", "Тайга")["branches"] == ["Берёзовка"]
    dossier("add", "company", "Тайга Восток", "--branch", "БЕРЕЗОВКА", "--branch", "Бикин")
    dossier("merge", "company", "Тайга", "Тайга Восток", "--yes")
    assert dossier.json("show", "company", "Тайга")["branches"] == ["Берёзовка", "Бикин"]


def test_imported_touches_close_next_steps_as_logged_ones_do(dossier, tmp_path, amur):
    # In order: a touch with a next step, a later one (closes it), a back-dated one with a
    # next step (done at once: a later touch is in the log), and an open one at the end.
    log = [("2025-10-01", "2025-10-10"), ("2025-10-05", None), ("2025-09-20", "2025-09-25"), ("2025-10-07", "2025-11-01")]
    for day, next_on in log:
        dossier("add", "touch", amur, "--kind", "call", "--date", day, "--note", f"on {day}",
                *(["--next", next_on] if next_on else []))
    path = tmp_path / "touches.csv"
    path.write_text("company,date,kind,note,next_on\n" + "".join(
        f"{amur},{day},call,on {day},{next_on or ''}\n" for day, next_on in log), encoding="utf-8")
    other = tmp_path / "other.db"
    dossier("--db", str(other), "add", "company", amur)
    dossier("--db", str(other), "import", "touches", str(path))

    def states(*db):
        return sorted((t["date"], t["done"]) for t in dossier.json(*db, "list", "touches"))

    assert states("--db", str(other)) == states()
    assert states() == [("2025-09-20", True), ("2025-10-01", True), ("2025-10-05", None), ("2025-10-07", False)]


def test_a_file_of_answers_names_each_bad_row_and_saves_nothing(dossier, tmp_path, amur):
    path = tmp_path / "answers.csv"
    path.write_text(f"company,item,value\n{amur},reputation,reliable\n{amur},founded,abc\n{amur},common_ground,fishing\n"
                    f"{amur},nonsense_item,1\n", encoding="utf-8")
    result = dossier("import", "dossier", str(path), expect=2)
    assert "line 3, column 'value': item 'founded'" in result.stderr
    assert "line 5, column 'item': unknown dossier item 'nonsense_item'" in result.stderr
    assert "2 bad rows; nothing was imported" in result.stderr
    skipped = dossier("import", "dossier", str(path), "--skip-errors")
    assert "2 created, 0 updated, 0 unchanged, 2 refused" in skipped.stderr
    again = dossier("import", "dossier", str(path), "--skip-errors")
    assert "0 created, 0 updated, 2 unchanged, 2 refused" in again.stderr


def test_a_phone_another_record_has_is_refused_by_add_person_and_import_people(dossier, tmp_path, amur):
    dossier("add", "company", "Вектор", "--phone", "+7 4212 55-01-02")
    typed = dossier("add", "person", "Иван Петров", "--company", amur, "--phone", "8 4212 55-01-02", expect=4)
    path = tmp_path / "people.csv"
    path.write_text(f"name,company,phone\nИван Петров,{amur},8 4212 55-01-02\nОльга Ким,{amur},+7 914 000-11-22\n",
                    encoding="utf-8")
    imported = dossier("import", "people", str(path), "--skip-errors")
    assert f"line 2, column 'phone': {_error(typed.stderr)}" in imported.stderr
    assert "1 created, 0 updated, 0 unchanged, 1 refused" in imported.stderr


def test_a_reference_is_stored_as_add_sale_stores_it_so_the_import_finds_it(dossier, tmp_path, amur):
    dossier("add", "sale", amur, "100", "--date", "2025-11-01", "--ref", "СФ   1")
    path = tmp_path / "sales.csv"
    path.write_text(f"company,date,amount,reference\n{amur},2025-11-01,100,СФ   1\n{amur},2025-11-02,200,\"СФ  2 \"\n",
                    encoding="utf-8")
    result = dossier("import", "sales", str(path))
    assert "1 created, 0 updated, 1 unchanged, 0 refused" in result.stderr
    assert [s["reference"] for s in dossier.json("export", "sales")] == ["СФ 1", "СФ 2"]


def test_a_repeated_sale_is_refused_by_add_sale_and_unchanged_in_an_import(dossier, tmp_path, amur):
    dossier("add", "sale", amur, "100", "--date", "2025-11-01", "--ref", "СФ-7")
    dossier("add", "sale", amur, "300", "--date", "2025-11-02")
    same_reference = dossier("add", "sale", amur, "250", "--date", "2025-11-03", "--ref", "СФ-7", expect=4)
    assert _error(same_reference.stderr).startswith(f"{amur} already has a sale with reference 'СФ-7': #1 of ")
    same_day = dossier("add", "sale", amur, "300", "--date", "2025-11-02", expect=4)
    assert _error(same_day.stderr).startswith("sale #2 already records 300.00 from Amur Logistics on ")
    path = tmp_path / "sales.csv"
    path.write_text(f"company,date,amount,reference\n{amur},2025-11-03,250,СФ-7\n{amur},2025-11-02,300,\n"
                    f"{amur},2025-11-04,400,СФ-8\n{amur},2025-11-05,500,СФ-8\n", encoding="utf-8")
    assert "1 created, 0 updated, 3 unchanged, 0 refused" in dossier("import", "sales", str(path)).stderr
    assert "0 created, 0 updated, 4 unchanged, 0 refused" in dossier("import", "sales", str(path)).stderr
    assert sorted((s["reference"] or "", s["amount"]) for s in dossier.json("export", "sales")) == [
        ("", "300.00"), ("СФ-7", "100.00"), ("СФ-8", "400.00")]
    # what the import wrote, `add sale` finds: the same rule both ways
    dossier("add", "sale", amur, "999", "--date", "2025-11-09", "--ref", "СФ-8", expect=4)
    dossier("add", "sale", amur, "300", "--date", "2025-11-02", "--force")
    assert len(dossier.json("export", "sales")) == 4


def test_a_touches_file_about_many_companies_closes_the_steps_it_answers(dossier, tmp_path):
    # More than 500 companies in one batch: the steps are closed company by company, 500 at a time.
    names = [f"Клиент {n:03d}" for n in range(600)]
    (tmp_path / "companies.csv").write_text("name,listed_on\n" + "".join(f"{name},2025-01-01\n" for name in names),
                                            encoding="utf-8")
    dossier("import", "companies", str(tmp_path / "companies.csv"))
    dossier("add", "touch", names[7], "--kind", "call", "--date", "2025-10-01", "--next", "2025-10-10")
    dossier("add", "touch", names[8], "--kind", "call", "--date", "2025-10-01", "--next", "2025-10-10")
    # Every company gets a call on 2025-10-03 except names[8]; names[599] gets a next step of its own.
    rows = [f"{name},2025-10-03,call,{'2025-11-01' if name == names[599] else ''}\n" for name in names if name != names[8]]
    (tmp_path / "touches.csv").write_text("company,date,kind,next_on\n" + "".join(rows), encoding="utf-8")
    assert "599 created" in dossier("import", "touches", str(tmp_path / "touches.csv")).stderr
    steps = {(t["company"], t["date"]): t["done"] for t in dossier.json("list", "touches", "--limit", "1000")
             if t["done"] is not None}
    assert steps == {(names[7], "2025-10-01"): True, (names[8], "2025-10-01"): False, (names[599], "2025-10-03"): False}
