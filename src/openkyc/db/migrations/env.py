"""Alembic environment: the URL and connection come from openkyc's settings, never from here."""

from __future__ import annotations

from alembic import context

import openkyc.models  # noqa: F401  (registers every table)
from openkyc.db.base import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `openkyc migrate`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
