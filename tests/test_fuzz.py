"""Property-based: arbitrary text in every argument never crashes dossier or corrupts data.

For each command: the exit code is a documented one, stderr never holds a traceback,
a failing command changes nothing, and a succeeding one stored what was given.
"""

from __future__ import annotations

import io
import json
import os
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier_cli.errors import ExitCode

pytestmark = pytest.mark.slow

DOCUMENTED = {int(code) for code in ExitCode}
# Examples per property. The default run keeps every property at a small depth, so the
# README's test command stays quick; .ci/run sets FUZZ_EXAMPLES=200 for the full depth.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))

nasty = st.sampled_from([
    "", " ", "[/]", "[bold]x", "'; DROP TABLE company; --", '"', "*", "-", "NOT", "C++", "O'Brien", "%", "_",
    "ромашка", "РОМАШКА", "Ёж", "🙂", "\t", "\r\n", "\x1b[31m", "=1+2", "@SUM(A1)", "a" * 20_000, "1", "0", "-1",
])
any_text = st.one_of(nasty, st.text(max_size=60), st.text(alphabet="абвгдеёжзАБВГДЕЁЖЗ «»\"'[]/*-%_", max_size=30))

FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                              HealthCheck.too_slow])


def _snapshot(dossier) -> str:
    return dossier("list", "companies", "--status", "all", "--limit", "10000", "--format", "json").stdout


def _assert_clean(result) -> None:
    assert result.exit_code in DOCUMENTED, (result.exit_code, result.stderr[-500:])
    assert "Traceback" not in result.stderr
    if result.exit_code != 0:
        assert result.stderr.startswith(("Error:", "Usage:")) or "Error" in result.stderr, result.stderr[-300:]


def _arg_ok(value: str) -> bool:
    # An argument starting with '-' is an option to any command line parser, not data.
    return not value.startswith("-")


@FUZZ
@given(name=any_text, city=any_text, note=any_text)
def test_add_company_with_any_text(dossier, name, city, note):
    if not _arg_ok(name):
        name = "x" + name
    before = _snapshot(dossier)
    result = dossier("add", "company", name, "--city", city, "--note", note, "--allow-duplicate",
                     "--format", "json", expect=None)
    _assert_clean(result)
    if result.exit_code != 0:
        assert _snapshot(dossier) == before
        return
    stored = json.loads(result.stdout)
    assert stored["name"] == " ".join(name.split())
    assert stored["city"] == (city.strip() or None)
    assert stored["notes"] == (note.strip() or None)
    shown = dossier.json("show", "company", str(stored["id"]))
    assert shown["name"] == stored["name"]


@FUZZ
@given(ref=any_text, source=any_text, activity=any_text, founded=any_text)
def test_lookups_and_filters_with_any_text(dossier, ref, source, activity, founded):
    if not _snapshot(dossier).strip().startswith("[\n"):
        dossier("add", "company", "ООО «Ромашка»", "--city", "Хабаровск")
        dossier("add", "company", "Amur Logistics")
    before = _snapshot(dossier)
    if _arg_ok(ref):
        _assert_clean(dossier("show", "company", ref, expect=None))
        _assert_clean(dossier("edit", "company", ref, "--source", source, "--activity", activity,
                              "--founded", founded, expect=None))
    _assert_clean(dossier("list", "companies", "--city", ref, "--source", source, "--activity", activity,
                          expect=None))
    after = _snapshot(dossier)
    if after != before:  # only a successful edit may change anything
        edited = [c for c in json.loads(after) if c not in json.loads(before)]
        assert len(edited) == 1


# ---------------------------------------------------------------- the other command groups
# Each group runs GROUP_EXAMPLES examples; a snapshot of the whole database (the
# document of `export all`, read in-process, which is cheap) is compared around every
# command that failed.
GROUP_EXAMPLES = EXAMPLES
GROUP = settings(max_examples=GROUP_EXAMPLES, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

day = st.one_of(st.dates(min_value=date(1990, 1, 1), max_value=date(2026, 6, 30)).map(date.isoformat),
                st.dates().map(lambda d: d.strftime("%d.%m.%Y")), any_text)
amount = st.one_of(st.integers(-10**15, 10**15).map(str),
                   st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str), any_text)
