"""The face match between a session's ID document and its liveness video, whichever of the
two is checked last. The job runner calls `settle` with each check's outcome, before
applying it.

- The document is checked last: a mismatch rejects it (FACE_MISMATCH), a borderline score
  or a face that cannot be found leaves it to a reviewer.
- The liveness video is checked last: the document step was decided already, so a
  mismatch rejects it now (as a reviewer would), and a borderline score sends the
  liveness step to a reviewer with both faces' evidence.
The score is kept on both steps' evidence, for reviewers.
"""

from __future__ import annotations

from typing import Any

from openkyc.checks.base import CheckOutcome, Decision
from openkyc.checks.face.match import compare
from openkyc.domain.context import Ctx
from openkyc.domain.file import service as files
from openkyc.domain.session import repository as session_repo
from openkyc.domain.step import service as steps
from openkyc.domain.step.schemas import StepStatus
from openkyc.models import Step

DOCUMENT, LIVENESS = "ID_DOCUMENT", "LIVENESS"
FACE_FILE = {DOCUMENT: "face", LIVENESS: "liveness"}
REASON = "FACE_MISMATCH"


def _face_file(ctx: Ctx, step: Step) -> bytes | None:
    for row in files.of_attempt(ctx, step):
        if row.kind == files.PROCESSED + FACE_FILE[step.type]:
            return files.read(ctx, row)
    return None


def _counterpart(ctx: Ctx, step: Step) -> Step | None:
    wanted = LIVENESS if step.type == DOCUMENT else DOCUMENT
    for other in session_repo.steps(ctx.db, step.session_id):
        if other.type == wanted:
            return other
    return None


def settle(ctx: Ctx, step: Step, outcome: CheckOutcome) -> CheckOutcome:
    if step.type not in FACE_FILE or outcome.decision in (Decision.REJECT, Decision.RESUBMIT):
        return outcome
    mine = outcome.files.get(FACE_FILE[step.type])
    other = _counterpart(ctx, step)
    if mine is None or other is None or other.status not in _DECIDED:
        return outcome
    theirs = _face_file(ctx, other)
    if theirs is None:
        return outcome
    document, live = (mine[0], theirs) if step.type == DOCUMENT else (theirs, mine[0])
    match = compare(document, live)
    other.evidence = {**(other.evidence or {}), "face_match": match}
    evidence = {**outcome.evidence, "face_match": match}
    if step.type == DOCUMENT:
        return _document_outcome(outcome, evidence, match)
    return _liveness_outcome(ctx, other, outcome, evidence, match)


# The counterpart's face is only worth comparing once its own check has passed it.
_DECIDED = (StepStatus.APPROVED, StepStatus.PENDING_VERIFICATION)


def _document_outcome(
    outcome: CheckOutcome, evidence: dict[str, Any], match: dict[str, Any]
) -> CheckOutcome:
    if match["verdict"] == "mismatch":
        return CheckOutcome(Decision.REJECT, REASON, evidence, outcome.files)
    if match["verdict"] != "match":
        return CheckOutcome(Decision.REVIEW, REASON, evidence, outcome.files)
    return CheckOutcome(outcome.decision, outcome.reason_code, evidence, outcome.files)


def _liveness_outcome(
    ctx: Ctx, document: Step, outcome: CheckOutcome, evidence: dict[str, Any], match: dict[str, Any]
) -> CheckOutcome:
    verdict = match["verdict"]
    checked = document.status == StepStatus.APPROVED or document.needs_review
    if verdict == "mismatch" and checked:
        steps.decide(ctx, document, "reject", REASON, None)
    elif verdict != "match" and outcome.decision is Decision.APPROVE:
        return CheckOutcome(Decision.REVIEW, REASON, evidence, outcome.files)
    return CheckOutcome(outcome.decision, outcome.reason_code, evidence, outcome.files)
