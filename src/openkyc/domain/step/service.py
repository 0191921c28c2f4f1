"""Steps: submissions, the state machine, check outcomes and reviewer decisions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from openkyc.checks.base import CheckOutcome, Decision
from openkyc.checks.registry import has_check
from openkyc.domain.context import Ctx
from openkyc.domain.event import service as events
from openkyc.domain.file import service as files
from openkyc.domain.session import repository as session_repo
from openkyc.domain.session import service as sessions
from openkyc.domain.step import reasons
from openkyc.domain.step import repository as repo
from openkyc.domain.step.schemas import DEPENDS_ON, TRANSITIONS, StepStatus, StepType
from openkyc.domain.verification.steps import follow_step
from openkyc.domain.webhook import service as webhooks
from openkyc.errors import Conflict, ErrorKind, Invalid, NotFound
from openkyc.kit.ids import new_numeric_id
from openkyc.models import Attempt, Session, Step

log = logging.getLogger(__name__)

OPEN = (StepStatus.SUBMISSION_REQUIRED, StepStatus.RESUBMISSION_REQUIRED)
CHECK_FAILED = "CHECK_FAILED"  # the check was given up: see give_up_check


def get_step(ctx: Ctx, app_id: str, session_id: str, step_id: str) -> Step:
    step = repo.get(ctx.db, app_id, step_id)
    if step is None or step.session_id != session_id:
        raise NotFound(f"step {step_id} not found")
    return step


def session_of(ctx: Ctx, step: Step) -> Session:
    session = session_repo.get(ctx.db, step.app_id, step.session_id)
    assert session is not None  # foreign key
    return session


def ensure_open(step: Step) -> None:
    if step.status not in OPEN:
        raise Conflict(
            f"step {step.id} is {step.status} and takes no submission now",
            kind=ErrorKind.CONFLICT,
        )


def submission(ctx: Ctx, step: Step) -> dict[str, Any]:
    data = ctx.ports.crypto.decrypt_json(step.submission)
    return data if isinstance(data, dict) else {}


def applicant_step(
    ctx: Ctx, session_id: str | None, step_id: str, step_type: str | None = None
) -> Step:
    """A step of the session the applicant presents, of the type the route serves."""
    session = sessions.of_applicant(ctx, session_id)
    step = get_step(ctx, session.app_id, session.id, step_id)
    if step_type and step.type != step_type:
        raise Conflict(f"step {step_id} is a {step.type} step, not {step_type}")
    return step


def submit_files(
    ctx: Ctx,
    step: Step,
    uploads: dict[str, bytes],
    data: dict[str, Any],
    client: dict[str, Any],
    screen: Callable[[str, bytes, str], None] | None = None,
) -> Step:
    """Submit a step with its files: every file is checked first (and given to `screen`
    with its sniffed type), so a refused one leaves nothing stored."""
    ensure_open(step)
    for name, content in uploads.items():
        content_type = files.validate(step, name, content)
        if screen is not None:
            screen(name, content, content_type)
    attempt = step.attempt_count + 1
    for name, content in uploads.items():
        files.store(ctx, step, name, content, attempt)
    return submit(ctx, step, data, client)


def submit(ctx: Ctx, step: Step, data: dict[str, Any], client: dict[str, Any]) -> Step:
    """Record a submission and hand it to its check (or to a reviewer when none exists)."""
    ensure_open(step)
    step.submission = ctx.ports.crypto.encrypt_json(data)
    step.client = client
    step.attempt_count += 1
    step.submitted_at = ctx.now
    step.evidence = None
    step.reason_code = None
    step.reason_message = None
    ctx.db.add(
        Attempt(
            id=new_numeric_id(14),
            app_id=step.app_id,
            step_id=step.id,
            number=step.attempt_count,
            status=StepStatus.PENDING_VERIFICATION,
            submitted_at=ctx.now,
        )
    )
    _move(ctx, step, StepStatus.PENDING_VERIFICATION)
    # The step setting `manual_review` sends every submission to a reviewer unchecked.
    if has_check(step.type) and not step.settings.get("manual_review"):
        enqueue_check(ctx, step)
    else:
        step.needs_review = True
    return step


def enqueue_check(ctx: Ctx, step: Step) -> None:
    step.check_enqueued_at = ctx.now
    step.check_runs, step.check_started_at = 0, None  # a new request: check_max_runs afresh
    queue = ctx.ports.queue
    ctx.after_commit(lambda: queue.check_step(step.id))


def apply_outcome(ctx: Ctx, step: Step, outcome: CheckOutcome) -> None:
    """A check's verdict: decide, or leave the step to a reviewer with the evidence."""
    step.evidence = outcome.evidence
    step.check_enqueued_at = None
    if outcome.decision is Decision.REVIEW:
        step.needs_review = True
        step.reason_code = outcome.reason_code
        events.record(
            ctx,
            step.app_id,
            step.session_id,
            "step.review_needed",
            step.id,
            {"reason_code": outcome.reason_code},
        )
        follow_step(ctx, step)
        return
    target = {
        Decision.APPROVE: StepStatus.APPROVED,
        Decision.REJECT: StepStatus.REJECTED,
        Decision.RESUBMIT: StepStatus.RESUBMISSION_REQUIRED,
    }[outcome.decision]
    _move(ctx, step, target, outcome.reason_code)


