"""Start-up stays light: `--help` and completion list commands without loading them."""

from __future__ import annotations

import os
import subprocess
import sys

from dossier_cli.cli.app import COMMANDS
from dossier_cli.cli.base import _build_command, _load_target

LOADED = (
    "import sys\n"
    "from dossier_cli.cli.app import main\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "loaded = sorted(m for m in sys.modules if m.startswith(('dossier_cli.cli.', 'sqlalchemy', 'sqlmodel', 'alembic'))"
    " and m not in ('dossier_cli.cli.app', 'dossier_cli.cli.base'))\n"
    "print('LOADED=' + ','.join(loaded))\n"
)


def test_every_command_summary_is_the_first_line_of_its_help():
    from importlib import import_module

    from dossier_cli.cli.app import VERB_MODULES

    for module in VERB_MODULES:
        import_module(module)
    for name, entry in COMMANDS.items():
        assert isinstance(entry, tuple), f"COMMANDS[{name!r}] needs its one-line summary: (\"module:attr\", \"summary\")"
        spec, summary = entry
        command = _build_command(name, _load_target(spec))
        first_line = (command.help or "").strip().splitlines()[0]
        assert summary == first_line, name


def test_root_help_lists_every_command_with_its_summary_and_loads_none(dossier):
    result = dossier("--help")
    for name, (_spec, summary) in COMMANDS.items():
        assert name in result.stdout
        assert summary.split()[0] in result.stdout
    env = {k: v for k, v in os.environ.items() if not k.startswith("_DOSSIER")}
    out = subprocess.run([sys.executable, "-c", "import sys; sys.argv = ['dossier', '--help']\n" + LOADED],
                         capture_output=True, text=True, env=env).stdout
    assert "Usage: dossier" in out
    assert "LOADED=\n" in out, out[-500:]


def test_completion_loads_no_command_module():
    env = dict(os.environ, _DOSSIER_COMPLETE="complete_bash", COMP_WORDS="dossier li", COMP_CWORD="1")
    out = subprocess.run([sys.executable, "-c", LOADED], capture_output=True, text=True, env=env).stdout
    assert out.split() == ["list", "link", "liquidate", "LOADED="]


def test_verb_noun_table_names_the_module_that_registers_each_subcommand():
    """`dossier list companies` imports only the module behind it: the table must be right."""
    from importlib import import_module

    from dossier_cli.cli import groups
    from dossier_cli.cli.app import VERB_MODULES, VERB_NOUN_MODULES

    for module in VERB_MODULES:
        import_module(module)
    registered = {
        (verb, command.name): command.callback.__module__
        for verb in ("add", "list", "show", "edit", "rm", "import", "export")
        for command in getattr(groups, f"{verb}_app").registered_commands
    }
    assert registered == VERB_NOUN_MODULES


def test_a_verb_command_loads_only_its_own_module(tmp_path):
    env = dict(os.environ, DOSSIER_DB=str(tmp_path / "t.db"))
    code = "import sys; sys.argv = ['dossier', 'list', 'companies', '--format', 'json']\n" + LOADED
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env).stdout
    loaded = out.split("LOADED=")[1].split(",")
    command_modules = {m for m in loaded if m.startswith("dossier_cli.cli.")}
    assert command_modules == {"dossier_cli.cli.companies", "dossier_cli.cli.groups", "dossier_cli.cli.output", "dossier_cli.cli.display"}, loaded


def test_every_verb_still_lists_all_its_nouns(dossier):
    assert all(noun in dossier("list", "--help").stdout for noun in ("companies", "people", "sales", "touches", "gifts"))
    dossier("add", "company", "Вектор")
    assert dossier.json("list", "companies")[0]["name"] == "Вектор"
    assert dossier.json("list", "people") == []
