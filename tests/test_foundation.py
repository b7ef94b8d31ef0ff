"""Installation-level behaviour: files, permissions, config, exit codes, fast start."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from dossier_cli.errors import ExitCode


def test_database_is_created_owner_only(dossier, db_path, sqlite_only):
    dossier("add", "company", "Ромашка")
    assert db_path.exists()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700
    for suffix in ("-wal", "-shm"):
        extra = Path(f"{db_path}{suffix}")
        if extra.exists():
            assert stat.S_IMODE(extra.stat().st_mode) == 0o600


def test_db_flag_and_env_choose_the_file(dossier, tmp_path, monkeypatch):
    if os.environ.get("DOSSIER_TEST_PG_URL"):
        pytest.skip("checks SQLite file placement")
    flagged = tmp_path / "flag.db"
    dossier("--db", str(flagged), "add", "company", "Flag Co")
    assert flagged.exists()
    monkeypatch.setenv("DOSSIER_DB", str(tmp_path / "env.db"))
    dossier("add", "company", "Env Co")
    assert (tmp_path / "env.db").exists()
    assert [c["name"] for c in dossier.json("list", "companies")] == ["Env Co"]
    assert [c["name"] for c in dossier.json("--db", str(flagged), "list", "companies")] == ["Flag Co"]


def test_config_show_masks_password_and_names_origins(dossier, monkeypatch):
    monkeypatch.setenv("DOSSIER_DB", "postgresql://sales:s3cret@db.internal/dossier")
    shown = dossier.json("config", "show")
    settings = {row["setting"]: row for row in shown["settings"]}
    assert settings["database"]["value"] == "postgresql://sales:***@db.internal/dossier"
    assert settings["database"]["from"] == "environment DOSSIER_DB"
    assert settings["user"]["value"] == "tester"
    assert "s3cret" not in json.dumps(shown)


def test_config_file_extends_sources(dossier, tmp_path, monkeypatch):
    config = tmp_path / "config.yaml"
    config.write_text("sources:\n  - Дальэкспо\ncurrency: RUB\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    dossier("add", "company", "Ромашка", "--source", "дальэкспо")
    assert dossier.json("show", "company", "ромашка")["source"] == "Дальэкспо"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("stages: [a, b, a]\n", "key 'stages'"),
        ("stages: []\n", "key 'stages'"),
        ("currency: RUB\ncolour: blue\n", ", line 2: key 'colour': unknown setting"),
        ("abc:\n  a_percent: 80\n  c_percent: 5\n", ", line 3: key 'abc.c_percent': unknown setting"),
        ("stale_days: lots\n", "key 'stale_days'"),
        ("sources: [unclosed\n", "not valid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
    ],
)
def test_bad_config_file_is_one_clear_error(dossier, tmp_path, monkeypatch, content, message):
    config = tmp_path / "config.yaml"
    config.write_text(content, encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    result = dossier("list", "companies", expect=ExitCode.USAGE)
    assert str(config) in result.stderr
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_debug_shows_traceback_only_when_asked(dossier):
    plain = dossier("show", "company", "nobody", expect=3)
    assert "Traceback" not in plain.stderr
    debug = dossier("--debug", "show", "company", "nobody", expect=3)
    assert "Traceback" in debug.stderr


def test_exit_codes_are_documented_in_the_readme():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for code in ExitCode:
        assert f"| {int(code)} " in readme, f"exit code {code.name} missing from README"


def test_schema_revision_matches_the_newest_migration():
    from dossier_cli.store import SCHEMA_REVISION

    import re

    # The head of the chain: the one revision no other revises (numbers are handed out per
    # piece of work, so the newest is not always the highest number).
    versions = Path(__file__).parents[1] / "src/dossier_cli/migrations/versions"
    revises: dict[str, str | None] = {}
    for path in versions.glob("[0-9]*.py"):
        text = path.read_text(encoding="utf-8")
        revision = re.search(r"^revision = '([^']+)'", text, re.M).group(1)
        down = re.search(r"^down_revision = (?:'([^']+)'|None)", text, re.M).group(1)
        revises[revision] = down
    heads = set(revises) - {down for down in revises.values() if down}
    assert heads == {SCHEMA_REVISION}
    assert len(set(revises.values())) == len(revises)  # one chain, no branches


def test_models_agree_with_migrations(tmp_path):
    """The tables the migrations create are the tables models.py describes."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from dossier_cli.models import load_all


    load_all()  # registers every table
    from dossier_cli.store import get_engine, open_engine

    database = str(tmp_path / "m.db")
    open_engine(database)
    with get_engine(database).connect() as conn:
        # The search index (an FTS5 table and its shadow tables) is not a model.
        from dossier_cli.search import INDEX_TABLE

        def is_index_table(name: str) -> bool:  # the FTS5 table and its shadow tables
            return name == INDEX_TABLE or name.startswith(f"{INDEX_TABLE}_")

        opts = {"include_name": lambda name, type_, parents: not (type_ == "table" and is_index_table(name))}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), SQLModel.metadata)
    assert diff == []


