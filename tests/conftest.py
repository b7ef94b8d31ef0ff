"""Every test runs in its own home: no test touches the real user's files or database."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner


@pytest.fixture(autouse=True, scope="session")
def commands_imported_in_english() -> None:
    """Help texts written at import time (`help=_("…")`) stay English in this process, whichever
    test first imports a command module; Russian help is checked in a subprocess (test_i18n)."""
    from importlib import import_module

    from dossier_cli import i18n
    from dossier_cli.cli.app import COMMANDS, VERB_MODULES

    i18n.set_language("en")
    for module in {*VERB_MODULES, *(entry[0].split(":")[0] for entry in COMMANDS.values() if isinstance(entry, tuple))}:
        import_module(module)
    i18n.reset()


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
    for name in ("DOSSIER_DB", "DOSSIER_CONFIG", "DOSSIER_DEBUG", "DOSSIER_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")  # English unless a test asks for Russian
    from dossier_cli import i18n

    i18n.reset()
    from tests import pg

    pg_database = None
    if pg.suite_on_postgres():
        # The whole suite runs against PostgreSQL when CI provides a server.
        pg_database = pg.fresh_database_url(pg.server_url())
        monkeypatch.setenv("DOSSIER_DB", pg_database)
    yield home
    from dossier_cli.store import dispose_engines

    dispose_engines()
    if pg_database:
        pg.drop_database(pg_database)


class Run:
    """Runs `dossier …` in-process, the way a user types it."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, expect: int | None = 0):
        from dossier_cli.cli.app import app
        from dossier_cli import i18n
        from dossier_cli.cli.base import state

        state.command_words.clear()
        i18n.reset()  # each run works out its language afresh, as a new process would
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
    """The default SQLite file (unused when the suite runs on PostgreSQL: DOSSIER_DB wins)."""
    return isolated_home / ".local/share/dossier/dossier.db"


@pytest.fixture
def no_dossier_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config with a 0% dossier threshold, for tests about stages rather than the dossier."""
    config = tmp_path / "no-gate.yaml"
    config.write_text("dossier:\n  threshold: 0\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    return config


@pytest.fixture
def sqlite_only() -> None:
    """For tests about the SQLite file itself: they skip when the suite runs on PostgreSQL."""
    from tests import pg

    if pg.suite_on_postgres():
        pytest.skip("about the SQLite file; this run uses PostgreSQL (the SQLite run covers it)")


@pytest.fixture
def pg_server() -> str:
    """The PostgreSQL server for tests that need one whatever the suite's backend."""
    from tests import pg

    return pg.require_server()


@pytest.fixture
def pg_database(pg_server: str) -> str:
    """A fresh PostgreSQL database (URL), dropped after the test."""
    from tests import pg

    url = pg.fresh_database_url(pg_server)
    yield url
    from dossier_cli.store import dispose_engines

    dispose_engines()
    pg.drop_database(url)


_BUILT: dict[str, Path] = {}  # key -> a copy of the database a fixture built (per worker process)


@pytest.fixture
def built_once(isolated_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., None]:
    """`built_once(key, build)`: the first test asking runs `build()`; later ones get a copy of its database.

    For fixtures that make the same records through many commands (test_top10, test_stats):
    what the later tests start from is the very file the commands made. On PostgreSQL, or
    with DOSSIER_DB set, every test builds its own.
    """
    import shutil
    import sqlite3

    from dossier_cli.store import dispose_engines
    from tests import pg

    database = isolated_home / ".local/share/dossier/dossier.db"

    def use(key: str, build: Callable[[], object]) -> None:
        if pg.suite_on_postgres() or os.environ.get("DOSSIER_DB"):
            build()
            return
        template = _BUILT.get(key)
        if template is None:
            build()
            dispose_engines()
            with sqlite3.connect(database) as conn:  # everything into the main file
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
            template = tmp_path_factory.mktemp("built") / f"{key}.db"
            shutil.copyfile(database, template)
            _BUILT[key] = template
            return
        dispose_engines()
        database.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copyfile(template, database)
        database.chmod(0o600)

    return use
