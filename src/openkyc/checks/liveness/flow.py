"""The applicant's side of LIVENESS: ask for challenges, then send the video with the nonce.

No state is kept between the two calls: the nonce is signed with the deployment's hash
key and carries the step, the challenges and the time they were issued. It is valid for
NONCE_TTL_S seconds and for one submission of that step.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from openkyc.checks.liveness.challenge import (
    NONCE_TTL_S,
    NonceInvalid,
    issue_nonce,
    pick_challenges,
    read_nonce,
)
from openkyc.domain.context import Ctx
from openkyc.domain.file import service as files
from openkyc.domain.step import service as steps
from openkyc.domain.step.schemas import StepType
from openkyc.errors import Conflict, Invalid

INSTRUCTIONS = {
    "turn_left": "Turn your head to your left",
    "turn_right": "Turn your head to your right",
    "look_up": "Look up",
    "look_down": "Look down",
    "come_closer": "Bring your face closer to the camera",
}


def _sign(ctx: Ctx) -> Any:
    return ctx.ports.crypto.keyed_hash


def start(ctx: Ctx, session_id: str | None, step_id: str) -> dict[str, Any]:
    step = steps.applicant_step(ctx, session_id, step_id, StepType.LIVENESS)
    steps.ensure_open(step)
    now = int(ctx.now.timestamp())
    challenges = pick_challenges()
    return {
        "step_id": step.id,
        "challenges": [str(c) for c in challenges],
        "instructions": [INSTRUCTIONS[str(c)] for c in challenges],
        "nonce": issue_nonce(_sign(ctx), step.id, challenges, now),
        "expires_at": datetime.fromtimestamp(now + NONCE_TTL_S, UTC).isoformat(),
    }


def submit(
    ctx: Ctx, session_id: str | None, step_id: str, video: bytes, nonce: str, client: dict[str, Any]
) -> dict[str, Any]:
    step = steps.applicant_step(ctx, session_id, step_id, StepType.LIVENESS)
    steps.ensure_open(step)
    now = int(ctx.now.timestamp())
    try:
        issued = read_nonce(_sign(ctx), nonce, step.id, now)
    except NonceInvalid as exc:
        raise Invalid(str(exc)) from exc
    if steps.submission(ctx, step).get("nonce_id") == issued.nonce_id:
        raise Conflict("this liveness nonce was used already; ask for new challenges")
    files.store(ctx, step, "video", video, step.attempt_count + 1)
    data = {
        "challenges": [str(c) for c in issued.challenges],
        "nonce_id": issued.nonce_id,
        "issued_at": issued.issued_at,
        "received_at": now,
    }
    steps.submit(ctx, step, data, client)
    return {"id": step.id, "status": step.status}
