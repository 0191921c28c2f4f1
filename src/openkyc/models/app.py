from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from openkyc.db.base import Base


class App(Base):
    """A tenant: its flow (ordered step types with settings) and its own settings."""

    __tablename__ = "app"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    flow: Mapped[list[Any]]
    settings: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class ApiKey(Base):
    """Only a keyed hash of the key is stored; the key itself is shown once."""

    __tablename__ = "api_key"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    sandbox: Mapped[bool]
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class AdminToken(Base):
    __tablename__ = "admin_token"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
