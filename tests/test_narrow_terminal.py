"""Tables read at an 80-column terminal with Russian data: names, dates and stages are never cut
in the middle of a word, and no column falls off the right edge."""

from __future__ import annotations

import pytest


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    """An 80-column terminal (piped, a table is never wrapped: see test_table_width)."""
    from dossier_cli.cli import output

    monkeypatch.setattr(output, "_is_terminal", lambda stream: True)
    monkeypatch.setenv("COLUMNS", "80")


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_list_companies_keeps_names_whole_at_80_columns(dossier, narrow) -> None:
    dossier("add", "company", "ООО «Ромашка»", "--city", "Хабаровск", "--industry", "food production",
            "--activity", "production", "--source", "chamber of commerce")
    dossier("add", "company", "Amur Logistics", "--city", "Khabarovsk")
    dossier("add", "company", "АО «Дальсталь»", "--city", "Комсомольск-на-Амуре", "--industry", "metallurgy")
    out = dossier("list", "companies").stdout
    assert all(len(line) <= 80 for line in out.splitlines())
    for whole in ("ООО «Ромашка»", "Amur Logistics", "АО «Дальсталь»", "Комсомольск-на-Амуре", "target"):
        assert whole in out, out
    # what did not fit is named under the table rather than dropped silently
    assert "not shown at this width: activity, status, source" in out
    wide = dossier("list", "companies", "--format", "csv").stdout
    assert "chamber of commerce" in wide


def test_history_dates_and_stages_are_not_folded(dossier, narrow) -> None:
    dossier("add", "company", "ООО «Ромашка»")
    dossier("promote", "ромашка")
    dossier("promote", "ромашка", "--to", "negotiating", "--force", "--note", "met at the Dalexpo fair in Хабаровск")
    out = dossier("history", "ромашка").stdout
    assert all(len(line) <= 80 for line in out.splitlines())
    today_rows = [line for line in out.splitlines() if "researching" in line]
    assert today_rows and all("-" in row for row in today_rows)
    import re

    assert len(re.findall(r"\d{4}-\d{2}-\d{2}", out)) == 3, out
    assert "negotiating" in out


def test_pipeline_fits_80_columns_in_both_languages(dossier, narrow, monkeypatch: pytest.MonkeyPatch) -> None:
    dossier("add", "company", "ООО «Ромашка»")
    for language, stages in (("en", ("researching", "negotiating", "lost", "here")), ("ru", ("изучение", "переговоры", "проиграно"))):
        monkeypatch.setenv("DOSSIER_LANG", language)
        out = dossier("pipeline").stdout
        assert all(len(line) <= 80 for line in out.splitlines()), out
        for word in stages:
            assert word in out, out
        assert "…" not in out, out


