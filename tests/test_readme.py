"""The README is a test: its ```sh blocks run top to bottom in a fresh home, and it names every command.

See tests/readme_tour.py for the conventions. A plain `dossier …` line runs in-process
(the same application, far quicker than starting Python for each); a line that needs a
shell (a pipe, a redirection, `&&`, a here-document, a variable) runs in `sh` with the
installed `dossier` on PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.readme_tour import sh_blocks

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def run_tour(dossier, commands, *, workdir: Path) -> list[str]:
    """Run the commands in order; a line for each one that did not exit as its comment says."""
    from dossier_cli.store import dispose_engines

    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    failures = []
    for command in commands:
        words = command.words()
        if words is not None:
            result = dossier(*words, expect=None)
            code, stdout, stderr = result.exit_code, result.stdout, result.stderr
        else:
            dispose_engines()  # the shell's processes may replace the database file (restore)
            done = subprocess.run(["sh", "-c", command.text], env=env, cwd=workdir, stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, timeout=600)
            code, stdout, stderr = done.returncode, done.stdout, done.stderr
        if code != command.exits:
            failures.append(f"README.md:{command.line}: exited {code}, expected {command.exits}: {command.text}\n"
                            f"  stderr: {stderr.strip()[-600:]}\n  stdout: {stdout.strip()[-300:]}")
    return failures


@pytest.fixture
def fresh_home(isolated_home, tmp_path, monkeypatch):
    """A fresh home and an empty working folder holding a copy of examples/, as after a clone."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(ROOT / "examples", work / "examples")
    monkeypatch.chdir(work)
    monkeypatch.delenv("DOSSIER_DB", raising=False)  # the tour uses a fresh home's own database
    monkeypatch.setenv("EDITOR", "true")  # `--edit` opens the editor, which saves nothing new
    monkeypatch.setenv("VISUAL", "true")
    return work


@pytest.mark.slow
def test_the_readme_runs_top_to_bottom_in_a_fresh_home(dossier, fresh_home):
    commands = [command for block in sh_blocks(README.read_text(encoding="utf-8")) for command in block]
    assert len(commands) > 50
    failures = run_tour(dossier, commands, workdir=fresh_home)
    assert not failures, f"{len(failures)} of {len(commands)} README commands failed:\n" + "\n".join(failures)


def test_the_readme_shows_every_command_at_work():
    from dossier_cli.cli.app import COMMANDS

    shown = set()
    for block in sh_blocks(README.read_text(encoding="utf-8")):
        for command in block:
            code = command.text.split(" #", 1)[0]  # a command, not a comment's mention of one
            shown.update(re.findall(r"(?:^|[\s|;&(])dossier\s+(?:--\S+\s+)*([a-z0-9-]+)", code))
    missing = sorted(set(COMMANDS) - shown)
    assert not missing, f"commands with no example in a ```sh block of the README: {missing}"


def test_the_extraction_follows_the_conventions():
    text = "\n".join([
        "Intro.", "```sh", "dossier add company X   # a comment", "# a comment line",
        'dossier show company "Y Z" \\', "    --format json   # exits 3: not found",
        "cat a.csv | dossier import companies -", "dossier batch - <<'END'", "add company Q", "END", "```",
        "```bash", "pip install dossier-cli", "```", "```sh", "dossier list companies", "```",
    ])
    blocks = sh_blocks(text)
    assert [[(c.line, c.exits) for c in block] for block in blocks] == [[(3, 0), (5, 3), (7, 0), (8, 0)], [(16, 0)]]
    first = blocks[0]
    assert first[0].words() == ["add", "company", "X"]
    assert first[1].words() == ["show", "company", "Y Z", "--format", "json"]
    assert first[2].words() is None  # a pipe: run by sh
    assert first[3].words() is None and first[3].text.endswith("add company Q\nEND")
