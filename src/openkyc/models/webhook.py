from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from openkyc.db.base import Base, SealedJSON


class Endpoint(Base):
    """A tenant's webhook receiver. Secrets are encrypted; the previous one overlaps a while."""

    __tablename__ = "webhook_endpoint"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    secret: Mapped[bytes]
    previous_secret: Mapped[bytes | None]
    previous_until: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class Delivery(Base):
    """One webhook to send, written in the same transaction as the change it reports."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_delivery_due", "status", "next_attempt_at"),)
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"), index=True)
    endpoint_id: Mapped[str] = mapped_column(ForeignKey("webhook_endpoint.id"), index=True)
    session_id: Mapped[str] = mapped_column(String(36))
    payload: Mapped[dict[str, Any]] = mapped_column(SealedJSON)  # may carry personal data
    status: Mapped[str] = mapped_column(String(16))  # pending | delivered | failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
