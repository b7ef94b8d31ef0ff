"""`dossier import dossier`: answers from a file land as `dossier fill` would save them, with their history."""

from __future__ import annotations

import json


def _seed(dossier):
    dossier("add", "company", "ООО «Ромашка»", "--city", "Хабаровск")
    dossier("add", "company", "Amur Logistics")


def _history(dossier, company, item):
    rows = dossier.json("checklist", company, "--history")["history"]
    return [(row["value"], row["current"]) for row in rows if row["item"] == item]


def test_one_company_answered_twice_in_one_file_keeps_the_first_answer_as_history(dossier, tmp_path):
    _seed(dossier)
    lines = [
        {"company": "Ромашка", "item": "common_ground", "value": "общие партнёры", "answered_at": "2026-10-01"},
        {"company": "Amur Logistics", "item": "common_ground", "value": "одна выставка", "answered_at": "2026-10-02"},
        {"company": "Ромашка", "item": "common_ground", "value": "общие партнёры и выставка", "answered_at": "2026-11-01"},
        {"company": "Ромашка", "item": "contradictions", "value": "нет бюджета до осени", "answered_at": "2026-11-01"},
    ]
    (tmp_path / "answers.jsonl").write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n",
                                            encoding="utf-8")
    result = dossier("import", "dossier", str(tmp_path / "answers.jsonl"))
    assert "3 created, 1 updated, 0 unchanged, 0 refused" in result.stderr
    assert _history(dossier, "Ромашка", "common_ground") == [("общие партнёры", False), ("общие партнёры и выставка", True)]
    assert _history(dossier, "Amur", "common_ground") == [("одна выставка", True)]
    assert _history(dossier, "Ромашка", "contradictions") == [("нет бюджета до осени", True)]
    again = dossier("import", "dossier", str(tmp_path / "answers.jsonl"))
    assert "0 created, 2 updated, 2 unchanged" in again.stderr  # the file's two answers about Ромашка replayed in order
    assert _history(dossier, "Ромашка", "common_ground")[-1] == ("общие партнёры и выставка", True)


def test_imported_answers_are_in_the_audit_trail_as_fills(dossier, tmp_path):
    _seed(dossier)
    (tmp_path / "answers.csv").write_text(
        "company,item,value\nРомашка,competitors,Восток-Трейд\nРомашка,contradictions,дорого\nAmur,competitors,Fesco\n",
        encoding="utf-8",
    )
    dossier("import", "dossier", str(tmp_path / "answers.csv"))
    events = dossier.json("audit", "--company", "Ромашка")
    fills = [event for event in events if event["action"] == "fill"]
    assert len(fills) == 1
    assert fills[0]["changes"] == {"competitors": {"old": None, "new": "Восток-Трейд"}, "contradictions": {"old": None, "new": "дорого"}}
    assert dossier.json("show", "company", "Ромашка")["competitors"] == "Восток-Трейд"  # a fact on the company itself
    assert fills[0]["user"] == "tester"
    assert [event["action"] for event in dossier.json("audit", "--company", "Amur")].count("fill") == 1


def test_a_bad_answer_refuses_the_file_and_saves_nothing(dossier, tmp_path):
    _seed(dossier)
    (tmp_path / "answers.csv").write_text(
        "company,item,value\nРомашка,competitors,Восток-Трейд\nРомашка,nonsense_item,42\n", encoding="utf-8"
    )
    result = dossier("import", "dossier", str(tmp_path / "answers.csv"), expect=2)
    assert "line 3" in result.stderr and "nonsense_item" in result.stderr
    assert _history(dossier, "Ромашка", "competitors") == []
    assert not dossier.json("show", "company", "Ромашка").get("competitors")
    assert not [event for event in dossier.json("audit") if event["action"] == "fill"]
