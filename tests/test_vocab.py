"""Every enumerated value is accepted in either language, whatever the display language
(issue 19's table of refused words: each now has a test here)."""

from __future__ import annotations

import pytest

from dossier_cli import vocab


def test_every_vocabulary_names_each_value_by_its_labels_in_both_languages():
    for table in (vocab.STAGES, vocab.ROLES, vocab.TOUCH_KINDS, vocab.OUTCOMES, vocab.ACTIVITIES, vocab.SOURCES,
                  vocab.NEGOTIATION_FORMATS, vocab.YES_NO):
        for term in table.terms:
            assert table.lookup(term.en) == term.value
            assert table.lookup(term.ru.upper()) == term.value
            assert table.label(term.value, "ru") == term.ru


def test_no_word_names_two_values():
    """Every word of every vocabulary (value, labels, synonyms) finds its own value, so no word
    is claimed by two (the word table is built on first use: a clash would fail there)."""
    tables = [value for value in vars(vocab).values() if isinstance(value, vocab.Vocabulary)]
    assert len(tables) >= 12
    for table in tables:
        for term in table.terms:
            for word in term.words():
                assert table.lookup(word) == term.value, (table.field, word)


def test_the_shipped_stages_and_kinds_and_sources_all_have_russian_labels(dossier):
    settings = {row["setting"]: row["value"] for row in dossier.json("config", "show")["settings"]}
    for key, table in (("stages", vocab.STAGES), ("touch_kinds", vocab.TOUCH_KINDS), ("sources", vocab.SOURCES)):
        for value in settings[key]:
            assert table.label(value, "ru") != value, (key, value)


@pytest.mark.parametrize("word", ["выставка", "ВЫСТАВКА", "exhibition"])
def test_a_source_in_russian(dossier, word):
    dossier("add", "company", "Ромашка", "--source", word)
    assert dossier.json("show", "company", "ромашка")["source"] == "exhibition"
    assert [c["name"] for c in dossier.json("list", "companies", "--source", "выставка")] == ["Ромашка"]


@pytest.mark.parametrize("word", ["финансовый покупатель", "Экономический покупатель", "economic buyer", "ЛПР"])
def test_a_role_in_russian(dossier, word):
    dossier("add", "company", "Ромашка")
    dossier("add", "person", "Иван Петров", "--company", "ромашка", "--role", word)
    person = dossier.json("show", "person", "Иван Петров")
    assert [link["role"] for link in person["companies"]] == ["economic-buyer"]


@pytest.mark.parametrize(("word", "stored"), [("не дозвонился", "no-answer"), ("Не дозвонились", "no-answer"),
                                              ("нет ответа", "no-answer"), ("нет", "no"), ("положительный", "positive")])
def test_an_outcome_in_russian(dossier, word, stored):
    dossier("add", "company", "Ромашка")
    dossier("add", "touch", "ромашка", "--kind", "звонок", "--outcome", word)
    touches = dossier.json("list", "touches")
    assert [(t["kind"], t["outcome"]) for t in touches] == [("call", stored)]


def test_an_unknown_outcome_is_refused_with_the_choices(dossier):
    dossier("add", "company", "Ромашка")
    result = dossier("add", "touch", "ромашка", "--kind", "call", "--outcome", "может быть", expect=2)
    assert result.stderr.startswith("Error: unknown outcome 'может быть'")
    assert "no-answer" in result.stderr


def test_promote_to_a_stage_named_in_russian(dossier, no_dossier_gate):
    dossier("add", "company", "Ромашка")
    dossier("promote", "ромашка", "--to", "переговоры")
    assert dossier.json("show", "company", "ромашка")["stage"] == "negotiating"
    dossier("promote", "ромашка", "--to", "Клиент")
    assert dossier.json("show", "company", "ромашка")["stage"] == "client"


def test_stages_in_import_in_russian(dossier, tmp_path):
    source = tmp_path / "companies.csv"
    source.write_text("name,stage\nРомашка,переговоры\nВасилёк,цель\nЛютик,Постоянный клиент\n", encoding="utf-8")
    dossier("import", "companies", str(source))
    stages = {c["name"]: c["stage"] for c in dossier.json("list", "companies")}
    assert stages == {"Ромашка": "negotiating", "Василёк": "target", "Лютик": "regular"}


