"""Regenerate migrations/versions/0001_initial_schema.py from models.py.

Only while dossier is unreleased: once a database written by a release exists in
the wild, schema changes go into a new migration (0002_…) instead.
Run: python dev/regen_initial_migration.py
"""

import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

root = Path(__file__).resolve().parents[1]
versions = root / "src/dossier_cli/migrations/versions"
target = versions / "0001_initial_schema.py"
target.unlink(missing_ok=True)
with tempfile.TemporaryDirectory() as tmp:
    engine = create_engine(f"sqlite:///{tmp}/empty.db")
    config = Config()
    config.set_main_option("script_location", str(root / "src/dossier_cli/migrations"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.revision(config, message="initial schema", autogenerate=True, rev_id="0001")
text = target.read_text()
lines = [line for line in text.splitlines() if "### commands auto generated" not in line and "### end Alembic" not in line]
cleaned = "\n".join(lines) + "\n"
cleaned = "\n".join(line for line in cleaned.splitlines() if not line.startswith("Create Date:")) + "\n"
target.write_text(cleaned)
print(f"wrote {target}")
