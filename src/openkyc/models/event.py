from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from openkyc.db.base import Base


class Event(Base):
    """The append-only log: who did what to which session, and when. Never updated."""

    __tablename__ = "event"
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"))
    session_id: Mapped[str] = mapped_column(ForeignKey("session.id"), index=True)
    step_id: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(100))
    data: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
