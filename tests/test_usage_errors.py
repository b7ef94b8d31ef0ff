"""A mistyped command line is one `Error: …` line on stderr naming the command, exit code 2,
never the usage block with Typer's framed panel (in both languages, and inside `dossier batch`)."""

from __future__ import annotations

import pytest

MISTYPED = [
    (("add", "sale"), "Missing argument 'company'", "dossier add sale --help"),
    (("lsit",), "No such command 'lsit'", "dossier --help"),
    (("list", "companies", "--limit", "-1"), "'--limit'", "dossier list companies --help"),
    (("list", "companies", "--format", "xml"), "'xml'", "dossier list companies --help"),
    (("agenda", "--days", "abc"), "'--days'", "dossier agenda --help"),
    (("add", "touch", "Ромашка", "--kind"), "Option '--kind' requires an argument", ""),
    (("list", "companies", "--no-such-option"), "--no-such-option", "dossier list companies --help"),
]


@pytest.mark.parametrize(("args", "what", "where"), MISTYPED)
def test_a_mistyped_command_line_is_one_error_line(dossier, args, what, where) -> None:
    result = dossier(*args, expect=2)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and what in lines[0] and where in lines[0], lines[0]
    assert "╭" not in result.stderr and "Usage:" not in result.stderr
    assert result.stdout == ""


def test_in_russian_the_line_starts_as_every_other_error(dossier, monkeypatch) -> None:
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    result = dossier("add", "sale", expect=2)
    assert result.stderr.startswith("Ошибка: ") and result.stderr.count("\n") == 1, result.stderr
    assert "(см. dossier add sale --help)" in result.stderr


def test_help_and_a_bare_group_still_show_the_help(dossier) -> None:
    assert "Usage" in dossier("list", "companies", "--help").stdout
    bare = dossier("add", expect=2)
    assert "Usage" in bare.stdout and "╭─ Error" not in bare.stdout + bare.stderr


def test_inside_batch_a_mistyped_line_is_one_line_and_stops_the_batch(dossier) -> None:
    result = dossier("batch", "-", input="add company Первая\nadd sale\nadd company Вторая\n", expect=2)
    assert result.stderr.splitlines()[1] == "Error: Missing argument 'company'. (see dossier add sale --help)"
    assert "╭" not in result.stderr
    assert [c["name"] for c in dossier.json("list", "companies")] == ["Первая"]


@pytest.mark.parametrize(("key", "code"), [("\x03", 130), ("\x04", 1)])
def test_ctrl_c_at_a_question_exits_130_and_changes_nothing(dossier, key, code) -> None:
    import os
    import sys

    pexpect = pytest.importorskip("pexpect")
    dossier("add", "company", "Удалить")
    child = pexpect.spawn(sys.executable, ["-m", "dossier_cli", "rm", "company", "Удалить"],
                          env=dict(os.environ, TERM="xterm"), encoding="utf-8", timeout=60, dimensions=(24, 80))
    child.expect(r"\[y/N\]")
    child.send(key)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == code, child.before
    assert "Aborted." in child.before and "Traceback" not in child.before
    assert [c["name"] for c in dossier.json("list", "companies")] == ["Удалить"]


def test_a_database_file_that_cannot_be_opened_is_named(dossier, tmp_path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database's folder should be", encoding="utf-8")
    path = blocker / "crm.db"
    result = dossier("--db", str(path), "list", "companies", expect=1)
    assert result.stderr == f"Error: cannot use the database {path}: unable to open database file\n"


@pytest.mark.parametrize("command", ["agenda", "stale"])
def test_a_window_of_days_past_the_calendars_end_is_a_bad_value(dossier, command) -> None:
    result = dossier(command, "--days", "999999999", expect=2)
    assert result.stderr.startswith("Error: Invalid value for '--days'") and "36500" in result.stderr, result.stderr
    assert "unexpected" not in result.stderr
    dossier(command, "--days", "36500")


@pytest.mark.parametrize("args", [("forecast", "--quarter", "9999-Q4"), ("plan", "set", "9999-Q4", "--goal-touches", "5"),
                                  ("plan", "show", "9999-Q4"), ("report", "--period", "9999", "--output", "r.html"),
                                  ("top10", "--period", "0001")])
def test_a_period_past_the_calendars_end_is_a_bad_value(dossier, args, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = dossier(*args, expect=2)
    assert result.stderr.startswith("Error: bad "), result.stderr
    assert "unexpected" not in result.stderr
