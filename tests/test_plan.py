"""The quarterly prospecting plan: set, edit, copy, review, list, and the plan against what was done."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date, timedelta

import pytest

from dossier_cli.parsing import current_quarter

FULL_PLAN = ["plan", "set", "2027-Q1", "--territory", "Khabarovsk", "--territory", "Vladivostok",
             "--market", "food production", "--market", "retail",
             "--who", "Anna (new hire)", "--from-office", "Vladivostok branch",
             "--when", "Jan: research, Feb-Mar: calls; Tue/Thu afternoons",
             "--with", "exhibition", "--with", "referrals", "--with", "unique offer: 24h delivery",
             "--goal-prospects", "40", "--goal-touches", "200", "--goal-clients", "5"]


@contextmanager
def session(write: bool = True):
    from dossier_cli.config import load_settings
    from dossier_cli.store import session_scope

    with session_scope(load_settings().database, write=write) as s:
        yield s


def settings():
    from dossier_cli.config import load_settings

    return load_settings()


def company_id(name: str) -> int:
    from sqlmodel import select

    from dossier_cli.models import Company

    with session(write=False) as s:
        return s.exec(select(Company.id).where(Company.name == name)).one()


def add_touch(name: str, on: date, kind: str = "call") -> None:
    from dossier_cli.models import Touch

    cid = company_id(name)
    with session() as s:
        s.add(Touch(company_id=cid, touched_on=on, kind=kind))


def add_stage_change(name: str, from_stage: str, to_stage: str, on: date) -> None:
    from dossier_cli.models import StageChange

    cid = company_id(name)
    with session() as s:
        s.add(StageChange(company_id=cid, from_stage=from_stage, to_stage=to_stage, changed_on=on))


def set_listed_on(name: str, on: date) -> None:
    from dossier_cli.models import Company

    cid = company_id(name)
    with session() as s:
        company = s.get(Company, cid)
        company.listed_on = on
        s.add(company)


def plan_events() -> list[tuple[str, dict]]:
    from sqlmodel import select

    from dossier_cli.models import AuditEvent

    with session(write=False) as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.entity == "plan").order_by(AuditEvent.id)).all()
        return [(e.action, json.loads(e.changes_json)) for e in events]


# ---------------------------------------------------------------- set, list, copy, review
def test_set_a_plan_answering_the_six_questions(dossier):
    result = dossier(*FULL_PLAN)
    assert "Created the plan for 2027-Q1." in result.stderr
    [row] = dossier.json("plan", "list")
    assert row["quarter"] == "2027-Q1"
    assert row["territories"] == ["Khabarovsk", "Vladivostok"]
    assert row["markets"] == ["food production", "retail"]
    assert row["who"] == "Anna (new hire)"
    assert (row["goal_prospects"], row["goal_touches"], row["goal_clients"]) == (40, 200, 5)
    assert row["reviewed"] is None

    result = dossier("plan", "set", "2027-q1", "--goal-clients", "6", "--who", "")
    assert "Updated the plan for 2027-Q1." in result.stderr
    [row] = dossier.json("plan", "list")
    assert row["goal_clients"] == 6
    assert row["goal_prospects"] == 40  # goals not named are kept
    assert row["who"] is None  # an empty text clears the field
    assert row["territories"] == ["Khabarovsk", "Vladivostok"]

    table = dossier("plan", "list").stdout
    assert "2027-Q1" in table and "Khabarovsk, Vladivostok" in table


def test_set_with_nothing_new_changes_nothing(dossier):
    dossier(*FULL_PLAN)
    result = dossier("plan", "set", "2027-Q1", "--territory", "khabarovsk", "--territory", "Vladivostok",
                     "--goal-prospects", "40")
    assert "Updated the plan for 2027-Q1." in result.stderr  # the spelling of a territory changed
    result = dossier("plan", "set", "2027-Q1", "--goal-prospects", "40")
    assert "The plan for 2027-Q1 is unchanged." in result.stderr
    assert [action for action, _ in plan_events()] == ["create", "update"]


def test_copy_starts_a_quarter_from_the_last_one_without_its_review(dossier):
    dossier(*FULL_PLAN)
    dossier("plan", "review", "2027-Q1", "--note", "exhibitions worked")
    result = dossier("plan", "copy", "2027-Q1", "2027-Q2")
    assert "Copied the plan for 2027-Q1 to 2027-Q2." in result.stderr
    first, second = dossier.json("plan", "list")
    assert second["quarter"] == "2027-Q2"
    for key in ("territories", "markets", "who", "goal_prospects", "goal_touches", "goal_clients"):
        assert second[key] == first[key]
    assert first["review_note"] == "exhibitions worked"
    assert second["review_note"] is None and second["reviewed"] is None


def test_copy_onto_an_existing_plan_is_refused_unless_replace(dossier):
    dossier(*FULL_PLAN)
    dossier("plan", "set", "2027-Q2", "--territory", "Амур", "--goal-prospects", "3")
    before = dossier.json("plan", "list")
    result = dossier("plan", "copy", "2027-Q1", "2027-Q2", expect=4)
    assert "Error: there is already a plan for 2027-Q2" in result.stderr
    assert "--replace" in result.stderr
    assert dossier.json("plan", "list") == before
    dossier("plan", "copy", "2027-Q1", "2027-Q2", "--replace")
    assert dossier.json("plan", "list")[1]["territories"] == ["Khabarovsk", "Vladivostok"]


def test_copy_from_a_quarter_without_a_plan(dossier):
    result = dossier("plan", "copy", "2026-Q4", "2027-Q1", expect=3)
    assert "Error: there is no plan for 2026-Q4" in result.stderr
    assert dossier.json("plan", "list") == []


def test_review_records_the_note(dossier):
    dossier(*FULL_PLAN)
    result = dossier("plan", "review", "2027-Q1", "--note", "выставки сработали, холодные звонки нет; добавить Амурскую область")
    assert "Recorded the review of the 2027-Q1 plan." in result.stderr
    [row] = dossier.json("plan", "list")
    assert row["review_note"] == "выставки сработали, холодные звонки нет; добавить Амурскую область"
    assert date.fromisoformat(row["reviewed"])  # the (UTC) date of the review
    assert "reviewed_at" in dossier.json("plan", "review", "2027-Q1", "--note", "again")


def test_review_errors_change_nothing(dossier):
    result = dossier("plan", "review", "2027-Q1", "--note", "fine", expect=3)
    assert "Error: there is no plan for 2027-Q1" in result.stderr
    dossier(*FULL_PLAN)
    result = dossier("plan", "review", "2027-Q1", "--note", "  ", expect=2)
    assert "Error: the review note is empty" in result.stderr
    assert dossier.json("plan", "list")[0]["reviewed"] is None


def test_audit_events_for_set_review_and_copy(dossier):
    dossier(*FULL_PLAN)
    dossier("plan", "set", "2027-Q1", "--goal-touches", "250")
    dossier("plan", "review", "2027-Q1", "--note", "cold calls did not work")
    dossier("plan", "copy", "2027-Q1", "2027-Q2")
    events = plan_events()
    assert [action for action, _ in events] == ["create", "update", "review", "create", "copy"]
    assert events[0][1]["territories"] == ["Khabarovsk", "Vladivostok"]
    assert events[1][1] == {"goal_touches": [200, 250]}
    assert events[2][1] == {"review_note": [None, "cold calls did not work"]}
    assert events[4][1] == {"from": "2027-Q1", "to": "2027-Q2", "replaced": False}


# ---------------------------------------------------------------- bad input changes nothing
@pytest.mark.parametrize("quarter", ["2027-Q5", "2027Q1x", "27-Q1", "Q1-2027"])
@pytest.mark.parametrize("command", [["plan", "set"], ["plan", "show"], ["plan", "review"], ["plan", "edit"]])
def test_bad_quarters_are_refused(dossier, quarter, command):
    extra = ["--note", "x"] if command[1] == "review" else ["--from", "-"] if command[1] == "edit" else []
    result = dossier(*command, quarter, *extra, input="goals: {prospects: 1}\n", expect=2)
    assert f"Error: bad quarter '{quarter}': write it as YYYY-Qn, for example 2027-Q1" in result.stderr
    assert dossier.json("plan", "list") == []


def test_bad_quarter_in_copy(dossier):
    dossier(*FULL_PLAN)
    before = dossier.json("plan", "list")
    result = dossier("plan", "copy", "2027-Q1", "2027-Q5", expect=2)
    assert "bad quarter '2027-Q5'" in result.stderr
    assert dossier.json("plan", "list") == before


def test_negative_goal_is_refused(dossier):
    result = dossier("plan", "set", "2027-Q1", "--goal-clients", "-1", expect=2)
    assert "--goal-clients" in result.stderr
    assert dossier.json("plan", "list") == []


# ---------------------------------------------------------------- edit as YAML
PLAN_YAML = """\
territories: [Хабаровск, Амурская область]
markets:
  - food production
