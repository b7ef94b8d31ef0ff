"""`export all` → `import all` into an empty database keeps everything, history included (issue 17, build 6)."""

from __future__ import annotations

import json


def test_export_all_then_import_all_keeps_dossier_history_and_the_audit_trail(dossier, tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_USER", "olga")
    dossier("add", "company", "ООО «Ромашка»", "--city", "Хабаровск", "--phone", "+7 4212 55-01-02", "--tag", "vip", "--listed-on", "2025-10-01")
    dossier("fill", "ромашка", "--set", "reputation=pays late")
    monkeypatch.setenv("DOSSIER_USER", "ivan")
    dossier("fill", "ромашка", "--set", "reputation=pays on time now")
    dossier("add", "sale", "ромашка", "1000", "--date", "2025-11-01")
    backup = tmp_path / "backup.json"
    dossier("export", "all", "--output", str(backup))
    sections = json.loads(backup.read_text(encoding="utf-8"))
    assert len(sections["audit_events"]) >= 4 and len(sections["dossier_answers"]) == 2

    restored = tmp_path / "restored.db"
    result = dossier("--db", str(restored), "import", "all", str(backup))
    assert "Imported all" in result.stderr

    def history(*db):
        answers = dossier.json(*db, "checklist", "ромашка", "--history", "--format", "json")["history"]
        return [(a.get("user"), a.get("value"), a.get("answered_at") or a.get("at")) for a in answers]

    before, after = history(), history("--db", str(restored))
    assert after == before
    assert [(user, value) for user, value, _at in after if value and value.startswith("pays")] == [
        ("olga", "pays late"), ("ivan", "pays on time now")]

    def trail(*db):
        return [(e["id"], e["at"], e["user"], e["action"], e["entity"]) for e in dossier.json(*db, "audit", "--format", "json")]

    old, new = trail(), trail("--db", str(restored))
    assert new[1:] == old  # newest first: the restore's own entry, then the trail as it was
    assert (new[0][2], new[0][3], new[0][4]) == ("ivan", "import", "all")
    assert dossier.json("--db", str(restored), "show", "company", "ромашка")["phones"] == ["+7 421 255-01-02"]
