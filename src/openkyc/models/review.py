from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from openkyc.db.base import Base


class Decision(Base):
    """A reviewer's decision on a step, kept forever."""

    __tablename__ = "decision"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"))
    step_id: Mapped[str] = mapped_column(ForeignKey("step.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(16))
    reason_code: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
