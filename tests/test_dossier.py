"""The prospect dossier: checklist, the four ways of filling it, readiness, the printable dossier, gifts."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest
import yaml

from dossier_cli.errors import ExitCode

ROMASHKA = ["add", "company", "ООО «Ромашка»"]


# ---------------------------------------------------------------- helpers
def _session():
    from dossier_cli.config import load_settings
    from dossier_cli.store import session_scope

    return session_scope(load_settings().database)


def link_person(company_id: int, name: str, role: str = "other") -> int:
    """Add a person linked to a company straight through the models (`link person` is another area's)."""
    from dossier_cli.models import Person, PersonLink
    from dossier_cli.text import person_key

    with _session() as session:
        person = Person(name=name, name_key=person_key(name))
        session.add(person)
        session.flush()
        session.add(PersonLink(person_id=person.id, company_id=company_id, role=role))
        return person.id


def audit_events(entity: str) -> list[dict]:
    from sqlmodel import select

    from dossier_cli.models import AuditEvent

    with _session() as session:
        return [
            {"action": e.action, "user": e.user, "command": e.command, "changes": json.loads(e.changes_json)}
            for e in session.exec(select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id))
        ]


def load_shipped(language: str):
    from dossier_cli.config import Settings
    from dossier_cli.prospect.template import load_template

    return load_template(Settings(language=language))


def full_answers(language: str = "en", person: str = "Иван Петров") -> tuple[dict, dict]:
    """An answer for every item of the shipped template: (company-level, per-person)."""
    special = {
        "name": "ООО «Ромашка»",
        "source": "chamber of commerce",
        "activity": "production",
        "founded": 2009,
        "decision_maker": person,
        "role": "economic-buyer",
        "hospitality_budget": "15 000",
        "branches": ["Владивосток", "Благовещенск"],
    }
    template = load_shipped(language)
    answers: dict[str, dict] = {"company": {}, "person": {}}
    for part in template.parts:
        for item in part.items:
            if item.key in special:
                value = special[item.key]
            elif item.kind == "list":
                value = [f"{item.key}: первое", f"{item.key}: второе"]
            elif item.kind == "choice":
                value = item.options[0]
            else:
                value = f"Ответ на «{item.label}»"
            answers["person" if part.per_person else "company"][item.key] = value
    return answers["company"], answers["person"]


def percent(dossier, company="ромашка") -> float:
    return dossier.json("checklist", company)["percent"]


# ---------------------------------------------------------------- the checklist
def test_empty_dossier_checklist_shows_three_parts_and_flags_the_economic_buyer(dossier):
    dossier(*ROMASHKA, "--city", "Хабаровск", "--industry", "food production")
    result = dossier("checklist", "ромашка")
    out = result.stdout
    assert "About the company: " in out
    assert "About the representative: 0%" in out
    assert "The commercial proposal: 0%" in out
    assert "[x]  Location: head office" in out and "Хабаровск" in out
    assert "[ ]  Competitors" in out
    assert "economic-buyer   not covered  <- no economic buyer known" in out
    assert "no A group yet · threshold 70% (the default; there is no A group yet): not ready for first contact" in out
    doc = dossier.json("checklist", "ромашка")
    assert [p["key"] for p in doc["parts"]] == ["company", "representative", "proposal"]
    assert doc["economic_buyer_covered"] is False
    # name, head office and industry are known: 3 of 51 items
    assert doc["answered"] == 3 and doc["total"] == 51 and doc["percent"] == 5.9
    missing = dossier.json("checklist", "ромашка", "--missing")
    assert all(i["status"] == "missing" for p in missing["parts"] for i in p["items"])
    assert "head_office" not in [i["key"] for i in missing["parts"][0]["items"]]


def test_company_fields_are_the_company_columns_not_a_second_copy(dossier):
    dossier(*ROMASHKA)
    dossier("fill", "ромашка", "--set", "head_office=Хабаровск", "--set", "industry=food production",
            "--set", "branches=Владивосток; Благовещенск", "--set", "activity=производство")
    shown = dossier.json("show", "company", "ромашка")
    assert shown["city"] == "Хабаровск"
    assert shown["market"] == "food production"
    assert shown["branches"] == ["Владивосток", "Благовещенск"]
    assert shown["activity"] == "production"
    dossier("edit", "company", "ромашка", "--competitors", "Восток-Трейд")
    items = {i["key"]: i for i in dossier.json("checklist", "ромашка")["parts"][0]["items"]}
    assert items["competitors"]["value"] == "Восток-Трейд"
    assert items["branches"]["display"] == "Владивосток; Благовещенск"
    assert any(e["action"] == "update" and "branches" in e["changes"] for e in audit_events("company"))