_seeded: set[str] = set()


def _db_snapshot() -> str:
    from dossier_cli.transfer import exporting as exporter
    from dossier_cli.cli.base import reset_state, state
    from dossier_cli.store import session_scope

    reset_state(database_flag=None, debug=False)
    stream = io.StringIO()
    with session_scope(state.settings().database, write=False) as session:
        exporter.write_all_json(session, stream)
    document = json.loads(stream.getvalue())
    document.pop("exported_at", None)
    return json.dumps(document, sort_keys=True, ensure_ascii=False)


def _seed(dossier) -> None:
    home = os.environ["HOME"]
    if home in _seeded:
        return
    # Listed long ago, so that the dated events the examples give may be recorded.
    dossier("add", "company", "ООО «Ромашка»", "--city", "Хабаровск", "--listed-on", "1990-01-01")
    dossier("add", "company", "Amur Logistics", "--city", "Владивосток", "--listed-on", "1990-01-01")
    dossier("add", "person", "Иван Петров", "--company", "ромашка", "--role", "economic-buyer")
    dossier("add", "sale", "ромашка", "1000", "--date", "2026-01-15")
    _seeded.add(home)
    _cached.pop(home, None)


_cached: dict[str, str] = {}  # HOME -> the snapshot, while it is known to be current


def _run(dossier, *args: str, write: bool = True):
    """Run a command line; if it failed, check it changed nothing. Returns the result."""
    home = os.environ["HOME"]
    before = _cached.pop(home, None) or _db_snapshot()
    result = dossier(*args, expect=None)
    _assert_clean(result)
    if result.exit_code != 0:
        after = _db_snapshot()
        assert after == before, f"dossier {' '.join(args)[:200]} failed but changed the database"
        _cached[home] = after
    elif not write:
        _cached[home] = before
    return result


def _ref(value: str, real: str) -> str:
    return value if _arg_ok(value) else real


refs = st.one_of(st.sampled_from(["ромашка", "Amur", "1", "2", "999", "Иван", "петров"]), any_text)
stages = st.one_of(st.sampled_from(["target", "prospect", "qualified", "client", "lost", "партнёр"]), any_text)


@GROUP
@given(name=any_text, phone=any_text, email=any_text, note=any_text, ref=refs, role=any_text)
def test_people_with_any_text(dossier, name, phone, email, note, ref, role):
    _seed(dossier)
    name = _ref(name, "x" + name)
    result = _run(dossier, "add", "person", name, "--phone", phone, "--email", email, "--note", note,
                  "--allow-duplicate", "--format", "json")
    if result.exit_code == 0:
        stored = json.loads(result.stdout)
        assert stored["name"] == " ".join(name.split())
        assert stored["notes"] == (note.strip() or None)
        shown = dossier.json("show", "person", str(stored["id"]))
        assert (shown["name"], shown["phone"], shown["email"]) == (stored["name"], stored["phone"], stored["email"])
    ref = _ref(ref, "Иван")
    _run(dossier, "show", "person", ref, write=False)
    edited = _run(dossier, "edit", "person", ref, "--note", note, "--format", "json")
    if edited.exit_code == 0:
        assert json.loads(edited.stdout)["notes"] == (note.strip() or None)
    _run(dossier, "list", "people", "--role", role, write=False)
    _run(dossier, "link", "person", ref, "ромашка", "--role", role)


@pytest.fixture
def gate_off(no_dossier_gate):
    return no_dossier_gate


@GROUP
@given(ref=refs, stage=stages, when=day, note=any_text, liquidate=st.booleans())
def test_pipeline_with_any_text(dossier, gate_off, ref, stage, when, note, liquidate):
    _seed(dossier)
    ref = _ref(ref, "Amur")
    result = _run(dossier, "promote", ref, "--to", stage, "--date", when, "--note", note)
    if result.exit_code == 0:
        last = dossier.json("history", ref)[-1]
        assert last.get("note") in (note.strip() or None, note)
    _run(dossier, "history", ref, write=False)
    if liquidate:
        name = f"Закрытие {len(_db_snapshot())}"
        dossier("add", "company", name, "--listed-on", "1990-01-01")
        _cached.pop(os.environ["HOME"], None)
        done = _run(dossier, "liquidate", name, "--date", when, "--note", note)
        if done.exit_code == 0:
            shown = dossier.json("show", "company", name)
            assert shown["status"] == "liquidated"


