from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from openkyc.db.base import Base, SealedJSON


class Verification(Base):
    """A result record of one applicant for one type: computed from steps or uploaded.

    `content` (details and vendor_info, which may carry personal data) is encrypted JSON.
    Only one record per applicant and type is active; the older ones stay as history, and
    `history` keeps the earlier states of this record when it was updated in place.
    """

    __tablename__ = "verification"
    __table_args__ = (
        Index("ix_verification_app_created", "app_id", "created_at", "id"),
        Index("ix_verification_applicant_type", "applicant_id", "type", "active"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"))
    applicant_id: Mapped[str] = mapped_column(ForeignKey("applicant.id"))
    subject_kind: Mapped[str] = mapped_column(String(16))
    type: Mapped[str] = mapped_column(String(32))
    result: Mapped[str] = mapped_column(String(16))
    verification_time: Mapped[datetime]
    content: Mapped[bytes]
    meta: Mapped[dict[str, Any]]
    # upload (the tenant sent it) or verify (openkyc computed it)
    source: Mapped[str] = mapped_column(String(16))
    # The session whose steps this record follows (verify-driven records only).
    session_id: Mapped[str | None] = mapped_column(String(36), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    history: Mapped[list[Any]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class IdempotencyKey(Base):
    """A client's Idempotency-Key with the response it got, so a retry gets the same one.

    The unique (app, key) pair is what makes concurrent retries safe: the first insert wins
    and the others wait for it, then replay its stored response.
    """

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("app_id", "key", name="uq_idempotency_key_app_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response: Mapped[dict[str, Any]] = mapped_column(SealedJSON)  # may carry personal data
    created_at: Mapped[datetime] = mapped_column(index=True)