def test_fill_by_set_from_empty_to_complete(dossier):
    dossier(*ROMASHKA)
    link_person(1, "Иван Петров")
    company, person = full_answers()
    assert percent(dossier) == 2.0  # only the name is known
    half = list(company.items())[:10]
    args = [a for key, value in half for a in ("--set", f"{key}={value if not isinstance(value, list) else '; '.join(value)}")]
    result = dossier("fill", "ромашка", *args)
    assert "Saved 9 answers to the dossier of ООО «Ромашка»: 2% -> 19.6% complete." in result.stderr  # name unchanged
    assert percent(dossier) == 19.6
    rest = [a for key, value in list(company.items())[10:]
            for a in ("--set", f"{key}={value if not isinstance(value, list) else '; '.join(value)}")]
    dossier("fill", "ромашка", *rest)
    person_args = [a for key, value in person.items()
                   for a in ("--set", f"{key}={value if not isinstance(value, list) else '; '.join(value)}")]
    dossier("fill", "ромашка", "--person", "иван", *person_args)
    doc = dossier.json("checklist", "ромашка")
    assert doc["percent"] == 100.0
    assert [p["percent"] for p in doc["parts"]] == [100.0, 100.0, 100.0]
    assert doc["roles"]["economic-buyer"] == ["Иван Петров"]
    items = {i["key"]: i for i in doc["parts"][2]["items"]}
    assert items["hospitality_budget"]["value"] == 1_500_000  # minor units
    assert items["hospitality_budget"]["display"] == "15,000.00 RUB"  # as a person reads it; `value` is the plain number
    assert "Overall 100%" in dossier("checklist", "ромашка").stdout


def test_fill_from_yaml_file_and_json_on_stdin(dossier, tmp_path):
    dossier(*ROMASHKA)
    link_person(1, "Иван Петров", role="economic-buyer")
    company, person = full_answers()
    first = dict(list(company.items())[:12])
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(first, allow_unicode=True), encoding="utf-8")
    dossier("fill", "ромашка", "--from", str(path))
    after_file = percent(dossier)
    assert after_file == round(100 * (12 + 1) / 51, 1)  # and Иван already has his role
    second = dict(list(company.items())[12:])
    second["people"] = {"Иван Петров": person}
    dossier("fill", "ромашка", "--from", "-", input=json.dumps(second, ensure_ascii=False))
    assert percent(dossier) == 100.0


def test_fill_in_the_editor(dossier, tmp_path, monkeypatch):
    dossier(*ROMASHKA)
    link_person(1, "Иван Петров")
    company, person = full_answers()
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"company": company, "person": person}, ensure_ascii=False), encoding="utf-8")
    script = tmp_path / "editor.py"
    script.write_text(
        "import json, sys, yaml\n"
        "path = sys.argv[1]\n"
        f"answers = json.load(open({str(answers)!r}, encoding='utf-8'))\n"
        "doc = yaml.safe_load(open(path, encoding='utf-8'))\n"
        "assert doc['name'] == 'ООО «Ромашка»', doc\n"
        "assert set(doc) - {'people'} == set(answers['company']), sorted(doc)\n"
        "for key, value in doc.items():\n"
        "    if value is None: doc[key] = answers['company'][key]\n"
        "for person, items in doc['people'].items():\n"
        "    assert set(items) == set(answers['person'])\n"
        "    for key in items: items[key] = answers['person'][key]\n"
        "yaml.safe_dump(doc, open(path, 'w', encoding='utf-8'), allow_unicode=True)\n",
        encoding="utf-8",
    )
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    dossier("fill", "ромашка", "--edit")
    assert percent(dossier) == 100.0
    # Saving an untouched document changes nothing.
    monkeypatch.setenv("EDITOR", "true")
    result = dossier("fill", "ромашка", "--edit")
    assert "No changes made in the editor" in result.stderr


@pytest.mark.parametrize(
    ("editor", "problem"),
    [
        ('vi "', "No closing quotation"),
        ("/no/such/editor --wait", "No such file or directory"),
        ("   ", "the command is empty"),
    ],
)
def test_an_editor_that_cannot_be_parsed_or_started_is_one_error_and_nothing_changes(dossier, monkeypatch, editor, problem):
    dossier(*ROMASHKA)
    before = dossier.json("checklist", "ромашка")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", editor)
    result = dossier("fill", "ромашка", "--edit", expect=ExitCode.USAGE)
    assert result.stderr.startswith(f"Error: cannot run the editor '{editor}': {problem}")
    assert "set EDITOR" in result.stderr
    assert result.stderr.count("\n") == 1
    assert dossier.json("checklist", "ромашка") == before
    _nothing_saved(dossier, before["percent"], 0)


def test_fill_interactively_at_a_terminal(dossier, monkeypatch):
    from dossier_cli.cli import base

    dossier(*ROMASHKA)
    link_person(1, "Иван Петров")
    company, person = full_answers()
    order = [(p["per_person"], i["key"]) for p in dossier.json("checklist", "ромашка", "--missing")["parts"]
             for i in p["items"]]
    lines = []
    for per_person, key in order:
        value = (person if per_person else company)[key]
        lines.append("; ".join(value) if isinstance(value, list) else str(value))
    monkeypatch.setattr(base, "is_interactive", lambda: True)
    result = dossier("fill", "ромашка", input="\n".join(lines) + "\n")
    assert "Answer each item" in result.stderr
    assert percent(dossier) == 100.0


