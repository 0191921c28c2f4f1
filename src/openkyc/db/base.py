"""The declarative base and the column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import JSON, DateTime, LargeBinary, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from openkyc.kit.crypto import Crypto

# The attribute of an engine's dialect that holds its field key.
CRYPTO_ATTRIBUTE = "openkyc_crypto"

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always hands back timezone-aware datetimes (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value if value.tzinfo else value.replace(tzinfo=UTC)


class SealedJSON(TypeDecorator[Any]):
    """JSON holding personal data (check evidence, request metadata, webhook bodies),
    sealed with AES-GCM on the way in and opened on the way out. The key travels with the
    engine (see `db.engine.attach_crypto`), so code reading the column sees plain values."""

    impl = LargeBinary
    cache_ok = True
    hashable = False  # dicts and lists, like the JSON type

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        return field_crypto(dialect).encrypt_json(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return field_crypto(dialect).decrypt_json(bytes(value))


def field_crypto(dialect: Dialect) -> Crypto:
    crypto = getattr(dialect, CRYPTO_ATTRIBUTE, None)
    if crypto is None:
        raise RuntimeError("this engine has no field key: build it with attach_crypto")
    return cast(Crypto, crypto)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: dict[Any, Any] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
        bytes: LargeBinary(),
    }
