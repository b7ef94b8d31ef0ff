"""README.ru.md's tour runs with `language: ru` and says nothing in English but what the user typed.

Headers, titles, stages, kinds, roles, outcomes, messages and reminders are all Russian;
command names, option names, the currency code and the ABC groups are the allowed Latin.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.readme_tour import sh_blocks

ROOT = Path(__file__).resolve().parents[1]
README_RU = ROOT / "README.ru.md"
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


def test_the_russian_tour_runs_and_speaks_russian(dossier, tmp_path, monkeypatch):
    from dossier_cli.cli.app import COMMANDS

    config = tmp_path / "config.yaml"
    config.write_text("language: ru\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    commands = [command for block in sh_blocks(README_RU.read_text(encoding="utf-8")) for command in block]
    assert len(commands) >= 15
    allowed = {*COMMANDS, "dossier", "tester", "RUB", "ABC", "A", "B", "C"}
    english = []
    for command in commands:
        words = command.words()
        assert words is not None, f"README.ru.md:{command.line}: the tour runs plain dossier commands"
        result = dossier(*words, expect=command.exits)
        typed = set(_LATIN_WORD.findall(command.text))
        shown = re.sub(r"--[a-z][a-z-]*", " ", result.stdout + result.stderr)  # option names stay English
        shown = re.sub(r"\bdossier(\s+[a-z][a-z0-9-]*)+", " ", shown)  # so do commands shown as hints
        shown = re.sub(r"\b\d{4}-Q[1-4]\b", " ", shown)  # quarters are written 2026-Q4 in both languages
        left = sorted({word for word in _LATIN_WORD.findall(shown) if word not in allowed and word not in typed})
        if left:
            english.append(f"README.ru.md:{command.line}: {command.text}\n  English: {left}")
    assert not english, "\n".join(english)
