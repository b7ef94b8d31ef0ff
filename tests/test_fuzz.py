"""Property-based: arbitrary text in every argument never crashes dossier or corrupts data.

For each command: the exit code is a documented one, stderr never holds a traceback,
a failing command changes nothing, and a succeeding one stored what was given.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier_cli.errors import ExitCode

DOCUMENTED = {int(code) for code in ExitCode}
EXAMPLES = 200

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
