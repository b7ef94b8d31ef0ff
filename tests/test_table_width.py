"""Tables at 80 columns, and unwrapped when piped (issue 18, item 10)."""

from __future__ import annotations

import pytest


@pytest.fixture
def at_80_columns(monkeypatch):
    """A terminal 80 columns wide."""
    from dossier_cli.cli import output

    monkeypatch.setattr(output, "_is_terminal", lambda stream: True)
    monkeypatch.setenv("COLUMNS", "80")


@pytest.fixture
def filled(dossier, no_dossier_gate):
    dossier("add", "company", "Общество с ограниченной ответственностью «Хабаровская металлобаза»",
            "--city", "Хабаровск", "--industry", "металлопрокат и трубы", "--activity", "trade",
            "--source", "chamber of commerce", "--listed-on", "2026-01-10")
    dossier("add", "touch", "металлобаза", "--kind", "call", "--date", "2026-11-02", "--next", "2026-11-10",
            "--next-action", "отправить коммерческое предложение по трубам большого диаметра")
    return dossier


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_list_companies_at_80_columns_keeps_words_and_dates_whole(filled, at_80_columns):
    out = filled("list", "companies").stdout
    assert max(len(line) for line in _lines(out)) <= 80
    assert "Хабаровск" in out
    assert "2026-01-10" in out or "not shown at this width" in out


def test_agenda_at_80_columns_keeps_dates_whole(filled, at_80_columns):
    out = filled("agenda", "--days", "30").stdout
    assert max(len(line) for line in _lines(out)) <= 80
    assert "2026-11-10" in out and "2026-11-02" in out


def test_pipeline_at_80_columns_drops_no_column_silently(filled, at_80_columns):
    out = filled("pipeline").stdout
    assert max(len(line) for line in _lines(out)) <= 80
    for header in ("companies", "share", "median", "next", "contact", "lost"):
        assert header in out or "not shown at this width" in out, header


def test_a_piped_table_is_never_wrapped(filled, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    out = filled("list", "companies").stdout
    assert "Общество с ограниченной ответственностью «Хабаровская металлобаза»" in out
    assert len(_lines(out)) == 5  # top, header, rule, one row, bottom
    agenda = filled("agenda", "--days", "30").stdout
    assert "отправить коммерческое предложение по трубам большого диаметра" in agenda


def test_previous_businesses_show_one_duration(dossier, no_dossier_gate):
    dossier("add", "company", "Старая Лавка", "--listed-on", "2025-01-10")
    dossier("add", "person", "Пётр Иванов", "--company", "лавка", "--role", "owner")
    dossier("promote", "лавка", "--to", "client", "--date", "2025-02-01")
    dossier("liquidate", "лавка", "--date", "2026-03-01")
    dossier("add", "company", "Новая Лавка", "--owner", "Пётр Иванов")
    out = dossier("show", "company", "Новая Лавка").stdout
    assert "client for" in out and "client days" not in out