def test_prompt_answers_asks_again_skips_and_stops_at_end_of_input():
    from dossier_cli.cli.dossier import prompt_answers
    from dossier_cli.errors import InvalidInput
    from dossier_cli.prospect.template import Item

    def item(key, kind="text"):
        return {"item": Item(key=key, label=key.title(), hint="", kind=kind, part="company", per_person=False),
                "person": None, "current": "", "choices": ()}

    def check(question, raw):
        if question["item"].kind == "number" and not raw.isdigit():
            raise InvalidInput("expected a number")
        return raw

    said: list[str] = []
    lines = iter(["lots\n", "2009\n", "\n", "Восток\n"])
    answers = prompt_answers([item("founded", "number"), item("trend"), item("competitors"), item("strategy")],
                             check, read_line=lambda: next(lines, ""), write=said.append)
    assert answers == {"founded": "2009", "competitors": "Восток"}
    assert "  expected a number; try again, or an empty line to skip" in said


def test_history_keeps_earlier_answers_with_who_and_when(dossier):
    dossier(*ROMASHKA)
    dossier("fill", "ромашка", "--set", "reputation=говорят, платят с задержкой")
    dossier("fill", "ромашка", "--set", "reputation=платят в срок")
    dossier("fill", "ромашка", "--set", "reputation=платят в срок")  # unchanged: no new history
    history = dossier.json("checklist", "ромашка", "--history")["history"]
    reputation = [h for h in history if h["item"] == "reputation"]
    assert [(h["value"], h["current"], h["user"]) for h in reputation] == [
        ("говорят, платят с задержкой", False, "tester"),
        ("платят в срок", True, "tester"),
    ]
    table = dossier("checklist", "ромашка", "--history").stdout
    assert "How the dossier grew" in table and "платят с задержкой" in table


