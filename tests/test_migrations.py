"""The migrations build exactly the schema the models describe (SQLite and PostgreSQL).

A table or column added to src/openkyc/models/ without a migration fails here, listing
what differs; `openkyc.db.migrate.revision(engine, "message")` autogenerates the fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from tests.databases import empty_database

import openkyc.models  # noqa: F401  (registers every table)
from openkyc.db.base import Base
from openkyc.db.engine import make_engine
from openkyc.db.migrate import alembic_config, is_current, upgrade


def _differences(url: str) -> list[Any]:
    engine = make_engine(url)
    try:
        upgrade(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def test_migrations_produce_the_models_schema(tmp_path: Path) -> None:
    with empty_database(tmp_path) as url:
        differences = _differences(url)
    assert differences == [], "models and migrations differ:\n" + "\n".join(
        repr(d) for d in differences
    )


def test_upgrade_reaches_head_and_is_idempotent(tmp_path: Path) -> None:
    with empty_database(tmp_path) as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            upgrade(engine)  # a second `openkyc migrate` is a no-op, not an error
            with engine.connect() as conn:
                current = MigrationContext.configure(conn).get_current_revision()
                tables = set(inspect(conn).get_table_names())
            assert is_current(engine)
        finally:
            engine.dispose()
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert current == head
    assert {"app", "session", "step", "webhook_delivery", "alembic_version"} <= tables


def test_an_empty_database_is_not_current(tmp_path: Path) -> None:
    with empty_database(tmp_path) as url:
        engine = make_engine(url)
        try:
            assert not is_current(engine)
        finally:
            engine.dispose()
