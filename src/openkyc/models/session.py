from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from openkyc.db.base import Base


class Session(Base):
    __tablename__ = "session"
    __table_args__ = (Index("ix_session_app_status", "app_id", "status"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"))
    applicant_id: Mapped[str] = mapped_column(ForeignKey("applicant.id"), index=True)
    alias: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(32))
    sandbox: Mapped[bool]
    # The tenant's own key/value pairs (validated: <= 5 keys, short strings).
    meta: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
