"""Runs one step's check in three phases, so that no write transaction stays open while a
check computes (on SQLite an open write transaction blocks every other writer, and an OCR
or a face check takes a second or two). The webhook sender works the same way
(domain/webhook/service.py: claim, send, record).

claim   a short write transaction: the step still waits for its check and no other run
        of it is in flight; count the run (given up after `check_max_runs`: a check that
        kills its worker every time goes to a reviewer) and gather the CheckInput (files
        are read later, when the check asks for them);
run     no write transaction: the check sees only its CheckInput; a check that needs the
        system (Bindable) reads it through a read-only transaction and keeps what it must
        store for the record phase (Recording); the few that still write while they run
        (registry.RUN_IN_TRANSACTION) run inside the record phase's transaction;
record  a short write transaction: re-read the step; if it still waits for the same
        submission, store the outcome; otherwise (a reviewer decided, the session was
        reset, another run finished first) the result is dropped.

Safe to run twice for the same step: the first run to record wins.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from openkyc.checks import registry
from openkyc.checks.base import Check, CheckInput, CheckOutcome
from openkyc.checks.face import crossmatch
from openkyc.checks.registry import Bindable, Recording, get_check
from openkyc.domain.context import Ctx, Runtime
from openkyc.domain.file import service as files
from openkyc.domain.session import service as sessions
from openkyc.domain.step import repository as steps_repo
from openkyc.domain.step import service as steps
from openkyc.domain.step.schemas import StepStatus
from openkyc.kit.clock import as_utc
from openkyc.models import Step

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    """One run of a step's check, worked out inside a transaction, run outside it."""

    step_id: str
    step_type: str
    attempt: int  # the submission checked (Step.attempt_count)
    run: int  # which run of the check for that submission (Step.check_runs)
    data: CheckInput


def _waiting(step: Step | None) -> bool:
    return (
        step is not None
        and step.status == StepStatus.PENDING_VERIFICATION
        and not step.needs_review
    )


def _in_flight(step: Step) -> bool:
    """A run started since the step was last (re-)enqueued: this message is a duplicate.
    The sweep enqueues a stalled step again with a newer time, which lets a run start."""
    started, enqueued = step.check_started_at, step.check_enqueued_at
    return started is not None and enqueued is not None and as_utc(started) >= as_utc(enqueued)


def claim(ctx: Ctx, step_id: str) -> Claim | None:
    """Take the step for one run of its check; None when there is nothing to run now."""
    step = steps_repo.get(ctx.db, None, step_id, lock=True)
    if step is None or not _waiting(step) or _in_flight(step):
        return None  # decided already, reset, in a reviewer's hands, or running elsewhere
    if get_check(step.type) is None:
        step.needs_review = True
        return None
    if step.check_runs >= ctx.ports.settings.check_max_runs:
        log.warning("step %s: check given up after %d runs", step.id, step.check_runs)
        steps.give_up_check(ctx, step)
        return None
    step.check_runs += 1
    # The lease: the sweep leaves the step alone for sweep_stale_seconds from now.
    step.check_started_at = step.check_enqueued_at = ctx.now
    return Claim(step.id, step.type, step.attempt_count, step.check_runs, _input(ctx, step))


def _input(ctx: Ctx, step: Step) -> CheckInput:
    session = steps.session_of(ctx, step)
    # The loaders use the ports only (storage, crypto): they work after the claim commits.
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
    return CheckInput(
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


def run(runtime: Runtime, claimed: Claim) -> tuple[Check, CheckOutcome] | None:
    """The check itself, holding no write transaction."""
    check = get_check(claimed.step_type)
    if check is None:
        return None
    if not isinstance(check, Bindable):
        return check, check.run(claimed.data)
    # PostgreSQL refuses a write in this view; on SQLite it is a reader, which never
    # blocks a writer (WAL).
    with runtime.transaction(actor="worker", readonly=True) as view:
        return _bound_run(view, check, claimed)


def _bound_run(ctx: Ctx, check: Check, claimed: Claim) -> tuple[Check, CheckOutcome]:
    bound = check.bind(ctx) if isinstance(check, Bindable) else check
    return bound, bound.run(claimed.data)


def record(ctx: Ctx, claimed: Claim, check: Check, outcome: CheckOutcome) -> str | None:
    """Store a run's outcome if the step still waits for it; the decision taken, if any."""
    step = steps_repo.get(ctx.db, None, claimed.step_id, lock=True)
    if step is None or not _waiting(step) or step.attempt_count != claimed.attempt:
        log.info("step %s: run %d of its check dropped, the step moved on", *_ids(claimed))
        return None
    if isinstance(check, Recording):
        outcome = check.record(ctx, outcome)
    outcome = crossmatch.settle(ctx, step, outcome)
    for kind, (blob, content_type) in outcome.files.items():
        files.store_processed(ctx, step, kind, blob, content_type)
    steps.apply_outcome(ctx, step, outcome)
    log.info("step %s checked: %s %s", step.id, outcome.decision, outcome.reason_code or "")
    return outcome.decision.value


def _ids(claimed: Claim) -> tuple[str, int]:
    return claimed.step_id, claimed.run


def run_step_check(runtime: Runtime, step_id: str) -> str | None:
    """Check the step if it still waits for its check; return the decision taken, if any.

    A check that raises leaves the step as claimed: the sweep enqueues it again once the
    lease runs out, and the run counter gives up on it after `check_max_runs`."""
    with runtime.transaction(actor="worker") as ctx:
        claimed = claim(ctx, step_id)
    if claimed is None:
        return None
    if claimed.step_type in registry.RUN_IN_TRANSACTION:
        with runtime.transaction(actor="worker") as ctx:
            check = get_check(claimed.step_type)
            return None if check is None else record(ctx, claimed, *_bound_run(ctx, check, claimed))
    done = run(runtime, claimed)
    if done is None:
        return None
    with runtime.transaction(actor="worker") as ctx:
        return record(ctx, claimed, *done)
