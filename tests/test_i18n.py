"""The display language: where it comes from, and that the Russian catalog is complete."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "dossier_cli"
CATALOG = PACKAGE / "locale" / "ru" / "LC_MESSAGES" / "dossier.po"


def language_row(dossier) -> dict:
    rows = dossier.json("config", "show")["settings"]
    return next(row for row in rows if row["setting"] == "language")


def write_config(tmp_path, monkeypatch, text: str) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    return config


def test_english_by_default(dossier):
    row = language_row(dossier)
    assert (row["value"], row["from"]) == ("en", "default")


def test_a_russian_locale_chooses_russian(dossier, monkeypatch):
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    row = language_row(dossier)
    assert (row["value"], row["from"]) == ("ru", "locale LANG=ru_RU.UTF-8")
    monkeypatch.setenv("LC_MESSAGES", "en_US.UTF-8")  # LC_MESSAGES outranks LANG, as in C
    assert language_row(dossier)["value"] == "en"


def test_the_config_file_outranks_the_locale_and_the_environment_outranks_both(dossier, tmp_path, monkeypatch):
    config = write_config(tmp_path, monkeypatch, "language: en\n")
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    row = language_row(dossier)
    assert (row["value"], row["from"]) == ("en", f"config file {config}")
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    row = language_row(dossier)
    assert (row["value"], row["from"]) == ("ru", "environment DOSSIER_LANG")


def test_an_unknown_language_in_the_environment_is_one_error_line(dossier, monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "de")
    result = dossier("config", "show", expect=2)
    assert result.stderr == "Error: environment DOSSIER_LANG: 'de' is not a language; expected 'en' or 'ru'\n"


def test_messages_and_errors_in_russian(dossier, tmp_path, monkeypatch):
    write_config(tmp_path, monkeypatch, "language: ru\n")
    dossier("add", "company", "Ромашка")
    result = dossier("add", "touch", "ромашка", "--kind", "звонок", "--outcome", "может быть", expect=2)
    assert result.stderr.startswith("Ошибка: неизвестный результат 'может быть'")
    assert "нет ответа" in result.stderr


def test_the_prompt_speaks_russian(dossier, tmp_path, monkeypatch):
    from dossier_cli.cli import base

    write_config(tmp_path, monkeypatch, "language: ru\n")
    dossier("add", "company", "Ромашка")
    monkeypatch.setattr(base, "is_interactive", lambda: True)
    result = dossier("rm", "company", "ромашка", input="может\nд\n")
    assert "[д/Н]" in result.stderr and "да или нет" in result.stderr


def run_help(lang: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOSSIER_", "_DOSSIER", "LC_"))}
    env.update(DOSSIER_LANG=lang, COLUMNS="80", NO_COLOR="1", LANG="C.UTF-8")
    out = subprocess.run([sys.executable, "-m", "dossier_cli", *args, "--help"], capture_output=True, text=True,
                         env=env, check=True)
    return out.stdout


def test_help_in_russian_lists_commands_and_options_in_russian():
    top = run_help("ru")
    assert "Добавить запись" in top and "Add a record" not in top
    assert "Показать полный текст ошибки" in top or "трассировк" in top
    command = run_help("ru", "add", "touch")
    assert "Пример: dossier add touch" in command
    assert "--kind" in command  # option names stay English


def test_every_message_in_the_code_has_a_russian_translation():
    pytest.importorskip("babel")
    from babel.messages.pofile import read_po

    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import i18n_extract
    finally:
        sys.path.pop(0)
    used = i18n_extract.messages(PACKAGE)
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    missing = []
    for msgid, where in used.items():
        message = catalog.get(msgid)
        translated = message is not None and not message.fuzzy and (
            all(message.string) if isinstance(message.string, tuple) else bool(message.string))
        if not translated:
            missing.append(f"{where}: {msgid!r}")
    assert not missing, "no Russian translation (run scripts/i18n.sh, translate in dossier.po):\n" + "\n".join(missing)


def test_the_shipped_mo_file_is_compiled_from_the_catalog():
    pytest.importorskip("babel")
    import gettext

    from babel.messages.pofile import read_po

    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    with CATALOG.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [m.id for m in catalog if m.id and not m.fuzzy and isinstance(m.id, str) and m.string
             and (compiled.pgettext(m.context, m.id) if m.context else compiled.gettext(m.id)) != m.string]
    assert not stale, "dossier.mo is older than dossier.po: run scripts/i18n.sh compile"


def test_every_command_is_in_one_help_panel_and_the_panels_show_in_both_languages():
    from dossier_cli.cli.app import COMMANDS, PANELS

    placed = [name for commands in PANELS.values() for name in commands]
    assert sorted(placed) == sorted(COMMANDS), "put each command of COMMANDS in one panel of PANELS (cli/app.py)"
    english, russian = run_help("en"), run_help("ru")
    for title in ("Records", "Pipeline", "Dossier", "Sales", "Contact log", "Plan", "Data", "Upkeep"):
        assert f"─ {title} ─" in english
    for title in ("Записи", "Воронка", "Досье", "Продажи", "Журнал контактов", "План", "Данные", "Обслуживание"):
        assert f"─ {title} ─" in russian


def test_russian_help_fits_80_columns():
    for args in ((), ("add", "company"), ("add", "touch"), ("list", "companies"), ("promote",), ("import", "companies")):
        text = run_help("ru", *args)
        assert all(len(line) <= 80 for line in text.splitlines()), args


def test_no_function_both_translates_and_uses_underscore_as_a_throwaway_name():
    """`for x, _ in rows` inside a function that also calls `_()` would break the translation there."""
    import ast

    def binds_underscore(node) -> bool:  # outside nested comprehensions and functions, which have their own scope
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.FunctionDef, ast.Lambda)):
                continue
            if isinstance(child, ast.Name) and child.id == "_" and isinstance(child.ctx, ast.Store):
                return True
            if binds_underscore(child):
                return True
        return False

    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for func in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) and binds_underscore(func) and any(
                isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_" for n in ast.walk(func)
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}:{func.lineno} {func.name}")
    assert not offenders, offenders


@pytest.mark.parametrize("typed", ["4 870 000,00 ₽", "4,870,000.00 RUB", "4870000", "4 870 000 руб.", "4870000 р."])
def test_amounts_are_accepted_as_people_write_them(dossier, typed):
    dossier("add", "company", "Ромашка")
    dossier("add", "sale", "ромашка", typed, "--date", "30.11.2026")
    assert [s["amount"] for s in dossier.json("list", "sales")] == ["4870000.00"]


def test_money_and_dates_as_each_language_writes_them_right_aligned(dossier, tmp_path, monkeypatch):
    dossier("add", "company", "Ромашка", "--listed-on", "2026-01-01")
    dossier("add", "sale", "ромашка", "4870000", "--date", "2026-11-30")
    dossier("add", "sale", "ромашка", "1200,5", "--date", "2026-11-29")
    english = dossier("list", "sales").stdout
    assert "| 4,870,000.00 RUB |" in english and "|     1,200.50 RUB |" in english and "2026-11-30" in english
    write_config(tmp_path, monkeypatch, "language: ru\n")
    russian = dossier("list", "sales").stdout.replace("\u00a0", " ")
    assert "| 4 870 000,00 ₽ |" in russian and "|     1 200,50 ₽ |" in russian and "30.11.2026" in russian
    assert "| сумма" in russian or "сумма |" in russian
    assert dossier.json("list", "sales")[0]["amount"] == "4870000.00"  # JSON keeps the plain value
    assert "Добавлена продажа #3: Ромашка, 28.11.2026, 15 000,00 ₽." == dossier(
        "add", "sale", "ромашка", "15 000 руб.", "--date", "28.11.2026").stderr.strip().replace("\u00a0", " ")


@pytest.mark.parametrize(("args", "name"), [
    (("add", "company", "Зейская Сталь", "--founded", "12"), "год основания"),
    (("add", "company", "Зейская\x00Сталь"), "название компании"),
    (("add", "touch", "Ромашка", "--kind", "звонок", "--date", "31.02.2026"), "дата контакта"),
])
def test_field_names_inside_russian_errors_are_russian(dossier, monkeypatch, args, name):
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    dossier("add", "company", "Ромашка")
    result = dossier(*args, expect=2)
    assert result.stderr.startswith("Ошибка: ") or result.stderr.startswith("Error: "), result.stderr
    assert f"«{name}»" in result.stderr or name in result.stderr, result.stderr
    for english in ("founding year", "company name", "touch date"):
        assert english not in result.stderr, result.stderr


def test_touch_dates_inside_russian_messages_read_as_russians_write_them(dossier, monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    dossier("add", "company", "Ромашка", "--listed-on", "2020-01-01")
    future = dossier("add", "touch", "Ромашка", "--kind", "звонок", "--date", "2099-01-02", expect=2)
    assert "02.01.2099" in future.stderr and "2099-01-02" not in future.stderr, future.stderr
    dossier("add", "touch", "Ромашка", "--kind", "звонок", "--date", "2026-01-10", "--next", "2026-01-20")
    moved = dossier("postpone", "1", "2026-02-03")
    assert "03.02.2026" in moved.stderr and "20.01.2026" in moved.stderr and "2026-" not in moved.stderr, moved.stderr
    before = dossier("add", "touch", "Ромашка", "--kind", "звонок", "--date", "2026-01-10", "--next", "2026-01-05",
                     "--force", expect=2)
    assert "05.01.2026" in before.stderr and "10.01.2026" in before.stderr, before.stderr


def test_a_future_promotion_day_reads_as_russians_write_it(dossier, monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    dossier("add", "company", "Ромашка")
    result = dossier("promote", "Ромашка", "--date", "2099-03-04", expect=2)
    assert "04.03.2099" in result.stderr and "2099-03-04" not in result.stderr, result.stderr
    assert "переход на стадию" in result.stderr and "promotion" not in result.stderr, result.stderr