def test_config_show_values_read_left_to_right(dossier, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = dossier("config", "show").stdout
    currency = next(line for line in out.splitlines() if line.lstrip("|+ ").startswith("currency"))
    # the value sits right after the setting's column, not pushed to the far edge
    cells = [cell.strip() for cell in currency.split("|") if cell.strip()]
    assert cells[:2] == ["currency", "RUB"]
    value_cell = currency.split("|")[2]
    assert value_cell.startswith(" RUB"), currency


def test_a_companys_touches_keep_words_whole_in_russian_at_80_columns(dossier, narrow, monkeypatch) -> None:
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    dossier("add", "company", "ООО «Восток-Снабжение»", "--city", "Хабаровск")
    dossier("add", "person", "Воробьёва Елена", "--company", "восток")
    dossier("add", "touch", "восток", "--kind", "звонок", "--person", "Воробьёва", "--next", "01.12.2030",
            "--next-action", "перезвонить")
    dossier("add", "touch", "восток", "--kind", "email", "--note", "Отправил прайс-лист и образцы договора")
    out = dossier("touches", "восток").stdout
    assert all(len(line) <= 80 for line in out.splitlines()), out
    for word in ("перезвонить", "Воробьёва", "электронное", "01.12.2030"):
        assert word in out, out


def test_amounts_are_never_wrapped_and_the_forecast_writes_them_as_people_do(dossier, narrow, monkeypatch) -> None:
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    dossier("add", "company", "ООО «Восток-Снабжение»", "--city", "Хабаровск")
    dossier("add", "sale", "восток", "4870000", "--reference", "счёт 12")
    dossier("add", "company", "Ромашка ООО")
    dossier("edit", "company", "ромашка", "--deal-value", "250000", "--close-by", "2030-12")
    sales = dossier("list", "sales").stdout
    assert "4\u00a0870\u00a0000,00\u00a0₽" in sales, sales
    top = dossier("top10", "--compare").stdout
    assert "4\u00a0870\u00a0000,00\u00a0₽" in top, top
    assert "…" not in top, top
    forecast = dossier("forecast", "--quarter", "2030-Q4").stdout
    assert "250\u00a0000,00" in forecast and "25\u00a0000,00" in forecast, forecast
    assert "250000.00" not in forecast
    monkeypatch.setenv("DOSSIER_LANG", "en")
    forecast = dossier("forecast", "--quarter", "2030-Q4", "--by", "stage").stdout
    assert "250,000.00" in forecast and "25,000.00" in forecast, forecast
    assert all(len(line) <= 80 for line in forecast.splitlines()), forecast


def test_plan_show_keeps_words_and_amounts_whole_at_80_columns(dossier, narrow, monkeypatch) -> None:
    dossier("plan", "set", "2030-Q4", "--territory", "Хабаровский край", "--goal-prospects", "10",
            "--goal-touches", "50", "--goal-revenue", "1000000")
    for language, words in (("ru", ("потенциальные", "1\u00a0000\u00a0000,00\u00a0₽", "выполнено", "0%")),
                            ("en", ("prospects", "1,000,000.00 RUB", "planned", "0%"))):
        monkeypatch.setenv("DOSSIER_LANG", language)
        out = dossier("plan", "show", "2030-Q4").stdout
        assert all(len(line) <= 80 for line in out.splitlines()), out
        for word in words:
            assert word in out, out
        assert "…" not in out, out


def test_show_company_in_russian_names_every_field_in_russian(dossier, monkeypatch) -> None:
    dossier("add", "company", "ООО «Ромашка»", "--city", "Хабаровск")
    dossier("add", "person", "Иван Петров", "--company", "ромашка", "--role", "coach")
    dossier("edit", "company", "ромашка", "--deal-value", "200000", "--close-by", "2030-11", "--every", "30")
    dossier("rate", "ромашка", "8", "--note", "еженедельные звонки")
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    out = dossier("show", "company", "ромашка").stdout
    for english in ("deal value", "close by", "every days", "rating trend", "rating note", "person id"):
        assert english not in out, out
    assert "сумма сделки" in out and "200\u00a0000,00\u00a0₽" in out, out


def test_the_tax_register_in_russian_at_80_columns(dossier, narrow, monkeypatch) -> None:
    from pathlib import Path

    sample = Path(__file__).resolve().parent.parent / "examples" / "register-sample-cp1251.xml"
    dossier("register", "load", str(sample))
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    status = dossier("register", "status").stdout
    for english in ("as of", "loaded at", "firms", "sole traders", "activity codes", "size"):
        assert f"| {english} " not in status, status
    card = dossier("register", "show", "270301000798").stdout
    for english in ("full name", "region name", "okved name", "newly created", "register date"):
        assert english not in card, card
    prospects = dossier("prospects", "--region", "27").stdout
    assert all(len(line) <= 80 for line in prospects.splitlines()), prospects
    for whole in ("270301000798", "Комсомольск-на-Амуре", "46.72", "Енович"):
        assert whole in prospects, prospects


def test_the_shells_greeting_fits_one_80_column_line_in_both_languages() -> None:
    from dossier_cli import i18n

    english = "dossier shell: a command per line; Tab completes, .help helps, Ctrl-D leaves."
    try:
        for language in ("en", "ru"):
            i18n.set_language(language)
            greeting = i18n._(english)
            assert len(greeting) < 80, greeting
            assert (greeting == english) == (language == "en")
    finally:
        i18n.reset()


def test_a_plan_with_a_revenue_goal_only_reads_at_80_columns(dossier, narrow) -> None:
    dossier("plan", "set", "2030-Q4", "--goal-revenue", "10000000")
    out = dossier("plan", "show", "2030-Q4").stdout
    assert all(len(line) <= 80 for line in out.splitlines()), out
    assert "++" not in out  # no empty box for a plan without territories or markets
    assert "10,000,000.00 RUB" in out and "needed" in out and "outside" in out, out
    assert "outsid\n" not in out and "| ou |" not in out  # headers wrap between words, not letter by letter


def test_phones_are_never_wrapped_and_show_person_names_the_company_id_in_russian(dossier, narrow, monkeypatch) -> None:
    dossier("add", "company", "ООО «Ромашка»")
    dossier("add", "person", "Иван Петров", "--company", "ромашка", "--role", "economic-buyer",
            "--phone", "+7 4212 55-01-02")
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    assert "+7 421 255-01-02" in dossier("list", "people").stdout
    shown = dossier("show", "person", "Петров").stdout
    assert "company" not in shown and "id" not in shown, shown
