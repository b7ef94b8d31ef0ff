"""Interactive `fill`: a bad answer is asked again, and Ctrl-C / Ctrl-D keep what was typed (issue 18, item 2)."""

from __future__ import annotations

import pytest


@pytest.fixture
def at_a_terminal(dossier, monkeypatch):
    from dossier_cli.cli import base

    monkeypatch.setattr(base, "is_interactive", lambda: True)
    dossier("add", "company", "Зейская Сталь")
    dossier("add", "person", "Иван Петров", "--company", "Зейская Сталь")
    return dossier


def _missing_keys(dossier) -> list[str]:
    status = dossier.json("checklist", "Зейская", "--missing")
    return [item["key"] for part in status["parts"] if not part["per_person"] for item in part["items"]]


def _lines(dossier, given: dict[str, list[str]]) -> list[str]:
    """One line per company-level question, up to the last one given an answer."""
    keys = _missing_keys(dossier)
    last = max(keys.index(key) for key in given)
    lines: list[str] = []
    for key in keys[: last + 1]:
        lines.extend(given.get(key, [""]))
    return lines


def _answers(dossier) -> dict[str, object]:
    status = dossier.json("checklist", "Зейская")
    return {item["key"]: item["value"] for part in status["parts"] if not part["per_person"]
            for item in part["items"] if item["value"] not in (None, "", [])}


def test_a_name_matching_no_one_is_asked_again_and_nothing_is_lost(at_a_terminal):
    dossier = at_a_terminal
    lines = _lines(dossier, {"competitors": ["Восток-Трейд"], "decision_maker": ["Никто Никтович", "Иван Петров"]})
    result = dossier("fill", "Зейская", input="\n".join(lines) + "\n")
    assert "try again, or an empty line to skip" in result.stderr
    answers = _answers(dossier)
    assert answers["competitors"] == "Восток-Трейд"
    assert "Иван Петров" in str(answers["decision_maker"])


def test_end_of_input_saves_the_answers_so_far_and_says_so(at_a_terminal):
    dossier = at_a_terminal
    lines = _lines(dossier, {"competitors": ["Восток-Трейд"]})
    result = dossier("fill", "Зейская", input="\n".join(lines) + "\n")  # then end of input, mid-way
    assert "End of input: saving the 1 answer(s) given so far." in result.stderr
    assert "Saved 1 answer to the dossier of Зейская Сталь" in result.stderr
    assert _answers(dossier)["competitors"] == "Восток-Трейд"


def _typed_then_ctrl_c(monkeypatch, lines: list[str]) -> None:
    """The terminal: the lines typed, then Ctrl-C."""
    from dossier_cli.cli import dossier as dossier_cmd

    typed = iter(lines)

    def read_line() -> str:
        try:
            return next(typed) + "\n"
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr(dossier_cmd, "read_answer_line", read_line)


def test_ctrl_c_saves_the_answers_so_far_says_so_and_exits_130(at_a_terminal, monkeypatch):
    dossier = at_a_terminal
    _typed_then_ctrl_c(monkeypatch, _lines(dossier, {"competitors": ["Восток-Трейд"]}))
    result = dossier("fill", "Зейская", expect=130)
    assert "Interrupted: saving the 1 answer(s) given so far." in result.stderr
    assert _answers(dossier)["competitors"] == "Восток-Трейд"


def test_ctrl_c_before_any_answer_says_nothing_changed(at_a_terminal, monkeypatch):
    dossier = at_a_terminal
    _typed_then_ctrl_c(monkeypatch, [])
    result = dossier("fill", "Зейская", expect=130)
    assert "Interrupted: no answers were given; the dossier of Зейская Сталь is as it was." in result.stderr


def test_in_russian_the_intro_and_the_percentages_read_as_russian(at_a_terminal, monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    dossier = at_a_terminal
    lines = _lines(dossier, {"competitors": ["Восток-Трейд"]})
    result = dossier("fill", "Зейская", input="\n".join(lines) + "\n")
    assert "Отвечайте на каждый пункт" in result.stderr
    assert "Answer each item" not in result.stderr
    saved = next(line for line in result.stderr.splitlines() if line.startswith("Сохранено"))
    assert "заполнено" in saved and " % -> " in saved and "," in saved.split("заполнено")[1], saved
    assert not any(ch.isdigit() and nxt == "." and after.isdigit()
                   for ch, nxt, after in zip(saved, saved[1:], saved[2:])), saved  # 12,9 %, not 12.9%