def give_up_check(ctx: Ctx, step: Step) -> None:
    """A check that never finished (its worker died on every run): a reviewer decides."""
    runs = step.check_runs
    events.record(
        ctx, step.app_id, step.session_id, "step.check_abandoned", step.id, {"runs": runs}
    )
    evidence = {**(step.evidence or {}), "error": f"the check did not finish in {runs} runs"}
    apply_outcome(ctx, step, CheckOutcome(Decision.REVIEW, CHECK_FAILED, evidence))


def decide(ctx: Ctx, step: Step, action: str, reason_code: str | None, message: str | None) -> Step:
    """A reviewer's decision. Approve/reject may overturn a check's verdict."""
    if action not in ("approve", "reject", "resubmit"):
        raise Invalid("action is one of approve, reject, resubmit")
    if action != "approve":
        reason_code = reason_code or ("MANUAL_REJECTION" if action == "reject" else None)
        if not reason_code:
            raise Invalid("a resubmission request needs a reason_code")
        if not reasons.is_known(reason_code):
            raise Invalid(f"unknown reason_code {reason_code!r}")
    if step.status in OPEN:
        raise Conflict(f"step {step.id} has no submission to decide on")
    target = {
        "approve": StepStatus.APPROVED,
        "reject": StepStatus.REJECTED,
        "resubmit": StepStatus.RESUBMISSION_REQUIRED,
    }[action]
    step.needs_review = False
    step.check_enqueued_at = None
    _move(ctx, step, target, None if action == "approve" else reason_code, message, force=True)
    return step


def _move(
    ctx: Ctx,
    step: Step,
    target: StepStatus,
    reason_code: str | None = None,
    message: str | None = None,
    force: bool = False,
) -> None:
    current = StepStatus(step.status)
    if not force and target not in TRANSITIONS[current]:
        raise Conflict(f"step {step.id} cannot go from {current} to {target}")
    step.status = target
    step.reason_code = reason_code
    step.reason_message = message
    step.updated_at = ctx.now
    if target != StepStatus.PENDING_VERIFICATION:
        step.decided_at = ctx.now
        step.needs_review = False
        attempt = repo.current_attempt(ctx.db, step)
        if attempt is not None:
            attempt.status = target
            attempt.reason_code = reason_code
            attempt.user_reason = (
                reasons.message(reason_code, None)["original"] if reason_code else None
            )
            attempt.customer_reason = message
            attempt.verified_at = ctx.now
    events.record(
        ctx,
        step.app_id,
        step.session_id,
        "step.status",
        step.id,
        {"from": current, "to": target, "reason_code": reason_code},
    )
    webhooks.notify(ctx, step.app_id, step.session_id, step.id, target, reason_code or "")
    if target == StepStatus.APPROVED:
        start_automatic(ctx, step.session_id)
    sessions.refresh_status(ctx, session_of(ctx, step))
    follow_step(ctx, step)  # verification records computed from this session


def start_automatic(ctx: Ctx, session_id: str) -> None:
    """Submit the server-run steps (AML, DUPLICATE) whose prerequisite is now approved."""
    all_steps = session_repo.steps(ctx.db, session_id)
    status_of = {s.type: s.status for s in all_steps}
    for step in all_steps:
        needs = DEPENDS_ON.get(StepType(step.type))
        if needs is None or step.status != StepStatus.SUBMISSION_REQUIRED:
            continue
        if needs in status_of and status_of[needs] != StepStatus.APPROVED:
            continue
        submit(ctx, step, {"automatic": True}, {})


def reason_payload(step: Step) -> dict[str, Any] | None:
    """The v4 `reason` object: present only for rejected steps."""
    if step.status != StepStatus.REJECTED or not step.reason_code:
        return None
    language = (step.client or {}).get("customer_language") or None
    msg = reasons.message(step.reason_code, language)
    if step.reason_message:
        msg["original"] = step.reason_message
    return {"code": step.reason_code, "message": msg}
