from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from openkyc.db.base import Base


class Applicant(Base):
    """A person or business of one app. What it declared is encrypted (`declared`)."""

    __tablename__ = "applicant"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="person")
    declared: Mapped[bytes | None]
    created_at: Mapped[datetime]
