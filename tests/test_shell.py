"""`dossier shell` at a terminal (driven through a pseudo-terminal) and `dossier batch` for scripts."""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from pathlib import Path

import pytest

PROMPT = r"dossier:\S+> ?"


@pytest.fixture
def terminal(isolated_home):
    """Starts `dossier shell` on a pseudo-terminal; yields a function that spawns it."""
    pexpect = pytest.importorskip("pexpect")
    children = []

    def spawn(*args: str):
        env = dict(os.environ, TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1")
        child = pexpect.spawn(sys.executable, ["-m", "dossier_cli", *args, "shell"], env=env, encoding="utf-8",
                              timeout=120, dimensions=(40, 160))
        children.append(child)
        child.expect(PROMPT)
        return child

    yield spawn
    for child in children:
        child.close(force=True)


@pytest.mark.slow
def test_a_session_at_a_terminal(dossier, terminal, isolated_home):
    import pexpect

    dossier("add", "company", "ООО «Зейская Сталь»", "--city", "Благовещенск")
    dossier("add", "company", "Amur Logistics")
    child = terminal()

    # Tab completes a Cyrillic company name from a part of it, quoted as it must be typed.
    child.send("show company зейск\t")
    child.expect("Сталь»")
    child.send("\r")
    child.expect("Благовещенск")
    child.expect(PROMPT)

    # A command, completed from its beginning.
    child.send("pipel\t")
    child.expect("ine")  # drawn as "pipeline", or as "ine" after the "pipel" already drawn
    child.send("\r")
    child.expect("target")
    child.expect(PROMPT)

    # An error is printed as the one-shot command prints it, and the session goes on.
    child.sendline("show company Нетакой")
    child.expect("Error: no company matches 'Нетакой'")
    child.expect(PROMPT)

    # What another process changed in between is seen.
    dossier("add", "company", "ИП Шевченко Анна")
    child.sendline("list companies --format csv")
    child.expect("ИП Шевченко Анна")
    child.expect(PROMPT)

    # Ctrl-C drops the line being typed; the session goes on.
    child.send("rm company Amur --yes")
    child.send("\x03")
    child.expect(PROMPT)
    child.sendline(".db")
    child.expect("database: ")
    child.expect(PROMPT)

    # The settings were read when the session started; `.db` reads them again.
    config = isolated_home / ".config/dossier/config.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("currency: EUR\n", encoding="utf-8")
    child.sendline("config show --format csv")
    child.expect(r"currency,(\w+),")
    assert child.match.group(1) == "RUB"
    child.expect(PROMPT)
    database = os.environ.get("DOSSIER_DB") or str(isolated_home / ".local/share/dossier/dossier.db")
    child.sendline(f".db {database}")
    child.expect("schema")  # `db status` of the database now in use
    child.expect(PROMPT)
    child.sendline("config show --format csv")
    child.expect(r"currency,(\w+),")
    assert child.match.group(1) == "EUR"
    child.expect(PROMPT)

    # Ctrl-D leaves, with exit code 0.
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    names = [c["name"] for c in dossier.json("list", "companies")]
    assert "Amur Logistics" in names  # the cancelled line did not run

    history = isolated_home / ".local/share/dossier/shell_history"
    assert stat.S_IMODE(history.stat().st_mode) == 0o600
    text = history.read_text(encoding="utf-8")
    assert 'show company "ООО «Зейская Сталь»"' in text
    assert "rm company" not in text


def _script(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "script.txt"
    path.write_text(text, encoding="utf-8")
    return path


MIXED = """\
# companies for the week
add company "ООО «Ромашка»" --city Хабаровск
dossier add company "Amur Logistics" \\
    --city Khabarovsk        # `dossier` in front is allowed, and so is a continued line
add touch ромашка --kind call --note 'said "call back" on Monday'
show company Нетакой          # exits 3
add company "ООО «Ромашка»"   # a duplicate: exits 4
add company "Лесная Сказка"
"""


def _names(dossier) -> list[str]:
    return sorted(c["name"] for c in dossier.json("list", "companies"))


def test_batch_stops_at_the_first_failing_line_and_names_it(dossier, tmp_path):
    script = _script(tmp_path, MIXED)
    result = dossier("batch", str(script), expect=3)
    assert result.stderr.splitlines() == [
        "Added company #1 ООО «Ромашка» at stage 'target'.",
        "Added company #2 Amur Logistics at stage 'target'.",
        result.stderr.splitlines()[2],  # the touch's own message
        "Error: no company matches 'Нетакой' (see `dossier list companies`)",
        f"Stopped at {script}, line 6: exit code 3",
    ]
    assert _names(dossier) == ["Amur Logistics", "ООО «Ромашка»"]  # nothing after line 6 ran
    touches = dossier.json("list", "touches")
    assert [t["note"] for t in touches] == ['said "call back" on Monday']
    assert dossier.json("show", "company", "Amur")["city"] == "Khabarovsk"


def test_batch_keep_going_runs_every_line_and_exits_with_the_first_failure(dossier, tmp_path):
    script = _script(tmp_path, MIXED)
    result = dossier("batch", str(script), "--keep-going", expect=3)
    lines = result.stderr.splitlines()
    assert f"{script}, line 6: exit code 3; going on" in lines
    assert f"{script}, line 7: exit code 4; going on" in lines
    assert lines[-1] == f"Lines of {script} that failed: 2; the first one's exit code: 3"
    assert _names(dossier) == ["Amur Logistics", "Лесная Сказка", "ООО «Ромашка»"]


def test_shell_reads_a_script_from_a_pipe_and_prints_what_the_commands_print(dossier):
    dossier("add", "company", "ООО «Ромашка»", "--city", "Хабаровск")
    one_shot = dossier("list", "companies", "--format", "json").stdout
    script = "list companies --format json\nshow company ромашка --format json\n"
    result = dossier("shell", input=script)
    shown = dossier("show", "company", "ромашка", "--format", "json").stdout
    assert result.stdout == one_shot + shown
    # A failing line in a piped script: the shell stops there, with its exit code.
    script = "show company ромашка --format json\nrm company Нетакой --yes\nlist companies --format json\n"
    failed = dossier("shell", input=script, expect=3)
    assert failed.stderr.splitlines()[-1] == "Stopped at stdin, line 2: exit code 3"
    assert failed.stdout == shown  # `show` ran; `list` did not


def test_batch_from_stdin_with_the_database_given_to_it(dossier, tmp_path):
    other = str(tmp_path / "other.db")
    dossier("--db", other, "batch", "-", input="add company Первая\nadd company Вторая\n")
    assert sorted(c["name"] for c in dossier.json("--db", other, "list", "companies")) == ["Вторая", "Первая"]
    assert dossier.json("list", "companies") == []  # the default database was not touched


def test_batch_lines_that_cannot_run(dossier, tmp_path):
    result = dossier("batch", "-", input='add company "Без кавычки\n', expect=2)
    assert result.stderr.splitlines()[0] == "Error: cannot read the line: no closing quotation"
    assert result.stderr.splitlines()[1] == "Stopped at stdin, line 1: exit code 2"
    nested = dossier("batch", "-", input="shell\n", expect=2)
    assert nested.stderr.splitlines()[0] == "Error: `shell` cannot run inside a session"
    unknown = dossier("batch", "-", input="frobnicate\n", expect=2)
    assert "No such command 'frobnicate'" in unknown.stderr
    missing = dossier("batch", str(tmp_path / "nope.txt"), expect=2)
    assert missing.stderr == f"Error: no such file: {tmp_path / 'nope.txt'}\n"
    (tmp_path / "latin1.txt").write_bytes("add company Ромашка\n".encode("cp1251"))
    dossier("batch", str(tmp_path / "latin1.txt"), expect=2)
    assert dossier.json("list", "companies") == []


def test_meta_commands_in_a_script(dossier, tmp_path):
    other = tmp_path / "second.db"
    script = f"add company Первая\n.db\n.db {other}\nadd company Вторая\n.quit\nadd company Третья\n"
    result = dossier("batch", "-", input=script)
    assert "database: " in result.stdout
    assert [c["name"] for c in dossier.json("list", "companies")] == ["Первая"]
    assert [c["name"] for c in dossier.json("--db", str(other), "list", "companies")] == ["Вторая"]
    helped = dossier("batch", "-", input=".help\nhelp add touch\n")
    assert ".quit" in helped.stdout and "--next-action" in helped.stdout
    wrong = dossier("batch", "-", input=".frobnicate\n", expect=2)
    assert wrong.stderr.startswith("Error: unknown meta-command '.frobnicate'")
    json.loads(dossier("list", "companies", "--format", "json").stdout)  # the next one-shot run is unaffected


def test_completion_of_commands_options_choices_and_names(dossier):
    from prompt_toolkit.document import Document

    from dossier_cli.cli.completer import DossierCompleter
    from dossier_cli.cli.shell import _names

    dossier("add", "company", "ООО «Ромашка»", "--city", "Хабаровск")
    dossier("add", "company", "Ромашка-Юг")
    dossier("add", "person", "Иван Петров", "--company", "ООО «Ромашка»")
    completer = DossierCompleter(_names)

    def complete(text: str) -> list[str]:
        return [c.text for c in completer.get_completions(Document(text), None)]

    assert {"link", "list", "liquidate"} <= set(complete("li"))
    assert "shell" not in complete("sh")  # a session is not started from a session
    assert complete("add to") == ["touch"]
    assert complete("add touch ромашка --per") == ["--person"]
    assert complete("add touch ромашка --person пет") == ['"Иван Петров"']
    assert complete("list companies --format j") == ["json"]
    assert complete("show company ромаш") == ['"ООО «Ромашка»"', "Ромашка-Юг"]
    assert complete('show company "ООО «Ром') == ['"ООО «Ромашка»"']  # an open quote is part of the word
    assert complete("show company Нетакой") == []
    assert complete(".q") == [".quit"]


def test_timer_reports_each_command_in_a_script(dossier):
    result = dossier("batch", "-", input=".timer on\nadd company Первая\n.timer off\nadd company Вторая\n")
    lines = result.stderr.splitlines()
    assert lines[0] == "Timing is on."
    assert lines[1] == "Added company #1 Первая at stage 'target'."
    assert re.fullmatch(r"Time: \d+\.\d ms", lines[2])
    assert lines[3:] == ["Timing is off.", "Added company #2 Вторая at stage 'target'."]
    wrong = dossier("batch", "-", input=".timer sometimes\n", expect=2)
    assert wrong.stderr.splitlines()[0] == "Error: .timer takes on or off"
