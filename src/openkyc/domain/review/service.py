"""Human review: the queue, a step's record, and decisions kept with reviewer and time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from openkyc.domain.context import Ctx
from openkyc.domain.event import service as events
from openkyc.domain.review import four_eyes
from openkyc.domain.step import repository as steps_repo
from openkyc.domain.step import service as steps
from openkyc.domain.step.schemas import StepType
from openkyc.errors import Conflict, Invalid, NotFound
from openkyc.kit.ids import new_numeric_id
from openkyc.models import Decision, Session, Step

# Beyond this a page is no use to a person, and the database's integer would overflow.
MAX_OFFSET = 1_000_000


def queue(
    ctx: Ctx,
    app_id: str | None = None,
    step_type: str | None = None,
    sandbox: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Sequence[tuple[Step, Session]]:
    if not 1 <= limit <= 200 or not 0 <= offset <= MAX_OFFSET:
        raise Invalid(f"limit is 1 to 200 and offset 0 to {MAX_OFFSET}")
    if step_type is not None and step_type not in StepType.__members__:
        raise Invalid(f"unknown step type {step_type[:40]!r}; known: {', '.join(StepType)}")
    return steps_repo.review_queue(ctx.db, app_id, step_type, sandbox, limit, offset)


def get_step(ctx: Ctx, app_id: str, step_id: str) -> Step:
    step = steps_repo.get(ctx.db, app_id, step_id)
    if step is None:
        raise NotFound(f"step {step_id} not found")
    return step


def record(ctx: Ctx, app_id: str, step_id: str) -> dict[str, Any]:
    """Everything a reviewer needs about one step (submission included: admin only)."""
    step = get_step(ctx, app_id, step_id)
    decisions = ctx.db.scalars(
        select(Decision).where(Decision.step_id == step.id).order_by(Decision.created_at)
    ).all()
    return {
        "step": step,
        "submission": steps.submission(ctx, step),
        "evidence": step.evidence or {},
        "decisions": list(decisions),
        "attempts": list(steps_repo.attempts(ctx.db, step.id)),
    }


def decide(
    ctx: Ctx,
    app_id: str,
    step_id: str,
    reviewer: str,
    action: str,
    reason_code: str | None = None,
    message: str | None = None,
) -> Step:
    step = get_step(ctx, app_id, step_id)
    if message is not None and len(message) > 2000:
        raise Invalid("message is at most 2000 characters")
    if action == "approve" and step.status not in steps.OPEN and four_eyes.required(ctx, step):
        first = four_eyes.pending_first(ctx, step)
        if first is None:
            return _first_approval(ctx, step, reviewer, message)
        if first.reviewer == reviewer:
            raise Conflict("this approval needs a second reviewer: another person must approve")
    steps.decide(ctx, step, action, reason_code, message)
    ctx.db.add(
        Decision(
            id=new_numeric_id(14),
            app_id=app_id,
            step_id=step.id,
            reviewer=reviewer,
            action=action,
            reason_code=step.reason_code,
            message=message,
            created_at=ctx.now,
        )
    )
    events.record(
        ctx,
        app_id,
        step.session_id,
        "review.decision",
        step.id,
        {"action": action, "reason_code": step.reason_code},
    )
    return step


def _first_approval(ctx: Ctx, step: Step, reviewer: str, message: str | None) -> Step:
    """Four eyes: keep the first approval; the step waits for a second reviewer."""
    ctx.db.add(
        Decision(
            id=new_numeric_id(14),
            app_id=step.app_id,
            step_id=step.id,
            reviewer=reviewer,
            action=four_eyes.FIRST_APPROVAL,
            reason_code=None,
            message=message,
            created_at=ctx.now,
        )
    )
    events.record(ctx, step.app_id, step.session_id, "review.first_approval", step.id)
    ctx.db.flush()
    return step
