"""Verification records computed from a session's steps: the ID document and the face.

`verify` opens (or reuses) a session for the person with the steps it needs; the records
then follow those steps: every time one moves, `follow_step` recomputes and updates them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from openkyc.checks.registry import has_check
from openkyc.domain.app.service import Caller
from openkyc.domain.context import Ctx
from openkyc.domain.session import repository as session_repo
from openkyc.domain.session import service as sessions
from openkyc.domain.session.schemas import SessionStatus
from openkyc.domain.step.schemas import StepStatus, StepType
from openkyc.domain.verification import repository as repo
from openkyc.domain.verification import service as records
from openkyc.domain.verification.schemas import (
    Outcome,
    Result,
    VerificationType,
    identity_result,
    label_for,
    step_result,
)
from openkyc.models import Applicant, Session, Step

# The steps each session-backed verification type reads.
STEPS_FOR: dict[VerificationType, tuple[StepType, ...]] = {
    VerificationType.DOCUMENT_VERIFICATION: (StepType.ID_DOCUMENT,),
    VerificationType.IDENTITY: (StepType.ID_DOCUMENT, StepType.LIVENESS),
}
DETAIL_RESULT = {
    Result.ACCEPTED: "PASS",
    Result.REJECTED: "FAIL",
    Result.REVIEW: "WARN",
    Result.VENDOR_ERROR: "WARN",
    Result.PENDING: "INFO",
    Result.PROVISIONAL: "INFO",
    Result.UNVERIFIED: "INFO",
}
WAITING = {StepStatus.SUBMISSION_REQUIRED, StepStatus.RESUBMISSION_REQUIRED}


def _result(step: Step) -> Result:
    # A step whose type has no check waits for a reviewer as soon as it is submitted.
    for_reviewer = step.needs_review or not has_check(step.type)
    return step_result(step.status, for_reviewer, step.evidence)


def hosted_link(ctx: Ctx, session_id: str) -> str:
    return f"{ctx.ports.settings.public_url.rstrip('/')}/verify?session_id={session_id}"


def _step_detail(ctx: Ctx, step: Step, category: str, what: str) -> dict[str, Any]:
    result = _result(step)
    detail: dict[str, Any] = {
        "category": category,
        "label": label_for(category),
        "result": DETAIL_RESULT[result],
        "description": f"{what}: {_describe(step, result)}",
    }
    if step.reason_code:
        detail["vendor_code"] = step.reason_code
    if step.status in WAITING:
        detail["url"] = hosted_link(ctx, step.session_id)
    return detail


def _describe(step: Step, result: Result) -> str:
    if step.status == StepStatus.SUBMISSION_REQUIRED:
        return "waiting for the applicant to submit it"
    if step.status == StepStatus.RESUBMISSION_REQUIRED:
        return "the applicant has to submit it again"
    return {
        Result.ACCEPTED: "verified",
        Result.REJECTED: "rejected",
        Result.REVIEW: "waiting for a reviewer",
        Result.VENDOR_ERROR: "the check could not run",
    }.get(result, "being checked")


def _vendor_info(ctx: Ctx, session: Session, steps: Sequence[Step]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "session_id": session.id,
        "session_status": session.status,
        "steps": [
            {"id": s.id, "type": s.type, "status": s.status, "reason_code": s.reason_code}
            for s in steps
        ],
    }
    if any(s.status in WAITING for s in steps):
        data["verification_url"] = hosted_link(ctx, session.id)
    return {"vendor": "OPENKYC", "content_type": "application/json", "json": data}


def _by_type(steps: Sequence[Step]) -> dict[str, Step]:
    return {s.type: s for s in steps}


def document_outcome(ctx: Ctx, session: Session, steps: Sequence[Step]) -> Outcome:
    document = _by_type(steps)[StepType.ID_DOCUMENT]
    return Outcome(
        result=_result(document),
        details=[_step_detail(ctx, document, "DOC_VERIFICATION", "ID document")],
        vendor_info=_vendor_info(ctx, session, [document]),
    )


def identity_outcome(ctx: Ctx, session: Session, steps: Sequence[Step]) -> Outcome:
    found = _by_type(steps)
    document, face = found[StepType.ID_DOCUMENT], found[StepType.LIVENESS]
    doc_result = _result(document)
    face_result = _result(face)
    face_done = face.status not in WAITING
    return Outcome(
        result=identity_result(doc_result, face_result if face_done else None),
        details=[
            _step_detail(ctx, document, "DOC_VERIFICATION", "ID document"),
            _step_detail(ctx, face, "SELFIE_CAPTURE", "Liveness and face match"),
        ],
        vendor_info=_vendor_info(ctx, session, [document, face]),
    )


OUTCOMES: dict[VerificationType, Callable[[Ctx, Session, Sequence[Step]], Outcome]] = {
    VerificationType.DOCUMENT_VERIFICATION: document_outcome,
    VerificationType.IDENTITY: identity_outcome,
}


def session_for(
    ctx: Ctx, caller: Caller, applicant: Applicant, types: Sequence[VerificationType]
) -> Session:
    """The person's verification session holding every step `types` need: the one the last
    verify opened, unless it was rejected or lacks a step; otherwise a new one."""
    needed = {step for t in types for step in STEPS_FOR[t]}
    for row in reversed(records.active_records(ctx, caller.app.id, applicant.id)):
        if row.session_id is None:
            continue
        session = session_repo.get(ctx.db, caller.app.id, row.session_id)
        if session is None or session.status == SessionStatus.REJECTED:
            continue
        if needed <= {s.type for s in session_repo.steps(ctx.db, session.id)}:
            return session
    settings = {e["type"]: e.get("settings", {}) for e in caller.app.flow}
    flow = [
        {"type": s.value, "settings": settings.get(s.value, {})} for s in StepType if s in needed
    ]
    return sessions.init_session(ctx, caller, applicant.id, applicant=applicant, flow=flow)


def outcome_for(ctx: Ctx, type_: VerificationType, session: Session) -> Outcome:
    return OUTCOMES[type_](ctx, session, session_repo.steps(ctx.db, session.id))


def follow_step(ctx: Ctx, step: Step) -> None:
    """A step moved: update the active records computed from its session."""
    following = repo.following_session(ctx.db, step.session_id)
    if not following:
        return
    session = session_repo.get(ctx.db, step.app_id, step.session_id)
    if session is None:  # pragma: no cover - foreign key
        return
    steps = session_repo.steps(ctx.db, session.id)
    for row in following:
        compute = OUTCOMES.get(VerificationType(row.type))
        if compute is not None:
            records.update(ctx, row, compute(ctx, session, steps))
