from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from openkyc.db.base import Base


class File(Base):
    """An encrypted blob owned by a step. `content_type` is sniffed, never trusted."""

    __tablename__ = "file"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"), index=True)
    step_id: Mapped[str] = mapped_column(ForeignKey("step.id"), index=True)
    attempt: Mapped[int]
    kind: Mapped[str] = mapped_column(String(32))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
