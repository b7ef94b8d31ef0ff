"""The rights of the people in the database: access, erasure, objection (GDPR arts. 15, 17, 20, 21)."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat

import pytest

ON_SQLITE = not os.environ.get("DOSSIER_TEST_PG_URL")
sqlite_only = pytest.mark.skipif(not ON_SQLITE, reason="reads the SQLite files")

NAME = "Иван Петров"
EMAIL = "ivan.petrov@romashka.ru"
PHONE = "+7 4212 55-01-02"


@pytest.fixture
def ivan(dossier):
    """Иван at Ромашка, with everything a salesperson stores about someone; Ольга for contrast."""
    dossier("add", "company", "ООО «Ромашка»", "--city", "Хабаровск")
    dossier("add", "company", "Amur Logistics", "--note", f"знакомый: {NAME.upper()}, {EMAIL}")
    dossier("add", "person", NAME, "--company", "ромашка", "--role", "economic-buyer", "--phone", PHONE,
            "--email", EMAIL, "--note", "любит рыбалку")
    dossier("add", "person", "Ольга Ким", "--company", "ромашка", "--role", "coach", "--email", "olga@romashka.ru")
    dossier("fill", "ромашка", "--person", "Иван", "--set", f"personal_needs={NAME} хочет повышения")
    dossier("fill", "ромашка", "--person", "Ольга", "--set", "personal_needs=новый офис")
    dossier("fill", "ромашка", "--set", f"decision_maker={NAME}")
    dossier("add", "touch", "ромашка", "--kind", "call", "--person", "Иван", "--note", "обещал перезвонить")
    dossier("add", "touch", "ромашка", "--kind", "meeting", "--person", "Ольга", "--note", f"Ольга говорит, что {NAME} в отпуске")
    dossier("add", "gift", "ромашка", "--what", "ужин", "--person", "Иван", "--value", "3000")
    return dossier.json("show", "person", "Иван")["id"]


# ---------------------------------------------------------------- access (art. 15, 20)
def test_export_person_gives_everything_stored_about_them(dossier, ivan, tmp_path):
    document = json.loads(dossier("export", "person", "Иван").stdout)
    assert document["person"]["name"] == NAME
    assert document["person"]["email"] == EMAIL
    assert document["person"]["notes"] == "любит рыбалку"
    assert [(link["company"], link["role"]) for link in document["links"]] == [("ООО «Ромашка»", "economic-buyer")]
    assert [t["note"] for t in document["touches"]] == ["обещал перезвонить"]  # touches with Ольга are hers
    assert {a["item_key"]: a["value"] for a in document["dossier_answers"]} == {
        "personal_needs": f"{NAME} хочет повышения",
        "decision_maker": {"id": ivan, "name": NAME},
    }
    assert [g["what"] for g in document["gifts"]] == ["ужин"]
    actions = [(e["action"], e["entity"]) for e in document["audit_events"]]
    assert ("create", "person") in actions and ("create", "touch") in actions and ("link", "person") in actions
    assert all(e["entity"] == "person" and e["entity_id"] == ivan or e["changes"].get("person_id") == ivan
               for e in document["audit_events"])

    target = tmp_path / "ivan.json"
    result = dossier("export", "person", str(ivan), "--output", str(target))
    assert f"Exported everything about #{ivan} {NAME} to {target} (readable by you only)." in result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text(encoding="utf-8"))["person"]["id"] == ivan


def test_export_person_of_nobody_is_not_found(dossier, ivan, tmp_path):
    target = tmp_path / "nobody.json"
    result = dossier("export", "person", "Сидоров", "--output", str(target), expect=3)
    assert "Error: no person matches 'Сидоров'" in result.stderr
    assert not target.exists()


# ---------------------------------------------------------------- erasure (art. 17)
def _files(db_path):
    return [path for path in (db_path, db_path.with_name(db_path.name + "-wal")) if path.exists()]


def _traces(db_path) -> list[bytes]:
    needles = [NAME.encode(), NAME.upper().encode(), EMAIL.encode(), PHONE.encode(), b"74212550102",
               "петров".encode(), "любит рыбалку".encode()]
    blob = b"".join(path.read_bytes() for path in _files(db_path))
    return [needle for needle in needles if needle in blob]


def test_forget_person_needs_yes_and_changes_nothing_without_it(dossier, ivan):
    before = dossier("export", "all", "--format", "json").stdout
    result = dossier("forget", "person", "Иван", expect=2)
    assert "refusing without --yes when not at a terminal" in result.stderr
    assert dossier("export", "all", "--format", "json").stdout == before


def test_forget_unknown_person_is_not_found(dossier, ivan):
    result = dossier("forget", "person", "Сидоров", "--yes", expect=3)
    assert "no person matches 'Сидоров'" in result.stderr


@sqlite_only
def test_forget_person_leaves_no_byte_of_them_in_the_database_files(dossier, ivan, db_path):
    assert _traces(db_path)  # the test can fail: they are in the files before
    result = dossier("forget", "person", "Иван", "--yes")
    assert f"Forgot #{ivan} {NAME}" in result.stderr
    assert "no trace of their name, e-mail or phone is left" in result.stderr
    assert _traces(db_path) == []

    # everywhere else they were mentioned, the rest of the record stays
    assert dossier("search", "Петров", "--format", "json").stdout.strip() == "[]"
    assert [p["name"] for p in dossier.json("list", "people")] == ["Ольга Ким"]
    touches = {t["kind"]: t for t in dossier.json("list", "touches")}
    assert touches["call"]["person_id"] is None and touches["call"]["note"] == "[erased]"
    assert touches["meeting"]["note"] == "Ольга говорит, что [erased] в отпуске"
    assert touches["meeting"]["person"] == "Ольга Ким"
    notes = {c["name"]: c["notes"] for c in dossier.json("list", "companies")}
    assert notes["Amur Logistics"] == "знакомый: [erased], [erased]"
    dossier("check")

    conn = sqlite3.connect(db_path)
    try:
        erase = conn.execute("SELECT changes_json FROM audit_event WHERE action = 'erase'").fetchall()
        assert len(erase) == 1
        alias = json.loads(erase[0][0])["person"]
        assert alias.startswith("person-") and json.loads(erase[0][0]) == {"person": alias}
        about = conn.execute(
            "SELECT DISTINCT changes_json FROM audit_event WHERE entity = 'person' AND entity_id = ?", (ivan,)
        ).fetchall()
        assert about == [(json.dumps({"person": alias}),)]
        markers = [row[0] for row in conn.execute("SELECT digest FROM forgotten_person")]
        assert len(markers) == 2 and all(len(m) == 64 for m in markers)  # name+e-mail, name+phone: hashes only
        answers = conn.execute("SELECT person_id, item_key, value_json FROM dossier_answer ORDER BY id").fetchall()
        assert [(a[1], json.loads(a[2])) for a in answers if a[1] == "personal_needs"] == [("personal_needs", "новый офис")]
        assert json.loads(dict((a[1], a[2]) for a in answers)["decision_maker"]) == {"id": None, "name": alias}
        assert conn.execute("SELECT person_id FROM gift").fetchall() == [(None,)]
    finally:
        conn.close()


@sqlite_only
def test_forget_warns_that_older_backups_still_hold_them(dossier, ivan, db_path):
    dossier("backup")
    result = dossier("forget", "person", "Иван", "--yes")
    assert "Warning: 1 backup file(s) made before now still hold them" in result.stderr


def test_a_forgotten_person_added_again_is_flagged_do_not_contact(dossier, ivan):
    dossier("forget", "person", "Иван", "--yes")
    result = dossier("add", "person", "иван  петров", "--email", EMAIL.upper())
    assert "Warning: иван петров matches do-not-contact marker #" in result.stderr
    assert "left by `forget person`" in result.stderr
    assert dossier.json("show", "person", "петров")["do_not_contact"] is True
    result = dossier("add", "touch", "ромашка", "--kind", "call", "--person", "петров", expect=4)
    assert "asked not to be contacted" in result.stderr


def test_someone_else_of_the_same_name_is_not_flagged(dossier, ivan):
    dossier("forget", "person", "Иван", "--yes")
    result = dossier("add", "person", NAME, "--email", "another.ivan@vostok.ru")
    assert "marker" not in result.stderr
    assert dossier.json("show", "person", "Иван")["do_not_contact"] is False


def test_importing_a_forgotten_person_flags_them(dossier, ivan, tmp_path):
    dossier("forget", "person", "Иван", "--yes")
    source = tmp_path / "contacts.csv"
    source.write_text(f"name,company,phone\n{NAME},ромашка,{PHONE}\nПётр Сидоров,ромашка,\n", encoding="utf-8")
    result = dossier("import", "people", str(source))
    assert f"Warning: {NAME} (#" in result.stderr and "matches do-not-contact marker #" in result.stderr
    assert "Сидоров" not in result.stderr
    flags = {name: dossier.json("show", "person", name)["do_not_contact"] for name in (NAME, "Пётр Сидоров")}
    assert flags == {NAME: True, "Пётр Сидоров": False}


# ---------------------------------------------------------------- objection (art. 21)
def test_do_not_contact_refuses_touches_and_marks_marketing_exports(dossier, ivan):
    result = dossier("edit", "person", "Иван", "--do-not-contact")
    assert f"Updated person #{ivan} {NAME}." in result.stderr
    assert dossier.json("show", "person", "Иван")["do_not_contact"] is True
    before = dossier.json("list", "touches")
    result = dossier("add", "touch", "ромашка", "--kind", "call", "--person", "Иван", "--note", "ещё раз", expect=4)
    assert f"Error: #{ivan} {NAME} asked not to be contacted" in result.stderr
    assert "--may-contact" in result.stderr
    assert dossier.json("list", "touches") == before
    # a touch with the company, not with them, is still fine
    dossier("add", "touch", "ромашка", "--kind", "call", "--person", "Ольга")

    rows = list(csv.DictReader(io.StringIO(dossier("export", "people", "--format", "csv").stdout)))
    assert {row["name"]: row["do_not_contact"] for row in rows} == {NAME: "yes", "Ольга Ким": "no"}
    assert {p["name"]: p["do_not_contact"] for p in dossier.json("export", "people")} == {NAME: True, "Ольга Ким": False}

    dossier("edit", "person", "Иван", "--may-contact")
    dossier("add", "touch", "ромашка", "--kind", "call", "--person", "Иван")


def test_import_touches_refuses_a_touch_with_someone_who_objected(dossier, ivan, tmp_path):
    dossier("edit", "person", "Иван", "--do-not-contact")
    before = dossier.json("list", "touches")
    log = tmp_path / "touches.csv"
    log.write_text(
        "company,person,date,kind,note\n"
        "ромашка,Ольга Ким,2026-11-20,call,обсудили цены\n"
        f"ромашка,{NAME},2026-11-21,call,ещё раз\n",
        encoding="utf-8",
    )
    result = dossier("import", "touches", str(log), expect=2)
    assert f"line 3, column 'person': #{ivan} {NAME} asked not to be contacted" in result.stderr
    assert dossier.json("list", "touches") == before  # the whole file is refused

    result = dossier("import", "touches", str(log), "--skip-errors")
    assert "1 refused" in result.stderr or "refused: 1" in result.stderr, result.stderr
    after = dossier.json("list", "touches")
    added = [t for t in after if t not in before]
    assert [(t["note"], t["person"]) for t in added] == [("обсудили цены", "Ольга Ким")]

