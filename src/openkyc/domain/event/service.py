"""The append-only event log of a session."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from openkyc.domain.context import Ctx
from openkyc.models import Event


def record(
    ctx: Ctx,
    app_id: str,
    session_id: str,
    kind: str,
    step_id: str | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event. `data` must never hold personal data (ids, statuses, codes only)."""
    event = Event(
        app_id=app_id,
        session_id=session_id,
        step_id=step_id,
        kind=kind,
        actor=ctx.actor,
        data=data or {},
        created_at=ctx.now,
    )
    ctx.db.add(event)
    return event


def list_for_session(ctx: Ctx, app_id: str, session_id: str) -> Sequence[Event]:
    return ctx.db.scalars(
        select(Event)
        .where(Event.app_id == app_id, Event.session_id == session_id)
        .order_by(Event.id)
    ).all()