def test_older_database_is_upgraded_in_place(tmp_path):
    """A database made by an older dossier (schema 0002) keeps its rows when opened, is
    backed up first, and its companies are filed in the name index the upgrade adds."""
    from pathlib import Path

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    import dossier_cli.store as store
    from dossier_cli.store import dispose_engines, get_engine, open_engine

    database = str(tmp_path / "old.db")
    engine = get_engine(database)
    config = Config()
    config.set_main_option("script_location", str(Path(store.__file__).parent / "migrations"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
        conn.execute(text("INSERT INTO company (name, name_key, search_key, stage, status, listed_on, created_at, updated_at) "
                          "VALUES ('ООО «Ромашка»', 'ромашка', 'ооо «ромашка»', 'target', 'active', '2020-01-01', '2020-01-01', '2020-01-01')"))
    dispose_engines()
    open_engine(database)
    with get_engine(database).connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == store.SCHEMA_REVISION
        assert conn.execute(text("SELECT name FROM company")).scalar() == "ООО «Ромашка»"
        filed = {row[0] for row in conn.execute(text("SELECT block FROM company_name_block"))}
        assert filed == {"roma", "<roma", ">shka"}
    assert (tmp_path / "old.db.before-upgrade-0002.bak").exists()


def _run_python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("env", [
    {"HOME": "/home/анна"},
    {"HOME": "/home/anna/", "XDG_CONFIG_HOME": "/srv/conf", "XDG_DATA_HOME": "/srv/data"},
    {"HOME": "/home/anna", "XDG_CONFIG_HOME": "relative/conf", "XDG_DATA_HOME": ""},
    {"HOME": "relative", "XDG_CONFIG_HOME": "/srv/conf"},
])
def test_the_config_and_data_folders_are_where_platformdirs_puts_them(env, monkeypatch):
    """dossier names its folders without importing platformdirs on Linux: the same folders."""
    from platformdirs import user_config_dir, user_data_dir

    from dossier_cli import paths

    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "DOSSIER_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert paths.config_path() == Path(user_config_dir("dossier", appauthor=False)) / "config.yaml"
    assert paths.data_dir() == Path(user_data_dir("dossier", appauthor=False))


def test_starting_up_does_not_import_platformdirs():
    out = _run_python("import sys\nsys.argv = ['dossier', '--version']\nfrom dossier_cli.cli.app import main\n"
                      "try:\n    main()\nexcept SystemExit:\n    pass\nprint('platformdirs' in sys.modules)\n")
    assert out.strip().endswith("False") or sys.platform != "linux"


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["add", "--help"], ["list", "companies", "--help"]])
def test_help_and_version_do_not_import_the_database_stack(argv):
    code = (
        "import sys\n"
        f"sys.argv = ['dossier', *{argv!r}]\n"
        "from dossier_cli.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'alembic'))\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    out = _run_python(code)
    assert "HEAVY=\n" in out, out[-500:]


def test_a_command_on_the_sqlite_file_does_not_load_postgresql_support(tmp_path, sqlite_only):
    env = dict(os.environ, DOSSIER_DB=str(tmp_path / "d.db"))
    # made first: creating the schema runs the migrations, which know every database
    subprocess.run([sys.executable, "-m", "dossier_cli", "add", "company", "Ромашка"], env=env, check=True, capture_output=True)
    code = (
        "import sys\n"
        "sys.argv = ['dossier', 'search', 'ромашка']\n"
        "from dossier_cli.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('PG=' + ','.join(sorted(m for m in sys.modules if 'postgresql' in m or m.startswith('psycopg'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env).stdout
    assert "PG=\n" in out, out[-500:]


def test_completion_does_not_import_the_database_stack():
    env = dict(os.environ, _DOSSIER_COMPLETE="complete_bash", COMP_WORDS="dossier li", COMP_CWORD="1")
    code = (
        "import sys\n"
        "from dossier_cli.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'alembic'))\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env).stdout
    assert "list" in out
    assert "HEAVY=\n" in out


@pytest.mark.slow
def test_installed_script_runs_end_to_end(tmp_path):
    """The real `dossier` console script, as a user's shell runs it."""
    script = Path(sys.executable).parent / "dossier"
    assert script.exists(), "the dossier console script is installed beside the interpreter"
    script = str(script)
    env = dict(os.environ)
    result = subprocess.run([script, "add", "company", "ООО «Ромашка»", "--city", "Хабаровск"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    listed = subprocess.run([script, "list", "companies", "--format", "json"], capture_output=True, text=True, env=env)
    assert json.loads(listed.stdout)[0]["name"] == "ООО «Ромашка»"
    missing = subprocess.run([script, "show", "company", "nope"], capture_output=True, text=True, env=env)
    assert missing.returncode == 3
    assert missing.stderr.strip() == "Error: no company matches 'nope' (see `dossier list companies`)"
    assert missing.stdout == ""
    module = subprocess.run([sys.executable, "-m", "dossier_cli", "--version"], capture_output=True, text=True)
    assert module.stdout.startswith("dossier ")


def all_commands():
    """(path, command) for every leaf command, building the lazily wired ones."""
    import typer
    from typer.main import get_command

    from dossier_cli.cli.app import app

    root = get_command(app)
    found = []

    def walk(command, path):
        ctx = typer.Context(command)
        if hasattr(command, "list_commands"):
            for name in command.list_commands(ctx):
                walk(command.get_command(ctx, name), [*path, name])
        else:
            found.append((" ".join(path), command))

    walk(root, ["dossier"])
    return found


def test_every_command_has_help_with_an_example():
    commands = all_commands()
    assert len(commands) > 5
    missing = [path for path, command in commands if "Example:" not in (command.help or "")]
    assert missing == []


def test_every_command_help_runs(dossier):
    for path, _command in all_commands():
        result = dossier(*path.split()[1:], "--help")
        assert "Usage:" in result.stdout
