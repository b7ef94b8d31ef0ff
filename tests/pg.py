"""PostgreSQL test support: a fresh database per test on the server CI started."""

from __future__ import annotations

import itertools
import os

_counter = itertools.count()


def fresh_database_url(base_url: str) -> str:
    import psycopg

    name = f"dossier_test_{os.getpid()}_{next(_counter)}"
    admin = base_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base_url.rsplit("/", 1)[0] + "/" + name
