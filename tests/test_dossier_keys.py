"""The dossier's keys are shown, and an unknown key points to the right one (issue 18, item 11)."""

from __future__ import annotations

import pytest


def test_checklist_keys_shows_each_items_key(dossier):
    dossier("add", "company", "Ромашка")
    plain = dossier("checklist", "Ромашка").stdout
    shown = dossier("checklist", "Ромашка", "--keys").stdout
    for key in ("competitors", "decision_maker", "payment_reputation"):
        assert key not in plain
        assert key in shown


@pytest.fixture
def russian(tmp_path, monkeypatch):
    config = tmp_path / "ru.yaml"
    config.write_text("language: ru\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))


def test_a_label_in_the_dossiers_language_names_its_key(dossier, russian):
    dossier("add", "company", "Ромашка")
    result = dossier("fill", "Ромашка", "--set", "конкуренты=Восток", expect=2)
    assert "unknown dossier item 'конкуренты'" in result.stderr
    assert "его ключ — «competitors»" in result.stderr  # said in the dossier's language


def test_a_misspelt_key_lists_the_closest_keys(dossier):
    dossier("add", "company", "Ромашка")
    result = dossier("fill", "Ромашка", "--set", "competitor=Восток", expect=2)
    assert "unknown dossier item 'competitor'; closest: 'competitors' (" in result.stderr
    result = dossier("fill", "Ромашка", "--set", "zzzz=1", expect=2)
    assert "see every key with `dossier checklist COMPANY --keys`" in result.stderr
