"""The migrations build exactly the schema the models describe (SQLite and PostgreSQL).

A table or column added to src/openkyc/models/ without a migration fails here, listing
what differs; `openkyc.db.migrate.revision(engine, "message")` autogenerates the fix.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, column, inspect, select, table, text
from tests.databases import empty_database

import openkyc.models  # noqa: F401  (registers every table)
from openkyc.db.base import Base
from openkyc.db.engine import attach_crypto, make_engine
from openkyc.db.migrate import alembic_config, is_current, upgrade
from openkyc.kit.crypto import Crypto
from openkyc.models import IdempotencyKey


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


def test_sealing_existing_json_and_back(tmp_path: Path) -> None:
    """Rows written before evidence, client, payload and response were sealed are sealed by
    the upgrade (with the key `openkyc migrate` attaches) and opened again by a downgrade."""
    response = {"id": "v-1", "result": "ACCEPTED", "name": "Jane Example"}
    with empty_database(tmp_path) as url:
        engine = attach_crypto(make_engine(url), Crypto("s" * 32))
        try:
            upgrade(engine, BEFORE_SEALING)
            _insert_idempotent_response(engine, response)
            upgrade(engine)
            with engine.connect() as conn:
                sealed = conn.execute(text("SELECT response FROM idempotency_key")).scalar_one()
                opened = conn.execute(select(IdempotencyKey.response)).scalar_one()
            assert b"Jane" not in bytes(sealed)
            assert opened == response
            _downgrade(engine, BEFORE_SEALING)
            with engine.connect() as conn:
                plain = conn.execute(text("SELECT response FROM idempotency_key")).scalar_one()
            assert (json.loads(plain) if isinstance(plain, str) else plain) == response
        finally:
            engine.dispose()


BEFORE_SEALING = "24ade37f4e10"


def _insert_idempotent_response(engine: Engine, response: dict[str, Any]) -> None:
    now = datetime.now(UTC)
    app = table(
        "app",
        column("id"),
        column("name"),
        column("flow"),
        column("settings"),
        column("created_at"),
    )
    record = table(
        "idempotency_key",
        column("app_id"),
        column("key"),
        column("request_hash"),
        column("status_code"),
        column("response"),
        column("created_at"),
    )
    with engine.begin() as conn:
        conn.execute(
            app.insert().values(id="a1", name="acme", flow="[]", settings="{}", created_at=now)
        )
        conn.execute(
            record.insert().values(
                app_id="a1",
                key="k1",
                request_hash="h",
                status_code=201,
                response=json.dumps(response),
                created_at=now,
            )
        )


def _downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
