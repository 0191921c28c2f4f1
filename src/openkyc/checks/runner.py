"""Runs one step's check inside a job's transaction. Safe to run twice for the same step."""

from __future__ import annotations

import logging
from collections.abc import Callable

from openkyc.checks.base import CheckInput
from openkyc.checks.registry import get_check
from openkyc.domain.context import Ctx
from openkyc.domain.file import service as files
from openkyc.domain.step import repository as steps_repo
from openkyc.domain.step import service as steps
from openkyc.domain.step.schemas import StepStatus

log = logging.getLogger(__name__)


def run_step_check(ctx: Ctx, step_id: str) -> str | None:
    """Check the step if it still waits for its check; return the decision taken, if any."""
    step = steps_repo.get(ctx.db, None, step_id, lock=True)
    if step is None or step.status != StepStatus.PENDING_VERIFICATION or step.needs_review:
        return None  # decided already, reset, or in a reviewer's hands: nothing to do
    check = get_check(step.type)
    if check is None:
        step.needs_review = True
        return None
    session = steps.session_of(ctx, step)
    loaders: dict[str, Callable[[], bytes]] = {
        row.kind: (lambda r=row: files.read(ctx, r)) for row in files.of_attempt(ctx, step)
    }
    data = CheckInput(
        step_type=step.type,
        settings=step.settings,
        submission=steps.submission(ctx, step),
        sandbox=session.sandbox,
        files=loaders,
    )
    outcome = check.run(data)
    steps.apply_outcome(ctx, step, outcome)
    log.info("step %s checked: %s %s", step.id, outcome.decision, outcome.reason_code or "")
    return outcome.decision.value
