"""Every test runs in its own home: no test touches the real user's files or database."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("DOSSIER_USER", "tester")
    for name in ("DOSSIER_DB", "DOSSIER_CONFIG", "DOSSIER_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    pg_url = os.environ.get("DOSSIER_TEST_PG_URL")
    if pg_url:
        # The whole suite runs against PostgreSQL when CI provides a server.
        from tests.pg import fresh_database_url

        monkeypatch.setenv("DOSSIER_DB", fresh_database_url(pg_url))
    yield home
    from dossier_cli.store import dispose_engines

    dispose_engines()


class Run:
    """Runs `dossier …` in-process, the way a user types it."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, expect: int | None = 0):
        from dossier_cli.cli.app import app
        from dossier_cli.cli.base import state

        state.command_words.clear()
        result = self.runner.invoke(app, list(args), input=input, catch_exceptions=False)
        if expect is not None:
            assert result.exit_code == expect, (
                f"dossier {' '.join(args)} exited {result.exit_code}, expected {expect}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        return result

    def json(self, *args: str):
        result = self(*args, "--format", "json")
        return json.loads(result.stdout)


@pytest.fixture
def dossier() -> Callable[..., object]:
    return Run()


@pytest.fixture
def db_path(isolated_home: Path) -> Path:
    return isolated_home / ".local/share/dossier/dossier.db"


@pytest.fixture
def no_dossier_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config with a 0% dossier threshold, for tests about stages rather than the dossier."""
    config = tmp_path / "no-gate.yaml"
    config.write_text("dossier:\n  threshold: 0\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    return config
