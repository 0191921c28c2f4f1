"""SQL for sessions and their steps, always scoped to one app."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session as DB

from openkyc.models import Session, Step


def get(db: DB, app_id: str, session_id: str) -> Session | None:
    row = db.get(Session, session_id)
    return row if row is not None and row.app_id == app_id else None


def get_any(db: DB, session_id: str) -> Session | None:
    """For the applicant's end-user API, where the session id is the credential."""
    return db.get(Session, session_id)


def steps(db: DB, session_id: str) -> Sequence[Step]:
    return db.scalars(
        select(Step).where(Step.session_id == session_id).order_by(Step.position)
    ).all()
