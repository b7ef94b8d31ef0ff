"""Where dossier keeps its files: the config file, the data folder and the default database.

The lowest layer with config.py's other half: the settings (config.py) and the display
language (i18n.py) both need the config file's place, and neither imports the other for it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "dossier"


def _xdg(variable: str, default: str) -> Path | None:
    """On Linux, the folder platformdirs names for dossier (the XDG variable when it is an absolute
    path, else `default` under an absolute HOME), without importing platformdirs: every command
    reads the config file's place at start-up to learn its language, and that import costs 5-7 ms.
    None where the answer takes more (another system, no usable HOME): then ask platformdirs.
    tests/test_foundation.py checks that both give the same folder."""
    if not sys.platform.startswith("linux"):
        return None
    value = os.environ.get(variable, "")
    if os.path.isabs(value):
        return Path(value) / APP_NAME
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home):
        return None
    return Path(home.rstrip("/") + "/" + default) / APP_NAME


def data_dir() -> Path:
    """The folder holding the default database and backups (XDG_DATA_HOME is honoured)."""
    found = _xdg("XDG_DATA_HOME", ".local/share")
    if found is not None:
        return found
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    env = os.environ.get("DOSSIER_CONFIG")
    if env:
        return Path(env).expanduser()
    found = _xdg("XDG_CONFIG_HOME", ".config")
    if found is not None:
        return found / "config.yaml"
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.yaml"


def default_database() -> str:
    return str(data_dir() / "dossier.db")