def test_russian_stages_named_in_the_config(dossier, tmp_path, monkeypatch):
    config = tmp_path / "config.yaml"
    config.write_text(
        "stages: [цель, изучение, переговоры, клиент]\nfirst_contact_stage: переговоры\nclient_stage: клиент\n"
        "dossier:\n  threshold: 0\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    dossier("add", "company", "Ромашка")
    assert dossier.json("show", "company", "ромашка")["stage"] == "цель"
    dossier("promote", "ромашка", "--to", "negotiating")  # the English word names the configured stage
    assert dossier.json("show", "company", "ромашка")["stage"] == "переговоры"


def test_touch_kinds_in_either_language_in_import(dossier, tmp_path):
    dossier("add", "company", "Ромашка")
    source = tmp_path / "touches.csv"
    source.write_text("company,date,kind,outcome\nРомашка,2026-11-02,встреча,не дозвонился\n"
                      "Ромашка,2026-11-03,e-mail,Positive\n", encoding="utf-8")
    dossier("import", "touches", str(source))
    assert sorted((t["kind"], t["outcome"]) for t in dossier.json("list", "touches")) == [
        ("email", "positive"), ("meeting", "no-answer")]


@pytest.mark.parametrize(("word", "stored"), [("неформальный", "informal"), ("Неформально", "informal"),
                                              ("в ресторане", "informal"), ("формальные", "formal")])
def test_a_negotiation_format_in_russian_under_the_english_template(dossier, no_dossier_gate, word, stored):
    dossier("add", "company", "Ромашка")
    dossier("add", "person", "Иван Петров", "--company", "ромашка")
    dossier("fill", "ромашка", "--person", "Иван Петров", "--set", f"negotiation_format={word}")
    doc = dossier.json("checklist", "ромашка")
    ivan = {i["key"]: i["value"] for i in doc["parts"][1]["items"] if i["person"]["name"] == "Иван Петров"}
    assert ivan["negotiation_format"] == stored


def test_an_english_negotiation_format_under_the_russian_template(dossier, tmp_path, monkeypatch):
    config = tmp_path / "config.yaml"
    config.write_text("language: ru\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    dossier("add", "company", "Ромашка")
    dossier("add", "person", "Иван Петров", "--company", "ромашка")
    dossier("fill", "ромашка", "--person", "Иван Петров", "--set", "negotiation_format=informal")
    doc = dossier.json("checklist", "ромашка")
    ivan = {i["key"]: i["value"] for i in doc["parts"][1]["items"] if i["person"]["name"] == "Иван Петров"}
    assert ivan["negotiation_format"] == "в ресторане"


def test_activity_and_kind_in_russian(dossier):
    dossier("add", "company", "Ромашка", "--activity", "Торговля")
    assert dossier.json("show", "company", "ромашка")["activity"] == "trade"
    dossier("add", "touch", "ромашка", "--kind", "Визит")
    assert [t["kind"] for t in dossier.json("list", "touches")] == ["visit"]


@pytest.mark.parametrize("answer", ["д", "да", "Y", "yes"])
def test_the_prompt_takes_yes_in_either_language(dossier, monkeypatch, answer):
    from dossier_cli.cli import base

    dossier("add", "company", "Ромашка")
    monkeypatch.setattr(base, "is_interactive", lambda: True)
    dossier("rm", "company", "ромашка", input=f"{answer}\n")
    assert dossier.json("list", "companies", "--status", "all") == []


@pytest.mark.parametrize("answer", ["н", "нет", "n", ""])
def test_the_prompt_takes_no_in_either_language(dossier, monkeypatch, answer):
    from dossier_cli.cli import base

    dossier("add", "company", "Ромашка")
    monkeypatch.setattr(base, "is_interactive", lambda: True)
    dossier("rm", "company", "ромашка", input=f"{answer}\n", expect=1)
    assert [c["name"] for c in dossier.json("list", "companies")] == ["Ромашка"]


def test_the_prompt_asks_again_after_an_answer_it_does_not_understand(dossier, monkeypatch):
    from dossier_cli.cli import base

    dossier("add", "company", "Ромашка")
    monkeypatch.setattr(base, "is_interactive", lambda: True)
    result = dossier("rm", "company", "ромашка", input="может\nда\n")
    assert "yes or no" in result.stderr
    assert dossier.json("list", "companies", "--status", "all") == []


def test_yes_and_no_in_import_columns_in_either_language():
    assert vocab.is_yes("Да") is True and vocab.is_yes("нет") is False and vocab.is_yes("может") is None
