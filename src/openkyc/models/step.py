from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from openkyc.db.base import Base, SealedJSON


class Step(Base):
    """One check of a session. `submission` (personal data) is encrypted JSON."""

    __tablename__ = "step"
    __table_args__ = (Index("ix_step_status_enqueued", "status", "check_enqueued_at"),)
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"), index=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("session.id"), index=True)
    position: Mapped[int]
    type: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32))
    settings: Mapped[dict[str, Any]]
    submission: Mapped[bytes | None]
    # What the check found (names, document numbers, addresses): sealed at rest.
    evidence: Mapped[dict[str, Any] | None] = mapped_column(SealedJSON)
    # Request metadata of the last submission (ip, user agent, browser...): sealed too.
    client: Mapped[dict[str, Any] | None] = mapped_column(SealedJSON)
    reason_code: Mapped[str | None] = mapped_column(String(64))
    reason_message: Mapped[str | None] = mapped_column(Text)
    attempt_count: Mapped[int] = mapped_column(default=0)
    needs_review: Mapped[bool] = mapped_column(default=False)
    check_enqueued_at: Mapped[datetime | None]
    # Runs of the check started for the current submission (a worker dying mid-check
    # leaves one behind), and when the last one started: a run newer than the last
    # enqueue is in flight, and a second message for it is left alone.
    check_runs: Mapped[int] = mapped_column(default=0)
    check_started_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class Attempt(Base):
    """Each submission of a step, with how it ended (the v3 `history`)."""

    __tablename__ = "attempt"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"))
    step_id: Mapped[str] = mapped_column(ForeignKey("step.id"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(32))
    reason_code: Mapped[str | None] = mapped_column(String(64))
    user_reason: Mapped[str | None] = mapped_column(Text)
    customer_reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime]
    verified_at: Mapped[datetime | None]


class OneTimeCode(Base):
    """A phone or email code: only its keyed hash is kept; the target is encrypted."""

    __tablename__ = "one_time_code"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"))
    step_id: Mapped[str] = mapped_column(ForeignKey("step.id"), index=True)
    channel: Mapped[str] = mapped_column(String(8))
    target: Mapped[bytes]
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts_left: Mapped[int]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    verified_at: Mapped[datetime | None]
