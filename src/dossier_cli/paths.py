"""Where dossier keeps its files: the config file, the data folder and the default database.

The lowest layer with config.py's other half: the settings (config.py) and the display
language (i18n.py) both need the config file's place, and neither imports the other for it.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "dossier"


def data_dir() -> Path:
    """The folder holding the default database and backups (XDG_DATA_HOME is honoured)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    env = os.environ.get("DOSSIER_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.yaml"


def default_database() -> str:
    return str(data_dir() / "dossier.db")