def test_stale_answers_are_marked(dossier, tmp_path, monkeypatch):
    config = tmp_path / "config.yaml"
    config.write_text("dossier: {stale_days: 0}\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    dossier(*ROMASHKA)
    dossier("fill", "ромашка", "--set", "competitors=Восток")
    items = {i["key"]: i for i in dossier.json("checklist", "ромашка")["parts"][0]["items"]}
    assert items["competitors"]["status"] == "stale"
    assert "[~]  Competitors" in dossier("checklist", "ромашка").stdout
    assert [i["key"] for i in dossier.json("checklist", "ромашка", "--missing")["parts"][0]["items"]][:2] == ["source", "industry"]


def test_russian_template_from_the_config(dossier, tmp_path, monkeypatch):
    config = tmp_path / "config.yaml"
    config.write_text("language: ru\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    dossier(*ROMASHKA)
    dossier("fill", "ромашка", "--set", "contradictions=не любят москвичей")
    out = dossier("checklist", "ромашка").stdout
    assert "Досье потенциального клиента" in out
    assert "О компании:" in out and "О представителе компании:" in out and "Коммерческое предложение для компании:" in out
    assert "Базовые противоречия" in out and "не любят москвичей" in out


# ---------------------------------------------------------------- per person and buying roles
def test_per_person_items_need_a_linked_person(dossier):
    dossier(*ROMASHKA)
    dossier("add", "company", "Amur Logistics")
    link_person(2, "Пётр Сидоров")
    result = dossier("fill", "ромашка", "--set", "personal_needs=карьера", expect=ExitCode.USAGE)
    assert "item 'personal_needs' (Personal needs) is answered per person: add --person NAME" in result.stderr
    result = dossier("fill", "ромашка", "--person", "Пётр", "--set", "personal_needs=карьера", expect=ExitCode.USAGE)
    assert "Error: Пётр Сидоров is not linked to ООО «Ромашка»" in result.stderr
    result = dossier("fill", "ромашка", "--person", "Никто", "--set", "personal_needs=x", expect=ExitCode.NOT_FOUND)
    assert percent(dossier) == 2.0


def test_role_item_sets_the_buying_role_and_coverage(dossier):
    dossier(*ROMASHKA)
    link_person(1, "Иван Петров")
    link_person(1, "Анна Смирнова", role="technical-buyer")
    doc = dossier.json("checklist", "ромашка")
    assert doc["roles"] == {"economic-buyer": [], "technical-buyer": ["Анна Смирнова"], "user": [], "coach": []}
    people = {(i["person"]["name"], i["key"]): i["status"] for i in doc["parts"][1]["items"]}
    assert people[("Анна Смирнова", "role")] == "answered" and people[("Иван Петров", "role")] == "missing"
    dossier("fill", "ромашка", "--person", "Иван Петров", "--set", "role=financial-buyer",
            "--set", "scenario=цифры и сроки окупаемости", "--set", "negotiation_format=INFORMAL")
    doc = dossier.json("checklist", "ромашка")
    assert doc["roles"]["economic-buyer"] == ["Иван Петров"]
    assert doc["economic_buyer_covered"] is True
    ivan = {i["key"]: i["value"] for i in doc["parts"][1]["items"] if i["person"]["name"] == "Иван Петров"}
    assert ivan["negotiation_format"] == "informal"
    assert ivan["scenario"] == "цифры и сроки окупаемости"
    assert any(e["action"] == "update" and e["changes"] == {"company": "ООО «Ромашка»", "role": ["other", "economic-buyer"]}
               for e in audit_events("person"))


# ---------------------------------------------------------------- refusals: nothing saved
def _nothing_saved(dossier, before_percent: float, before_events: int) -> None:
    assert percent(dossier) == before_percent
    assert len(audit_events("dossier")) == before_events


def test_non_interactive_fill_without_answers_is_refused(dossier):
    dossier(*ROMASHKA)
    result = dossier("fill", "ромашка", expect=ExitCode.USAGE)
    assert result.stderr.strip() == (
        "Error: nothing to fill: not at a terminal, so give the answers with --set key=value, "
        "--from FILE (or --from - for stdin) or --edit"
    )
    _nothing_saved(dossier, 2.0, 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "competitor=Восток"], "unknown dossier item 'competitor'; closest: 'competitors' (Competitors)"),
        (["--set", "founded=давно"], "item 'founded' (How long in business (year founded)): bad founding year 'давно'"),
        (["--set", "hospitality_budget=много"], "item 'hospitality_budget' (Hospitality budget): bad amount 'много'"),
        (["--set", "activity=farming"], "item 'activity' (Kind of activity): unknown activity 'farming'"),
        (["--set", "source=astrology"], "item 'source' (Information source): unknown information source 'astrology'"),
        (["--set", "decision_maker=Никто"], "no person matches 'Никто'"),
        (["--set", "competitors"], "bad --set 'competitors': write it as key=value"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(dossier, args, message):
    dossier(*ROMASHKA)
    result = dossier("fill", "ромашка", "--set", "trend=растёт", *args, expect=None)
    assert result.exit_code in (ExitCode.USAGE, ExitCode.NOT_FOUND)
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    _nothing_saved(dossier, 2.0, 0)


def test_wrong_kinds_from_a_file_name_each_item(dossier, tmp_path):
    dossier(*ROMASHKA)
    path = tmp_path / "answers.yaml"
    path.write_text("competitors: [a, b]\ntrend: {up: yes}\narguments: быстро\nreputation: true\n", encoding="utf-8")
    result = dossier("fill", "ромашка", "--from", str(path), expect=ExitCode.USAGE)
    assert "item 'competitors' (Competitors): expected text, got a list" in result.stderr
    assert "item 'trend' (Trend and dynamics of development): expected text, got a mapping" in result.stderr
    assert "item 'reputation' (Reputation): expected text, got yes/no" in result.stderr
    assert result.stderr.rstrip().endswith("nothing was saved")
    _nothing_saved(dossier, 2.0, 0)
    path.write_text("- not\n- a mapping\n", encoding="utf-8")
    result = dossier("fill", "ромашка", "--from", str(path), expect=ExitCode.USAGE)
    assert "expected a mapping of item: answer; nothing was saved" in result.stderr
    result = dossier("fill", "ромашка", "--from", str(tmp_path / "nope.yaml"), expect=ExitCode.USAGE)
    assert "no such file" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("parts: [unclosed\n", ", line 2: not valid YAML"),
        ("- a list\n", "expected a mapping with 'parts'"),
        ("parts:\n  - key: company\n    title: Co\n    items:\n      - key: trend\n        label: Trend\n        kind: essay\n",
         ", line 7: item 'trend' (parts[0].items[0].kind): input should be"),
        ("parts:\n  - key: company\n    title: Co\n    items:\n      - key: trend\n        label: Trend\n        kind: text\n"
         "        colour: red\n", ", line 8: item 'trend' (parts[0].items[0].colour): unknown key 'colour'"),
        ("parts:\n  - key: company\n    title: Co\n    items:\n      - key: mood\n        label: Mood\n        kind: choice\n",
         ", line 5: item 'mood' (parts[0].items[0]): a choice item needs options"),
        ("parts:\n  - key: company\n    title: Co\n    items:\n      - key: trend\n        label: Trend\n        kind: text\n"
         "        field: trend_line\n", "'trend_line' is not a field of the company"),
        ("parts:\n  - key: company\n    title: Co\n    items:\n      - label: Trend\n        kind: text\n",
         ", line 5: item parts[0].items[0].key: 'key' is missing"),
    ],
)
def test_bad_template_is_one_clear_error_and_nothing_is_saved(dossier, tmp_path, monkeypatch, content, message):
    template = tmp_path / "my-dossier.yaml"
    template.write_text(content, encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(f"dossier: {{template: {template}}}\n", encoding="utf-8")
    dossier(*ROMASHKA)
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    result = dossier("fill", "ромашка", "--set", "trend=растёт", expect=ExitCode.USAGE)
    assert result.stderr.startswith(f"Error: dossier template {template}")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    monkeypatch.delenv("DOSSIER_CONFIG")
    _nothing_saved(dossier, 2.0, 0)


def test_a_users_own_template(dossier, tmp_path, monkeypatch):
    template = tmp_path / "short.yaml"
    template.write_text(
        "title: Короткое досье\nparts:\n  - key: basics\n    title: Главное\n    items:\n"
        "      - {key: head_office, label: Город, kind: text, field: city}\n"
        "      - {key: met_on, label: Познакомились, kind: date}\n"
        "      - {key: staff, label: Сотрудников, kind: number}\n",
        encoding="utf-8",
    )
    config = tmp_path / "config.yaml"
    config.write_text(f"dossier: {{template: {template}}}\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    dossier(*ROMASHKA)
    dossier("fill", "ромашка", "--set", "met_on=02.11.2026", "--set", "staff=120")
    doc = dossier.json("checklist", "ромашка")
    assert doc["title"] == "Короткое досье"
    assert {i["key"]: i["value"] for i in doc["parts"][0]["items"]} == {
        "head_office": None, "met_on": "2026-11-02", "staff": 120}
    assert doc["percent"] == 66.7
    result = dossier("fill", "ромашка", "--set", "staff=many", expect=ExitCode.USAGE)
    assert "item 'staff' (Сотрудников): expected a number, got 'many'" in result.stderr


# ---------------------------------------------------------------- the template covers the seed
# Every item of the seed's dossier (section 4 of client-database-part-4.ru.txt): the Russian
# words that name it, the part, and the template key that holds it.
SEED_ITEMS = [
    ("Информационные источники", "company", "source"),
    ("Отрасль", "company", "industry"),
    ("Потребности отрасли", "company", "industry_needs"),
    ("Название", "company", "name"),
    ("центральный офис", "company", "head_office"),
    ("филиалы", "company", "branches"),
    ("Вид деятельности", "company", "activity"),
    ("Длительность деятельности", "company", "founded"),
    ("Стратегия (планы)", "company", "strategy"),
    ("Тенденция и динамика развития", "company", "trend"),
    ("Финансовая состоятельность", "company", "financial_standing"),
    ("снабжение", "company", "supply_channels"),
    ("Конкуренты", "company", "competitors"),
    ("Что говорят о компании партнёры", "company", "reputation"),
    ("как компания оплачивает счета", "company", "payment_reputation"),
    ("Общность компаний", "company", "common_ground"),
    ("Базовые противоречия", "company", "contradictions"),
    ("Потребности компании-клиента", "company", "company_needs"),
    ("Кто выносит решение о покупке", "company", "decision_maker"),
    ("Через какие источники будем поддерживать связь", "company", "contact_channels"),
    ("Репутация представителя", "representative", "reputation"),
    ("Роль представителя", "representative", "role"),
    ("Финансовый закупщик", "representative", "role"),
    ("Технологический закупщик", "representative", "role"),
    ("Пользователь", "representative", "role"),
    ("Для каждого типа — пишем отдельный сценарий", "representative", "scenario"),
    ("Тип представителя", "representative", "personality_type"),
    ("Общность представителей", "representative", "common_ground"),
    ("не любят москвичей", "representative", "contradictions"),
    ("Потребности представителя (личные)", "representative", "personal_needs"),
    ("совпадают с интересами его компании", "representative", "needs_match"),
    ("Формат переговоров", "representative", "negotiation_format"),
    ("какой ресторан любимый", "representative", "favourite_place"),
    ("Рекомендатели", "representative", "referrers"),
    ("Предложение для представителя", "proposal", "offer"),
    ("Основные аргументы «ЗА» покупку", "proposal", "arguments"),
    ("Почему должны купить", "proposal", "why_us"),
    ("Внимание", "proposal", "attention"),
    ("Интерес", "proposal", "interest"),
    ("Желание", "proposal", "desire"),
    ("Действия", "proposal", "action"),
    ("Ключевые слова и выражения", "proposal", "key_phrases"),
    ("Вопросы от представителя", "proposal", "their_questions"),
    ("Возражения", "proposal", "objections"),
    ("Претензии", "proposal", "claims"),
    ("Вопросы представителю", "proposal", "our_questions"),
    ("Комплименты", "proposal", "compliments"),
    ("Пожелания", "proposal", "wishes"),
    ("Представительские", "proposal", "hospitality_budget"),
    ("не менее 3-х встреч на двоих", "proposal", "hospitality_budget"),
    ("кафе, боулинг, охота, горные лыжи", "proposal", "hospitality_form"),
    ("Ваш имидж", "proposal", "image"),
    ("Стратегия", "proposal", "our_strategy"),
    ("Контур выхода на представителя", "proposal", "route"),
    ("Поддержка коммуникации с клиентом", "proposal", "communication"),
]


def _items_by_part(template) -> dict[tuple[str, str], object]:
    return {(part.key, item.key): item for part in template.parts for item in part.items}


@pytest.mark.parametrize(("words", "part", "key"), SEED_ITEMS, ids=[f"{p}.{k}:{w}" for w, p, k in SEED_ITEMS])
def test_the_shipped_template_covers_the_seed_item(words, part, key):
    from dossier_cli.text import fold

    russian = _items_by_part(load_shipped("ru"))
    english = _items_by_part(load_shipped("en"))
    assert (part, key) in russian, f"the Russian template lacks {part}.{key} ({words})"
    assert (part, key) in english, f"the English template lacks {part}.{key} ({words})"
    item = russian[(part, key)]
    assert fold(words) in fold(f"{item.label} {item.hint}"), f"{part}.{key}: '{words}' not in '{item.label}' / '{item.hint}'"
    assert english[(part, key)].kind == item.kind


def test_both_templates_have_the_same_items_and_no_kickback():
    russian, english = load_shipped("ru"), load_shipped("en")
    assert [(p.key, p.per_person, [(i.key, i.kind, i.field) for i in p.items]) for p in russian.parts] == [
        (p.key, p.per_person, [(i.key, i.kind, i.field) for i in p.items]) for p in english.parts
    ]
    covered = {(part, key) for _, part, key in SEED_ITEMS}
    assert covered == set(_items_by_part(russian)), "every template item answers an item of the seed"
    for template in (russian, english):
        for part in template.parts:
            for item in part.items:
                text = f"{item.key} {item.label} {item.hint}".lower()
                assert "откат" not in text and "вознаграждение" not in text and "kickback" not in text


# ---------------------------------------------------------------- readiness and the promote gate
def test_promote_gate_below_threshold_with_force_and_after_filling(dossier):
    from dossier_cli.config import load_settings
    from dossier_cli.errors import Conflict
    from dossier_cli.models import Company
    from dossier_cli.prospect.completeness import require_dossier_ready

    dossier(*ROMASHKA, "--industry", "food production")
    settings = load_settings()
    with _session() as session:
        company = session.get(Company, 1)
        with pytest.raises(Conflict) as refused:
            require_dossier_ready(session, settings, company, to_stage="contacted", force=False)
        message = str(refused.value)
        assert message.startswith("the dossier of ООО «Ромашка» is 3.9% complete, below the 70% needed before 'contacted'; missing: ")
        # the most important items first: the economic buyer, then items marked important
        assert "missing: an economic buyer (a person linked with the role economic-buyer), How it pays its bills, " in message
        assert message.endswith("(fill it (dossier fill 1) or add --force)")
        assert refused.value.exit_code == ExitCode.CONFLICT
        require_dossier_ready(session, settings, company, to_stage="contacted", force=True)
        require_dossier_ready(session, settings, company, to_stage="researching", force=False)
        with pytest.raises(Conflict):
            require_dossier_ready(session, settings, company, to_stage="negotiating", force=False)
    link_person(1, "Иван Петров")
    company_answers, person_answers = full_answers()
    dossier("fill", "ромашка", "--from", "-",
            input=json.dumps({**company_answers, "people": {"Иван Петров": person_answers}}, ensure_ascii=False))
    with _session() as session:
        require_dossier_ready(session, settings, session.get(Company, 1), to_stage="contacted", force=False)


def test_promote_command_respects_the_gate(dossier):
    dossier(*ROMASHKA)
    dossier("promote", "ромашка")  # target -> researching: no gate yet
    refused = dossier("promote", "ромашка", "--to", "contacted", expect=ExitCode.CONFLICT)
    assert "below the 70% needed before 'contacted'" in refused.stderr
    assert dossier.json("show", "company", "ромашка")["stage"] == "researching"
    dossier("promote", "ромашка", "--to", "contacted", "--force")
    assert dossier.json("show", "company", "ромашка")["stage"] == "contacted"


def test_promote_command_allowed_after_filling(dossier):
    dossier(*ROMASHKA)
    link_person(1, "Иван Петров")
    company_answers, person_answers = full_answers()
    dossier("fill", "ромашка", "--from", "-",
            input=json.dumps({**company_answers, "people": {"Иван Петров": person_answers}}, ensure_ascii=False))
    dossier("promote", "ромашка", "--to", "contacted")
    assert dossier.json("show", "company", "ромашка")["stage"] == "contacted"


def test_threshold_falls_back_to_70_when_the_a_group_has_too_few_answered_dossiers(dossier):
    """The A group's average of empty dossiers (11.8%) is no bar: 70% is, and the output says why."""
    dossier(*ROMASHKA)
    dossier("add", "company", "Amur Logistics", "--stage", "key", "--city", "Khabarovsk", "--industry", "logistics",
            "--activity", "services", "--source", "referral", "--founded", "2014")
    dossier("add", "company", "Вектор", "--city", "Хабаровск")
    dossier("add", "company", "Дальсталь", "--stage", "contacted")  # already past first contact: not a prospect
    doc = dossier.json("checklist", "ромашка")
    # Amur Logistics is the only company at the top stage: 6 of 51 items known
    assert doc["a_group"] == {"basis": "top-stage", "companies": 1, "answered": 0, "average": 11.8}
    assert doc["threshold"] == 70.0 and doc["threshold_basis"] == "default"
    assert ("A group average 11.8% (1 company at the top stage) · threshold 70% (the default; the A group has 0 "
            "answered dossier(s) of 1, at least 3 are needed for its average)") in \
        " ".join(dossier("checklist", "ромашка").stdout.split())
    dossier("fill", "ромашка", "--set", "head_office=Хабаровск", "--set", "industry=food", "--set", "activity=trade",
            "--set", "source=media", "--set", "founded=2009", "--set", "trend=растёт", "--set", "reputation=хорошая")
    report = dossier.json("ready")
    assert report["threshold"] == 70.0 and report["prospects"] == 2 and report["ready_count"] == 0
    rows = {r["name"]: r for r in report["companies"]}
    assert rows["ООО «Ромашка»"]["ready"] is False and rows["ООО «Ромашка»"]["percent"] == 15.7
    assert rows["Вектор"]["ready"] is False and rows["Вектор"]["short_by"] == 66.1
    assert rows["Вектор"]["missing"][0] == "an economic buyer (a person linked with the role economic-buyer)"
    assert len(rows["Вектор"]["missing"]) == 5
    assert list(rows) == ["ООО «Ромашка»", "Вектор"]
    table = dossier("ready")
    assert "0 of 2 prospects ready; threshold 70% (the default; the A group has 0 answered dossier(s) of 1" in table.stderr


def test_threshold_is_the_a_group_average_once_three_of_its_dossiers_are_answered(dossier):
    company_answers, _ = full_answers()
    company_answers.pop("decision_maker")  # a person of each company; not needed here
    company_answers.pop("name")  # each keeps its own
    for name in ("Альфа", "Бета", "Гамма"):
        dossier("add", "company", name, "--stage", "key")
        dossier("fill", name, "--from", "-", input=json.dumps(company_answers, ensure_ascii=False))
    dossier(*ROMASHKA)
    doc = dossier.json("checklist", "ромашка")
    assert doc["a_group"]["answered"] == 3 and doc["threshold_basis"] == "a-group"
    assert doc["threshold"] == doc["a_group"]["average"] > 50
    assert "(the A group's average; 3 of its 3 dossiers are answered)" in dossier("ready").stderr


def test_a_threshold_in_the_config_says_so(dossier, no_dossier_gate):
    dossier(*ROMASHKA)
    assert "threshold 0% (from the config: dossier.threshold)" in dossier("ready").stderr


def test_bulk_completeness_agrees_with_the_checklist(dossier):
    from sqlmodel import select

    from dossier_cli.config import load_settings
    from dossier_cli.models import Company
    from dossier_cli.prospect.completeness import completeness_by_company
    from dossier_cli.prospect.template import load_template

    dossier(*ROMASHKA, "--city", "Хабаровск", "--branch", "Владивосток")
    dossier("add", "company", "Вектор")
    link_person(1, "Иван Петров", role="economic-buyer")
    link_person(1, "Анна Смирнова")
    dossier("fill", "ромашка", "--person", "Анна", "--set", "personality_type=аналитик", "--set", "referrers=Сидоров",
            "--set", "competitors=Восток", "--set", "arguments=цена; сроки")
    dossier("fill", "ромашка", "--set", "competitors=")  # cleared again
    dossier("fill", "вектор", "--set", "contradictions=только оригинальный товар")  # a key both parts have
    settings = load_settings()
    with _session() as session:
        bulk = completeness_by_company(session, load_template(settings), select(Company.id))
    assert bulk == {1: percent(dossier, "ромашка"), 2: percent(dossier, "вектор")}
    # name, head office, branches; arguments; Иван's role; Анна's personality type and referrers
    assert bulk[1] == round(100 * (3 + 1 + 1 + 2) / (40 + 2 * 11), 1)
    assert bulk[2] == round(100 * 2 / 51, 1)


def test_economic_buyer_gap_counts_in_the_abc_a_group(dossier):
    """With sales, the A group is the ABC analysis' group A, not the top stage."""
    from datetime import date

    from dossier_cli.models import Sale

    dossier(*ROMASHKA)
    dossier("add", "company", "Amur Logistics", "--stage", "client", "--city", "Khabarovsk")
    with _session() as session:
        session.add(Sale(company_id=2, sold_on=date.today(), amount_minor=10_000_00))
    doc = dossier.json("checklist", "ромашка")
    assert doc["a_group"] == {"basis": "abc", "companies": 1, "answered": 0, "average": 3.9}


# ---------------------------------------------------------------- the printable dossier
def test_export_markdown_escapes_user_text(dossier):
    dossier("add", "company", "ООО «Ромашка» *звезда* <b>", "--city", "Хабаровск", "--listed-on", "2026-01-01")
    link_person(1, "Иван [Петров](http://x)")
    dossier("fill", "1", "--set", "competitors=Восток | Запад", "--set", "arguments=# цена; _сроки_")
    dossier("add", "gift", "1", "--what", "ужин на двоих", "--value", "6 000", "--date", "02.11.2026",
            "--person", "Иван", "--purpose", "знакомство")
    md = dossier("export", "dossier", "1", "--format", "md").stdout
    assert md.startswith("# The prospect dossier: ООО «Ромашка» \\*звезда\\* \\<b>\n")  # `<` alone opens a tag
    assert "## About the company (" in md and "## The commercial proposal (" in md
    assert "**Competitors:** Восток \\| Запад" in md
    assert "**Main arguments for buying:** \\# цена; \\_сроки\\_" in md
    assert "### Иван \\[Петров\\](http://x)" in md  # no link without its brackets
    assert "| 2026\\-11\\-02 |" not in md and "| 2026-11-02 | Иван \\[Петров\\](http://x) | ужин на двоих | 6,000.00 RUB | знакомство |" in md
    assert "- economic-buyer: **not covered**" in md  # a hyphen inside a word is no markup


def test_export_html_is_one_escaped_file_readable_by_the_owner_only(dossier, tmp_path):
    dossier("add", "company", "Acme <script>alert(1)</script>", "--city", "Хабаровск")
    dossier("fill", "acme", "--set", "why_us=мы & только мы \"лучшие\"")
    out = tmp_path / "acme.html"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    result = dossier("export", "dossier", "acme", "--format", "html", "--output", str(out))
    assert f"Wrote the dossier of Acme <script>alert(1)</script> to {out}." in result.stderr
    assert result.stdout == ""
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script>" not in page and "Acme &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "мы &amp; только мы &#34;лучшие&#34;" in page
    assert "<style>" in page and "src=" not in page and "<link" not in page
    assert "Gifts and hospitality register" in page and "Nothing given." in page


def test_export_dossier_of_an_unknown_company(dossier):
    result = dossier("export", "dossier", "нет такой", expect=ExitCode.NOT_FOUND)
    assert result.stderr.strip() == "Error: no company matches 'нет такой' (see `dossier list companies`)"


# ---------------------------------------------------------------- gifts and audit
def test_gift_message_in_russian_shows_money_as_russians_write_it(dossier, monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    dossier(*ROMASHKA)
    result = dossier("add", "gift", "ромашка", "--what", "ужин", "--value", "1500")
    line = result.stderr.strip()
    assert line.startswith("Записан подарок #1 для ООО «Ромашка»: ужин, 1"), line
    assert "500,00" in line and line.endswith("₽."), line
    assert "RUB" not in line and "1500.00" not in line, line


def test_gifts_register_and_audit_events(dossier):
    dossier(*ROMASHKA, "--listed-on", "2026-01-01")
    link_person(1, "Иван Петров")
    result = dossier("add", "gift", "ромашка", "--what", "ужин на двоих", "--value", "6 000,50", "--date", "2026-11-02",
                     "--person", "Иван Петров", "--purpose", "знакомство")
    assert result.stderr.strip() == "Recorded gift #1 for ООО «Ромашка»: ужин на двоих, 6,000.50 RUB."
    rows = dossier.json("list", "gifts", "ромашка")
    assert rows == [{"id": 1, "date": "2026-11-02", "company": "ООО «Ромашка»", "person": "Иван Петров",
                     "what": "ужин на двоих", "value": "6000.50", "value_minor": 600050, "currency": "RUB",
                     "purpose": "знакомство", "user": "tester"}]
    gift_events = audit_events("gift")
    assert [(e["action"], e["user"], e["command"]) for e in gift_events] == [("create", "tester", "dossier add gift")]
    assert gift_events[0]["changes"]["value_minor"] == 600050
    result = dossier("add", "gift", "ромашка", "--what", "конфеты", "--value", "дорого", expect=ExitCode.USAGE)
    assert "bad value 'дорого'" in result.stderr
    assert len(dossier.json("list", "gifts")) == 1
    dossier("fill", "ромашка", "--set", "competitors=Восток")
    fill_events = audit_events("dossier")
    assert [(e["action"], e["user"], e["command"]) for e in fill_events] == [("fill", "tester", "dossier fill")]
    assert fill_events[0]["changes"] == {"competitors": [None, "Восток"]}


def test_new_commands_have_help():
    from tests.test_foundation import all_commands

    paths = {path for path, _command in all_commands()}
    for path in ("checklist", "fill", "ready", "export dossier", "add gift", "list gifts"):
        assert f"dossier {path}" in paths


def test_checklist_and_printable_dossier_show_source_and_activity_by_their_russian_labels(dossier, monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    dossier("add", "company", "Зейская Сталь", "--source", "exhibition", "--activity", "trade")
    for args in (("checklist", "Зейская"), ("export", "dossier", "Зейская")):
        shown = dossier(*args).stdout
        assert "выставка" in shown and "торговля" in shown, args
        assert "exhibition" not in shown and "trade" not in shown.replace("Трейд", ""), args
