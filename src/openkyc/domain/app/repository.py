"""SQL for apps, API keys and admin tokens."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from openkyc.models import AdminToken, ApiKey, App


def get_app(db: Session, app_id: str) -> App | None:
    return db.get(App, app_id)


def list_apps(db: Session) -> Sequence[App]:
    return db.scalars(select(App).order_by(App.created_at)).all()


# Every authenticated request runs this: built once, and the app comes in the same query.
_KEY_WITH_APP = (
    select(ApiKey, App)
    .join(App, App.id == ApiKey.app_id)
    .where(ApiKey.key_hash == bindparam("key_hash"))
)


def key_with_app(db: Session, key_hash: str) -> tuple[ApiKey, App] | None:
    row = db.execute(_KEY_WITH_APP, {"key_hash": key_hash}).first()
    return None if row is None else (row[0], row[1])


class KeyRow(NamedTuple):
    id: str
    app_id: str
    app_name: str
    sandbox: bool
    revoked_at: datetime | None


_KEY_ROW = (
    select(ApiKey.id, ApiKey.app_id, App.name, ApiKey.sandbox, ApiKey.revoked_at)
    .join(App, App.id == ApiKey.app_id)
    .where(ApiKey.key_hash == bindparam("key_hash"))
)


def key_row(db: Session, key_hash: str) -> KeyRow | None:
    """The key and its app's name as plain values: no ORM objects to build (the app's row
    holds JSON), for the read-only routes that tenants poll."""
    row = db.connection().execute(_KEY_ROW, {"key_hash": key_hash}).first()
    return None if row is None else KeyRow(*row)


def keys_of(db: Session, app_id: str) -> Sequence[ApiKey]:
    return db.scalars(
        select(ApiKey).where(ApiKey.app_id == app_id).order_by(ApiKey.created_at)
    ).all()


def admin_token_by_hash(db: Session, token_hash: str) -> AdminToken | None:
    return db.scalars(select(AdminToken).where(AdminToken.token_hash == token_hash)).first()
