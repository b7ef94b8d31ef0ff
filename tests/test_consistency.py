"""Every error is one `Error:` line; impossible settings and invisible name tricks are refused (issue 18, item 13)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("args", "names"), [
    (("plan", "set", "2026-Q4", "--goal-prospects", "-5"), "--goal-prospects"),
    (("list", "companies", "--limit", "-1"), "--limit"),
    (("list", "companies", "--format", "xml"), "--format"),
    (("list", "companies", "--no-such-option"), "--no-such-option"),
    (("no-such-command",), "no-such-command"),
])
def test_usage_errors_are_one_error_line_with_exit_2(dossier, args, names):
    result = dossier(*args, expect=2)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and names in lines[0], result.stderr
    for frame in ("╭", "│", "╰", "Usage:"):
        assert frame not in result.stderr


def test_a_verb_alone_still_shows_its_help(dossier):
    result = dossier("list", expect=2)
    assert "companies" in result.stderr + result.stdout


@pytest.mark.parametrize(("config", "message"), [
    ("abc:\n  a_percent: 120\n", "key 'abc.a_percent': 120 is not a share of revenue"),
    ("abc:\n  a_percent: 90\n  b_percent: 15\n", "key 'abc': a_percent + b_percent is more than 100%"),
    ("dossier:\n  threshold: 170\n", "key 'dossier.threshold'"),
])
def test_impossible_settings_are_refused(dossier, tmp_path, monkeypatch, config, message):
    path = tmp_path / "config.yaml"
    path.write_text(config, encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(path))
    result = dossier("abc", expect=2)
    assert result.stderr.startswith(f"Error: config file {path}")
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_names_cannot_hide_a_right_to_left_override_or_zero_width_characters(dossier):
    added = dossier.json("add", "company", "ООО \u202eакшамоР\u202c Ро\u200bга")
    assert added["name"] == "ООО акшамоР Рога"
    person = dossier.json("add", "person", "Иван\u200b \u2066Петров\u2069\ufeff")
    assert person["name"] == "Иван Петров"
    dossier("edit", "company", str(added["id"]), "--name", "\u202eРомашка")
    assert dossier.json("show", "company", str(added["id"]))["name"] == "Ромашка"
