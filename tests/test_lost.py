"""Lost deals: `lose` with a reason, `reopen` into a new cycle, lost counts in `pipeline`,
`stats --by reason`, and how lost differs from liquidated. Every number is counted by hand
from the companies each test adds."""

from __future__ import annotations

import json
from datetime import date

import pytest

pytestmark = pytest.mark.usefixtures("no_dossier_gate")

TODAY = date.today().isoformat()
TODAY_RU = date.today().strftime("%d.%m.%Y")


def funnel(dossier) -> dict[str, dict]:
    return {row["stage"]: row for row in dossier.json("pipeline")}


@pytest.fixture
def four_lost(dossier):
    """Five prospects: Alpha lost at target (price), Beta at researching (competitor),
    Gamma and Delta at contacted (цена = price, no need); Echo still active at target."""
    for name in ("Alpha", "Beta", "Gamma", "Delta", "Echo"):
        dossier("add", "company", name, "--listed-on", "2020-01-01")
    dossier("promote", "Beta")
    dossier("promote", "Gamma", "--to", "contacted")
    dossier("promote", "Delta", "--to", "contacted")
    dossier("lose", "Alpha", "--reason", "price", "--note", "too dear")
    dossier("lose", "Beta", "--reason", "Competitor")
    dossier("lose", "Gamma", "--reason", "цена")
    dossier("lose", "Delta", "--reason", "нет потребности")
    return dossier


def test_lost_companies_leave_the_funnel_and_are_counted_at_the_stage_they_were_lost_at(four_lost):
    rows = funnel(four_lost)
    assert {stage: (row["companies"], row["lost"]) for stage, row in rows.items()} == {
        "target": (1, 1),
        "researching": (0, 1),
        "contacted": (0, 2),
        "negotiating": (0, 0),
        "client": (0, 0),
        "regular": (0, 0),
        "key": (0, 0),
    }
    table = four_lost("pipeline").stdout
    assert "lost here" in table


def test_lost_companies_stay_on_record_with_their_own_status(four_lost):
    active = [c["name"] for c in four_lost.json("list", "companies")]
    assert active == ["Echo"]
    lost = [c["name"] for c in four_lost.json("list", "companies", "--status", "lost")]
    assert lost == ["Alpha", "Beta", "Delta", "Gamma"]
    shown = four_lost.json("show", "company", "Gamma")
    assert (shown["status"], shown["stage"], shown["cycle"]) == ("lost", "contacted", 1)
    assert (shown["lost_on"], shown["lost_reason"]) == (TODAY, "price")
    alpha = four_lost.json("show", "company", "Alpha")
    assert (alpha["lost_reason"], alpha["lost_note"]) == ("price", "too dear")
    assert "lost_reason" not in four_lost.json("show", "company", "Echo")


def test_stats_by_reason_gives_counts_and_shares(four_lost):
    report = four_lost.json("stats", "--by", "reason")
    assert report["lost"] == 4
    assert [(r["reason"], r["lost"], r["share_percent"]) for r in report["reasons"]] == [
        ("price", 2, 50.0),
        ("competitor", 1, 25.0),
        ("no need", 1, 25.0),
        ("no budget", 0, 0.0),
        ("no answer", 0, 0.0),
        ("bad timing", 0, 0.0),
        ("other", 0, 0.0),
    ]
    this_year = four_lost.json("stats", "--by", "reason", "--period", str(date.today().year))
    assert this_year["lost"] == 4
    long_ago = four_lost.json("stats", "--by", "reason", "--period", "2020")
    assert long_ago["lost"] == 0 and all(r["lost"] == 0 for r in long_ago["reasons"])
    table = four_lost("stats", "--by", "reason").stdout
    assert "price" in table and "50%" in table


def test_a_lost_company_cannot_move_until_reopened(four_lost):
    result = four_lost("promote", "Alpha", expect=4)
    assert result.stderr.startswith("Error: Alpha was lost") and "reopen" in result.stderr
    again = four_lost("lose", "Alpha", "--reason", "other", expect=4)
    assert f"Error: Alpha was already lost on {TODAY}" in again.stderr
    not_lost = four_lost("reopen", "Echo", expect=4)
    assert "Error: Echo is active, not lost" in not_lost.stderr


def test_reopen_starts_a_new_cycle_at_the_first_stage_and_history_shows_both(four_lost):
    four_lost("reopen", "Gamma", "--note", "new buyer")
    four_lost("promote", "Gamma")
    shown = four_lost.json("show", "company", "Gamma")
    assert (shown["status"], shown["stage"]) == ("active", "researching")
    history = four_lost.json("history", "Gamma")
    assert [(h["cycle"], h["event"], h["from_stage"], h["to_stage"], h["reason"]) for h in history] == [
        (1, "move", None, "target", None),
        (1, "move", "target", "contacted", None),
        (1, "lost", "contacted", None, "price"),
        (2, "reopen", None, "target", None),
        (2, "move", "target", "researching", None),
    ]
    assert history[3]["note"] == "new buyer"
    # Within the new cycle, stages still move forward only.
    back = four_lost("promote", "Gamma", "--to", "target", expect=4)
    assert "stages only move forward" in back.stderr
    rows = funnel(four_lost)
    assert (rows["researching"]["companies"], rows["researching"]["lost"]) == (1, 1)
    assert (rows["contacted"]["companies"], rows["contacted"]["lost"]) == (0, 1)
    # The loss stays in the reasons: it happened.
    assert four_lost.json("stats", "--by", "reason")["lost"] == 4
    # Lost again in the second cycle: counted twice.
    four_lost("lose", "Gamma", "--reason", "bad timing")
    reasons = {r["reason"]: r["lost"] for r in four_lost.json("stats", "--by", "reason")["reasons"]}
    assert (reasons["price"], reasons["bad timing"]) == (2, 1)


