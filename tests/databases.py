"""Throwaway empty databases, for tests that must start from nothing (migrations, the CLI).

The shared `database_url` fixture hands out a database whose tables already exist; these
tests need one with no tables at all: a new SQLite file, or a new PostgreSQL database
(on the server named by OPENKYC_TEST_DATABASE_URL) dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from openkyc.db.engine import make_engine, normalise_url

PG_URL = os.environ.get("OPENKYC_TEST_DATABASE_URL", "")


@contextmanager
def empty_database(tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty database; PostgreSQL ones are dropped on exit."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path}/empty-{uuid.uuid4().hex[:8]}.db"
        return
    base = normalise_url(PG_URL)
    name = f"openkyc_empty_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            # WITH (FORCE) ends sessions a failed test may have left open.
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.engine.dispose()
