"""Runs one step's check inside a job's transaction. Safe to run twice for the same step."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from openkyc.checks.base import CheckInput
from openkyc.checks.face import crossmatch
from openkyc.checks.registry import get_check
from openkyc.domain.context import Ctx
from openkyc.domain.file import service as files
from openkyc.domain.session import service as sessions
from openkyc.domain.step import repository as steps_repo
from openkyc.domain.step import service as steps
from openkyc.domain.step.schemas import StepStatus

log = logging.getLogger(__name__)


def run_step_check(ctx: Ctx, step_id: str) -> str | None:
    """Check the step if it still waits for its check; return the decision taken, if any."""
    step = steps_repo.get(ctx.db, None, step_id, lock=True)
    if step is None or step.status != StepStatus.PENDING_VERIFICATION or step.needs_review:
        return None  # decided already, reset, or in a reviewer's hands: nothing to do
    check = get_check(step.type, ctx)
    if check is None:
        step.needs_review = True
        return None
    session = steps.session_of(ctx, step)
    loaders: dict[str, Callable[[], bytes]] = {
        row.kind: partial(files.read, ctx, row)
        for row in files.of_attempt(ctx, step)
        if not row.kind.startswith(files.PROCESSED)
    }
    others = [s for s in sessions.steps_of(ctx, session) if s.id != step.id]
    session_files: dict[str, Callable[[], bytes]] = {}
    for other in others:
        for row in files.of_attempt(ctx, other):
            kind = row.kind.removeprefix(files.PROCESSED)
            session_files[f"{other.type}:{kind}"] = partial(files.read, ctx, row)
    data = CheckInput(
        step_type=step.type,
        settings=step.settings,
        submission=steps.submission(ctx, step),
        sandbox=session.sandbox,
        files=loaders,
        session_evidence={s.type: s.evidence or {} for s in others},
        session_files=session_files,
        session_id=session.id,
        app_id=session.app_id,
    )
    outcome = crossmatch.settle(ctx, step, check.run(data))
    for kind, (blob, content_type) in outcome.files.items():
        files.store_processed(ctx, step, kind, blob, content_type)
    steps.apply_outcome(ctx, step, outcome)
    log.info("step %s checked: %s %s", step.id, outcome.decision, outcome.reason_code or "")
    return outcome.decision.value