who: Анна
from_office: office
when: Tue/Thu afternoons
with: [exhibition]
goals:
  prospects: 12
  touches: 60
  clients: 2
"""


def test_edit_from_a_file_replaces_the_whole_plan(dossier, tmp_path):
    dossier(*FULL_PLAN)
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN_YAML, encoding="utf-8")
    result = dossier("plan", "edit", "2027-Q1", "--from", str(path))
    assert "Updated the plan for 2027-Q1." in result.stderr
    [row] = dossier.json("plan", "list")
    assert row["territories"] == ["Хабаровск", "Амурская область"]
    assert row["markets"] == ["food production"]
    assert row["who"] == "Анна"
    assert (row["goal_prospects"], row["goal_touches"], row["goal_clients"]) == (12, 60, 2)
    assert plan_events()[-1][0] == "update"


def test_edit_from_stdin_creates_a_plan_and_keys_may_be_left_out(dossier):
    result = dossier("plan", "edit", "2027-Q2", "--from", "-", input="territories: Хабаровск\ngoals: {clients: 3}\n")
    assert "Created the plan for 2027-Q2." in result.stderr
    [row] = dossier.json("plan", "list")
    assert row["territories"] == ["Хабаровск"]
    assert (row["goal_prospects"], row["goal_touches"], row["goal_clients"]) == (None, None, 3)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("goals:\n  prospects: 5\n  meetings: 3\n",
         ", line 3: key 'goals.meetings': unknown goal (goals are: prospects, touches, clients)"),
        ("territory: [Амур]\n", ", line 1: key 'territory': unknown key (keys are: territories, markets, who, from_office, when, with, goals)"),
        ("territories: [Амур\ngoals: {}\n", ", line 2: not valid YAML"),
        ("who: Анна\ngoals: {prospects: -1}\n", ", line 2: key 'goals.prospects': input should be greater than or equal to 0"),
        ("goals: {touches: many}\n", ", line 1: key 'goals.touches': input should be a valid integer"),
        ("- a list\n", ": expected keys such as 'territories:' and 'goals:' at the top level"),
    ],
)
def test_bad_plan_yaml_is_one_clear_error_and_changes_nothing(dossier, document, message):
    dossier(*FULL_PLAN)
    before = dossier.json("plan", "show", "2027-Q1")
    events = plan_events()
    result = dossier("plan", "edit", "2027-Q1", "--from", "-", input=document, expect=2)
    assert f"Error: plan YAML from stdin{message}" in result.stderr
    assert "nothing was changed" in result.stderr
    assert result.stderr.count("\n") == 1
    assert dossier.json("plan", "show", "2027-Q1") == before
    assert plan_events() == events


def test_edit_names_the_file_in_its_error(dossier, tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("territories: [Амур]\ngoals: {calls: 5}\n", encoding="utf-8")
    result = dossier("plan", "edit", "2027-Q1", "--from", str(path), expect=2)
    assert f"Error: plan file {path}, line 2: key 'goals.calls': unknown goal" in result.stderr
    result = dossier("plan", "edit", "2027-Q1", "--from", str(tmp_path / "missing.yaml"), expect=2)
    assert f"Error: plan file {tmp_path / 'missing.yaml'}: no such file" in result.stderr
    assert dossier.json("plan", "list") == []


def test_edit_without_a_terminal_asks_for_from(dossier):
    result = dossier("plan", "edit", "2027-Q1", expect=2)
    assert "not a terminal" in result.stderr and "--from FILE or --from -" in result.stderr


def test_edit_in_the_editor(dossier, monkeypatch, tmp_path):
    import sys

    from dossier_cli.cli import plan as plan_cli

    dossier(*FULL_PLAN)
    seen = tmp_path / "seen.yaml"
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import pathlib, shutil, sys\n"
        "path = pathlib.Path(sys.argv[-1])\n"
        f"shutil.copy(path, {str(seen)!r})\n"
        "path.write_text(path.read_text(encoding='utf-8').replace('prospects: 40', 'prospects: 45'), encoding='utf-8')\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(plan_cli, "is_interactive", lambda: True)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    result = dossier("plan", "edit", "2027-Q1")
    assert "Updated the plan for 2027-Q1." in result.stderr
    opened = seen.read_text(encoding="utf-8")
    assert "# The prospecting plan for 2027-Q1." in opened
    assert "- Khabarovsk" in opened and "prospects: 40" in opened
    assert dossier.json("plan", "list")[0]["goal_prospects"] == 45

    monkeypatch.setenv("EDITOR", "true")  # closed without a change
    result = dossier("plan", "edit", "2027-Q1")
    assert "No changes made in the editor: the plan for 2027-Q1 is unchanged." in result.stderr

    monkeypatch.setenv("EDITOR", "false")
    result = dossier("plan", "edit", "2027-Q1", expect=2)
    assert "Error: the editor 'false' exited with status 1; nothing was changed" in result.stderr
    assert dossier.json("plan", "list")[0]["goal_prospects"] == 45

    monkeypatch.setenv("EDITOR", 'vi "')  # cannot be parsed: the same error as `fill --edit`
    result = dossier("plan", "edit", "2027-Q1", expect=2)
    assert result.stderr == "Error: cannot run the editor 'vi \"': No closing quotation (set $EDITOR, or use --from FILE)\n"
    assert dossier.json("plan", "list")[0]["goal_prospects"] == 45


# ---------------------------------------------------------------- plan against actual
def build_a_quarter(dossier) -> date:
    """A quarter of activity with known numbers; returns the first day of the current quarter."""
    quarter = current_quarter()
    before = quarter.start - timedelta(days=1)
    dossier("plan", "set", quarter.label, "--territory", "Хабаровск", "--territory", "Vladivostok",
            "--market", "food production", "--market", "retail",
            "--goal-prospects", "4", "--goal-touches", "10", "--goal-clients", "2")
    # In the plan: by head-office city, by territory (case-insensitive Cyrillic), by market case.
    dossier("add", "company", "ООО «Ромашка»", "--city", "Хабаровск", "--industry", "food production")
    dossier("add", "company", "Вектор", "--city", "Комсомольск-на-Амуре", "--territory", "ХАБАРОВСК", "--industry", "Retail")
    dossier("add", "company", "Primorsky Fish", "--city", "vladivostok", "--industry", "FOOD PRODUCTION")
    # Outside: another market, another territory, no market at all.
    dossier("add", "company", "Amur Logistics", "--city", "хабаровск", "--industry", "logistics")
    dossier("add", "company", "АО «Дальсталь»", "--city", "Благовещенск", "--industry", "retail")
    dossier("add", "company", "Без рынка", "--city", "Хабаровск")
    # In the plan's territory and market, but listed last quarter: not a new prospect.
    dossier("add", "company", "Old Friend", "--city", "Хабаровск", "--industry", "food production")
    set_listed_on("Old Friend", before)

    for name, day in [("ООО «Ромашка»", quarter.start), ("ООО «Ромашка»", quarter.end), ("ООО «Ромашка»", before),
                      ("Вектор", quarter.start), ("Old Friend", quarter.start), ("Old Friend", quarter.end),
                      ("Amur Logistics", quarter.start), ("Amur Logistics", quarter.start),
                      ("Amur Logistics", quarter.end), ("АО «Дальсталь»", quarter.end)]:
        add_touch(name, day)
    add_stage_change("ООО «Ромашка»", "contacted", "client", quarter.start)
    add_stage_change("Old Friend", "negotiating", "regular", quarter.end)  # skipped past client: still won
    add_stage_change("Вектор", "client", "regular", quarter.start)  # already a client: not new
    add_stage_change("Amur Logistics", "negotiating", "client", quarter.start)
    add_stage_change("АО «Дальсталь»", "negotiating", "client", before)
    return quarter.start


def test_plan_show_reports_the_quarter_exactly_in_json(dossier):
    build_a_quarter(dossier)
    shown = dossier.json("plan", "show")
    assert shown["quarter"] == current_quarter().label
    assert shown["status"] == "in progress"
    goals = {g["goal"]: g for g in shown["goals"]}
    assert {k: goals["prospects"][k] for k in ("planned", "done", "remaining", "percent", "outside_plan")} == {
        "planned": 4, "done": 3, "remaining": 1, "percent": 75, "outside_plan": 3}
    assert {k: goals["touches"][k] for k in ("planned", "done", "remaining", "percent", "outside_plan")} == {
        "planned": 10, "done": 5, "remaining": 5, "percent": 50, "outside_plan": 4}
    assert {k: goals["clients"][k] for k in ("planned", "done", "remaining", "percent", "outside_plan")} == {
        "planned": 2, "done": 2, "remaining": 0, "percent": 100, "outside_plan": 1}
    assert goals["clients"]["needed_per_week"] == 0
    assert shown["outside_plan"] == [
        {"territory": "хабаровск", "market": "logistics", "prospects": 1, "touches": 3, "clients": 1},
        {"territory": "Благовещенск", "market": "retail", "prospects": 1, "touches": 1, "clients": 0},
        {"territory": "Хабаровск", "market": None, "prospects": 1, "touches": 0, "clients": 0},
    ]
    assert dossier.json("plan", "show", current_quarter().label) == shown


def test_plan_show_reports_the_quarter_exactly_in_the_table(dossier):
    build_a_quarter(dossier)
    result = dossier("plan", "show")
    lines = result.stdout.splitlines()

    def row(label: str) -> list[str]:
        [line] = [line for line in lines if line.startswith(f"| {label} ")]
        return [cell.strip() for cell in line.strip("|").split("|")]

    prospects, touches, clients = row("new prospects"), row("touches logged"), row("new clients")
    assert (prospects[1], prospects[2], prospects[4], prospects[6]) == ("4", "3", "75%", "3")
    assert (touches[1], touches[2], touches[4], touches[6]) == ("10", "5", "50%", "4")
    assert (clients[1], clients[2], clients[4], clients[5], clients[6]) == ("2", "2", "100%", "0", "1")
    assert "━" in prospects[3]  # the progress bar
    outside = result.stdout.split("Done outside the plan")[1]
    outside_rows = [[c.strip() for c in line.strip("|").split("|")] for line in outside.splitlines()
                    if line.startswith("| ") and "territory" not in line]
    assert outside_rows == [
        ["хабаровск", "logistics", "1", "3", "1"],
        ["Благовещенск", "retail", "1", "1", "0"],
        ["Хабаровск", "(none)", "1", "0", "0"],
    ]
    assert "Хабаровск, Vladivostok" in result.stdout


def test_plan_show_csv_has_the_goals(dossier):
    build_a_quarter(dossier)
    result = dossier("plan", "show", "--format", "csv")
    assert result.stdout.splitlines()[1].startswith("prospects,new prospects,4,3,1,75,")


def test_plan_show_without_a_plan(dossier):
    result = dossier("plan", "show", "2025-Q3", expect=3)
    assert "Error: there is no plan for 2025-Q3" in result.stderr
    assert "dossier plan set 2025-Q3" in result.stderr


def test_pace_for_a_quarter_in_progress_and_none_otherwise(dossier):
    from dossier_cli.selling import plan

    dossier("plan", "set", "2026-Q1", "--territory", "Хабаровск", "--goal-prospects", "13", "--goal-touches", "0")
    dossier("add", "company", "Вектор", "--territory", "хабаровск")
    set_listed_on("Вектор", date(2026, 1, 15))
    with session(write=False) as s:
        progress = plan.plan_progress(s, settings(), quarter="2026-Q1", today=date(2026, 3, 4))
        assert (progress["status"], progress["days_left"], progress["weeks_left"]) == ("in progress", 28, 4.0)
        goals = {g["goal"]: g for g in progress["goals"]}
        assert (goals["prospects"]["done"], goals["prospects"]["needed_per_week"]) == (1, 3.0)
        assert goals["touches"]["needed_per_week"] == 0
        assert goals["clients"]["planned"] is None and goals["clients"]["needed_per_week"] is None
        # 12 left in 27 days is 3.11 a week: rounded up, never down.
        later = plan.plan_progress(s, settings(), quarter="2026-Q1", today=date(2026, 3, 5))
        assert later["goals"][0]["needed_per_week"] == 3.2
        finished = plan.plan_progress(s, settings(), quarter="2026-Q1", today=date(2026, 4, 1))
        assert finished["status"] == "finished" and finished["goals"][0]["needed_per_week"] is None
        upcoming = plan.plan_progress(s, settings(), quarter="2026-Q1", today=date(2025, 12, 31))
        assert upcoming["status"] == "upcoming" and upcoming["weeks_left"] is None


def test_show_defaults_to_the_quarter_of_today(dossier):
    from dossier_cli.selling import plan

    dossier("plan", "set", "2026-Q1", "--goal-prospects", "1")
    with session(write=False) as s:
        assert plan.plan_progress(s, settings(), quarter=None, today=date(2026, 2, 1))["quarter"] == "2026-Q1"


def test_cyrillic_territories_and_markets_match_case_insensitively(dossier):
    quarter = current_quarter().label
    dossier("plan", "set", quarter, "--territory", "ХАБАРОВСКИЙ КРАЙ", "--market", "пищевое производство")
    dossier("add", "company", "Ёлка", "--territory", "Хабаровский край", "--industry", "Пищевое Производство")
    dossier("add", "company", "Берёза", "--city", "хабаровский  край", "--industry", "ПИЩЕВОЕ ПРОИЗВОДСТВО")
    dossier("add", "company", "Сосна", "--territory", "Приморский край", "--industry", "пищевое производство")
    goals = {g["goal"]: g for g in dossier.json("plan", "show")["goals"]}
    assert (goals["prospects"]["done"], goals["prospects"]["outside_plan"]) == (2, 1)


def test_a_plan_without_territories_or_markets_counts_everything(dossier):
    quarter = current_quarter().label
    dossier("plan", "set", quarter, "--goal-prospects", "5")
    dossier("add", "company", "Ёлка", "--city", "Хабаровск")
    dossier("add", "company", "Сосна")
    shown = dossier.json("plan", "show")
    assert shown["goals"][0]["done"] == 2
    assert shown["outside_plan"] == []


def test_user_text_in_the_plan_is_not_markup(dossier):
    quarter = current_quarter().label
    dossier("plan", "set", quarter, "--who", "[bold]Anna[/bold]", "--territory", "[red]X")
    result = dossier("plan", "show")
    assert "[bold]Anna[/bold]" in result.stdout
    assert "[red]X" in result.stdout


# ---------------------------------------------------------------- the reminder
def test_reminder_appears_and_disappears_as_plans_and_reviews_are_recorded(dossier):
    from dossier_cli.selling import plan

    today = date(2027, 2, 10)

    def reminder():
        with session(write=False) as s:
            return plan.plan_reminder(s, settings(), today)

    first = reminder()
    assert first is not None and "no plan for 2027-Q1" in first and "2026-Q4" not in first
    dossier("plan", "set", "2026-Q4", "--goal-prospects", "10")
    both = reminder()
    assert "no plan for 2027-Q1" in both and "the 2026-Q4 plan has not been reviewed" in both
    assert "\n" not in both
    dossier("plan", "copy", "2026-Q4", "2027-Q1")
    only_review = reminder()
    assert "2027-Q1" not in only_review and 'dossier plan review 2026-Q4 --note "…"' in only_review
    dossier("plan", "review", "2026-Q4", "--note", "referrals worked")
    assert reminder() is None


def test_plan_list_prints_the_reminder_on_stderr(dossier):
    label = current_quarter().label
    result = dossier("plan", "list")
    assert f"Reminder: there is no plan for {label} yet" in result.stderr
    assert result.stdout == ""
    dossier("plan", "set", label, "--goal-touches", "20")
    result = dossier("plan", "list", "--format", "json")
    assert "Reminder" not in result.stderr
    assert json.loads(result.stdout)[0]["quarter"] == label


def test_agenda_and_pipeline_remind_until_the_plan_is_set_and_reviewed(dossier):
    from dossier_cli.parsing import current_quarter
    from dossier_cli.selling.plan import previous_quarter

    this_quarter = current_quarter().label
    last_quarter = previous_quarter(current_quarter()).label
    for command in (["agenda"], ["pipeline"]):
        assert "Reminder:" in dossier(*command).stderr
    dossier("plan", "set", this_quarter, "--territory", "Хабаровск", "--goal-prospects", "5")
    dossier("plan", "set", last_quarter, "--territory", "Хабаровск")
    assert "Reminder:" in dossier("agenda").stderr  # last quarter ended without a review
    dossier("plan", "review", last_quarter, "--note", "выставки сработали")
    for command in (["agenda"], ["pipeline"]):
        assert "Reminder:" not in dossier(*command).stderr