def test_lost_is_not_liquidated(four_lost):
    four_lost("liquidate", "Beta", "--note", "closed down")
    shown = four_lost.json("show", "company", "Beta")
    assert shown["status"] == "liquidated"
    assert funnel(four_lost)["researching"]["lost"] == 0  # gone, not lost
    reopened = four_lost("reopen", "Beta", expect=4)
    assert "Error: Beta is liquidated, not lost" in reopened.stderr
    four_lost("lose", "Echo", "--reason", "price")  # an active company can be lost
    four_lost("add", "company", "Foxtrot", "--listed-on", "2020-01-01")
    four_lost("liquidate", "Foxtrot")
    gone = four_lost("lose", "Foxtrot", "--reason", "price", expect=4)
    assert gone.stderr.startswith("Error: Foxtrot was liquidated")


def test_bad_reason_or_date_is_one_error_line_and_changes_nothing(four_lost):
    result = four_lost("lose", "Echo", "--reason", "weather", expect=2)
    assert result.stderr.splitlines()[0].startswith("Error: unknown lost reason 'weather'")
    assert "price, competitor, no budget" in result.stderr
    early = four_lost("lose", "Echo", "--reason", "price", "--date", "2019-12-31", expect=4)
    assert "cannot be lost on 2019-12-31" in early.stderr
    future = four_lost("lose", "Echo", "--reason", "price", "--date", "2999-01-01", expect=2)
    assert future.stderr.startswith("Error:")
    assert four_lost.json("show", "company", "Echo")["status"] == "active"
    assert four_lost.json("stats", "--by", "reason")["lost"] == 4


def test_the_config_adds_reasons(dossier, tmp_path, monkeypatch):
    config = tmp_path / "reasons.yaml"
    config.write_text("dossier:\n  threshold: 0\nlost_reasons: [merger, 'сменили поставщика']\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    dossier("add", "company", "Ромашка", "--listed-on", "2020-01-01")
    dossier("add", "company", "Лютик", "--listed-on", "2020-01-01")
    dossier("lose", "Ромашка", "--reason", "Merger")
    dossier("lose", "Лютик", "--reason", "СМЕНИЛИ ПОСТАВЩИКА")
    report = dossier.json("stats", "--by", "reason")
    assert [(r["reason"], r["lost"]) for r in report["reasons"][:2]] == [("merger", 1), ("сменили поставщика", 1)]
    assert [r["reason"] for r in report["reasons"][2:]] == ["price", "competitor", "no budget", "no need", "no answer", "bad timing", "other"]


def test_lose_and_reopen_are_audited(four_lost):
    four_lost("reopen", "Alpha")
    events = four_lost.json("audit", "--company", "Alpha")
    actions = [e["action"] for e in events]
    assert "lose" in actions and "reopen" in actions


def test_in_russian(dossier, tmp_path, monkeypatch):
    config = tmp_path / "ru.yaml"
    config.write_text("language: ru\ndossier:\n  threshold: 0\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    dossier("add", "company", "Ромашка", "--listed-on", "2020-01-01")
    result = dossier("lose", "ромашка", "--reason", "нет бюджета", "--date", date.today().strftime("%d.%m.%Y"))
    assert result.stderr.startswith(f"Ромашка: сделка проиграна на стадии цель (нет бюджета, {TODAY_RU}).")
    table = dossier("stats", "--by", "reason").stdout
    assert "нет бюджета" in table and "100%" in table
    assert dossier.json("stats", "--by", "reason")["reasons"][0]["reason"] == "no budget"  # JSON keeps the stored value
    again = dossier("lose", "ромашка", "--reason", "цена", expect=4)
    assert again.stderr.startswith(f"Ошибка: Ромашка уже проиграна {TODAY_RU}")
    unknown = dossier("reopen", "ромашка", "--date", "2019-12-31", expect=4)
    assert "вернуть её 31.12.2019 нельзя" in unknown.stderr
    back = dossier("reopen", "ромашка")
    assert back.stderr.startswith(f"Ромашка снова в воронке на стадии цель (цикл 2, {TODAY_RU}).")
    reason = dossier("lose", "ромашка", "--reason", "погода", expect=2)
    assert reason.stderr.startswith("Ошибка: неизвестная причина проигрыша 'погода' (причины: цена, конкурент, нет бюджета")


def test_lose_and_reopen_say_the_day_as_russians_write_it(dossier, monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    dossier("add", "company", "Зейская Сталь", "--listed-on", "2026-01-01")
    lost = dossier("lose", "Зейская", "--reason", "price", "--date", "2026-03-05")
    assert "05.03.2026" in lost.stderr and "2026-03-05" not in lost.stderr, lost.stderr
    back = dossier("reopen", "Зейская", "--date", "2026-04-07")
    assert "07.04.2026" in back.stderr and "2026-04-07" not in back.stderr, back.stderr
    early = dossier("add", "sale", "Зейская", "1000", "--date", "2025-12-31", expect=4)
    assert "31.12.2025" in early.stderr and "01.01.2026" in early.stderr, early.stderr