@GROUP
@given(ref=refs, money=amount, when=day, invoice=any_text, note=any_text, score=any_text, period=any_text)
def test_sales_with_any_text(dossier, ref, money, when, invoice, note, score, period):
    _seed(dossier)
    ref = _ref(ref, "ромашка")
    money = _ref(money, money.lstrip("-") or "1")
    result = _run(dossier, "add", "sale", ref, money, "--date", when, "--ref", invoice, "--note", note,
                  "--format", "json")
    if result.exit_code == 0:
        stored = json.loads(result.stdout)
        assert stored["reference"] == (" ".join(invoice.split()) or None)  # an invoice number is one line
        assert stored["note"] == (note.strip() or None)
        assert stored["amount_minor"] > 0
    _run(dossier, "rate", ref, _ref(score, "5"), "--note", note, "--date", when)
    _run(dossier, "top10", "--period", period, write=False)
    _run(dossier, "abc", "--period", period, write=False)


@GROUP
@given(ref=refs, kind=st.one_of(st.sampled_from(["call", "email", "visit", "звонок"]), any_text),
       outcome=any_text, when=day, note=any_text, person=refs, days=any_text)
def test_touches_with_any_text(dossier, ref, kind, outcome, when, note, person, days):
    _seed(dossier)
    ref = _ref(ref, "ромашка")
    args = ["add", "touch", ref, "--kind", kind, "--date", when, "--note", note, "--format", "json"]
    if _arg_ok(outcome) and outcome:
        args += ["--outcome", outcome]
    if _arg_ok(person) and person:
        args += ["--person", person]
    result = _run(dossier, *args)
    if result.exit_code == 0:
        stored = json.loads(result.stdout)
        assert stored["note"] == (note.strip() or None)
        assert any(t["id"] == stored["id"] and t["note"] == stored["note"] for t in dossier.json("list", "touches", "--limit", "1000"))
    _run(dossier, "agenda", "--days", days, write=False)


@GROUP
@given(ref=refs, key=st.one_of(st.sampled_from(["competitors", "strategy", "founded", "branches", "decision_maker"]), any_text),
       value=any_text)
def test_dossier_with_any_text(dossier, ref, key, value):
    _seed(dossier)
    ref = _ref(ref, "ромашка")
    result = _run(dossier, "fill", ref, "--set", f"{key}={value}")
    if result.exit_code == 0 and key == "competitors" and value.strip():
        items = {i["key"]: i for p in dossier.json("checklist", ref)["parts"] for i in p["items"] if not p["per_person"]}
        assert items["competitors"]["value"] is not None
    _run(dossier, "checklist", ref, write=False)


@GROUP
@given(quarter=st.one_of(st.sampled_from(["2027-Q1", "2026-q4", "2027Q2", "Q3 2027"]), any_text),
       territory=any_text, goal=any_text, who=any_text)
def test_plan_with_any_text(dossier, quarter, territory, goal, who):
    _seed(dossier)
    quarter = _ref(quarter, "2027-Q1")
    args = ["plan", "set", quarter, "--territory", territory, "--who", who, "--format", "json"]
    if _arg_ok(goal):
        args += ["--goal-prospects", goal]
    result = _run(dossier, *args)
    if result.exit_code == 0:
        stored = json.loads(result.stdout)
        assert stored["who"] == (who.strip() or None)


@GROUP
@given(text=any_text, kind=st.one_of(st.none(), st.sampled_from(["companies", "people", "touches", "dossier"]), any_text))
def test_search_with_any_text(dossier, text, kind):
    _seed(dossier)
    args = ["search", _ref(text, "x" + text), "--format", "json"]
    if kind is not None:
        args += ["--kind", kind]
    result = _run(dossier, *args, write=False)
    if result.exit_code == 0:
        assert isinstance(json.loads(result.stdout), list)
