"""SQL for steps and attempts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session as DB

from openkyc.domain.step.schemas import StepStatus
from openkyc.models import Attempt, Session, Step


def get(db: DB, app_id: str | None, step_id: str, lock: bool = False) -> Step | None:
    """app_id None is for the worker, which acts for every app."""
    row = db.get(Step, step_id, with_for_update=lock)
    if row is None or (app_id is not None and row.app_id != app_id):
        return None
    return row


def current_attempt(db: DB, step: Step) -> Attempt | None:
    return db.scalars(
        select(Attempt).where(Attempt.step_id == step.id, Attempt.number == step.attempt_count)
    ).first()


def attempts(db: DB, step_id: str) -> Sequence[Attempt]:
    return db.scalars(
        select(Attempt).where(Attempt.step_id == step_id).order_by(Attempt.number)
    ).all()


def stale_checks(db: DB, enqueued_before: datetime, limit: int = 500) -> Sequence[str]:
    """Steps waiting on a check whose message was sent long ago (lost, or its worker died)."""
    return db.scalars(
        select(Step.id)
        .where(
            Step.status == StepStatus.PENDING_VERIFICATION,
            Step.needs_review.is_(False),
            Step.check_enqueued_at.is_not(None),
            Step.check_enqueued_at < enqueued_before,
        )
        .limit(limit)
    ).all()


def review_queue(
    db: DB,
    app_id: str | None,
    step_type: str | None,
    sandbox: bool | None,
    limit: int,
    offset: int,
) -> Sequence[tuple[Step, Session]]:
    """Steps a reviewer must look at: waiting for one, or flagged by their check."""
    query = (
        select(Step, Session)
        .join(Session, Session.id == Step.session_id)
        .where(
            Step.status == StepStatus.PENDING_VERIFICATION,
            or_(Step.needs_review.is_(True), and_(Step.check_enqueued_at.is_(None))),
        )
    )
    if app_id:
        query = query.where(Step.app_id == app_id)
    if step_type:
        query = query.where(Step.type == step_type)
    if sandbox is not None:
        query = query.where(Session.sandbox.is_(sandbox))
    query = query.order_by(Step.submitted_at, Step.id).limit(limit).offset(offset)
    return [(row[0], row[1]) for row in db.execute(query).all()]
