"""SQL for sessions and their steps, always scoped to one app."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import bindparam, select
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


_STEP_STATUSES = select(Step.status).where(Step.session_id == bindparam("session_id"))


def step_statuses(db: DB, session_id: str) -> list[str]:
    """Only the statuses (what the roll-up needs), without building every step's object."""
    rows = db.connection().execute(_STEP_STATUSES, {"session_id": session_id})
    return [status for (status,) in rows]


class SessionState(NamedTuple):
    id: str
    alias: str
    status: str
    sandbox: bool


class StepState(NamedTuple):
    id: str
    type: str
    status: str


# Tenants poll this (GET session details): one query, built once, plain values only.
_WITH_STEP_STATES = (
    select(
        Session.id,
        Session.alias,
        Session.status,
        Session.sandbox,
        Step.id.label("step_id"),
        Step.type.label("step_type"),
        Step.status.label("step_status"),
    )
    .outerjoin(Step, Step.session_id == Session.id)
    .where(Session.id == bindparam("session_id"), Session.app_id == bindparam("app_id"))
    .order_by(Step.position)
)


def with_step_states(
    db: DB, app_id: str, session_id: str
) -> tuple[SessionState, list[StepState]] | None:
    params = {"session_id": session_id, "app_id": app_id}
    rows = db.connection().execute(_WITH_STEP_STATES, params).all()
    if not rows:
        return None
    steps = [StepState(*row[4:]) for row in rows if row[4] is not None]
    return SessionState(*rows[0][:4]), steps
