"""LIVENESS: the applicant followed the random head movements in a short video, alone,
with the same face throughout. The best frontal frame becomes the step's `liveness` file."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from openkyc.checks.base import CheckInput, CheckOutcome, Decision
from openkyc.checks.face import models
from openkyc.checks.face.image import encode_jpeg
from openkyc.checks.liveness import antispoof
from openkyc.checks.liveness.analyse import Analysis, SpoofScorer, analyse
from openkyc.checks.liveness.challenge import NONCE_TTL_S, Challenge, parse_challenges
from openkyc.checks.liveness.video import VideoInvalid, decode_video

if TYPE_CHECKING:
    from openkyc.domain.context import Ctx

# Faces must be found in at least this share of the frames (turned heads are sometimes
# missed), and more than one face in no more than this many frames.
MIN_FACE_SHARE = 0.5
MAX_SEVERAL_FRAMES = 2
# The same face seen turned and nodding scores 0.93 and more against its frontal frame;
# two different people score below 0.89 with this model (see checks/face/similarity.py).
IDENTITY_THRESHOLD = 0.90


def decide(evidence: dict[str, Any], settings: dict[str, Any]) -> CheckOutcome:
    """Pure rule over the evidence. Step setting `identity_threshold` (cosine, default
    IDENTITY_THRESHOLD) tunes how much a face may change across frames."""
    if "video_error" in evidence:
        return CheckOutcome(Decision.RESUBMIT, "VIDEO_INVALID", evidence)
    timing = evidence.get("timing", {})
    if not evidence.get("challenges") or not timing.get("in_time", False):
        return CheckOutcome(Decision.RESUBMIT, "LIVENESS_FAILED", evidence)
    faces = evidence.get("faces", {})
    frames = max(1, int(faces.get("frames", 0)))
    if faces.get("with_several", 0) > MAX_SEVERAL_FRAMES:
        return CheckOutcome(Decision.RESUBMIT, "MULTIPLE_FACES", evidence)
    seen = frames - int(faces.get("without_face", 0)) - int(faces.get("with_several", 0))
    if "identity" not in evidence or seen / frames < MIN_FACE_SHARE:
        return CheckOutcome(Decision.RESUBMIT, "FACE_NOT_FOUND", evidence)
    threshold = float(settings.get("identity_threshold", IDENTITY_THRESHOLD))
    if evidence["identity"]["min_similarity"] < threshold:
        return CheckOutcome(Decision.REJECT, "LIVENESS_FACE_CHANGED", evidence)
    if not all(c["performed"] for c in evidence["challenges"]):
        return CheckOutcome(Decision.RESUBMIT, "LIVENESS_FAILED", evidence)
    if evidence.get("risk", {}).get("flags"):
        return CheckOutcome(Decision.REVIEW, "SPOOF_SUSPECTED", evidence)
    return CheckOutcome(Decision.APPROVE, None, evidence)


def submission_timing(submission: dict[str, Any]) -> dict[str, Any]:
    """The video must arrive while its challenge nonce was valid."""
    issued, received = submission.get("issued_at"), submission.get("received_at")
    if not isinstance(issued, int) or not isinstance(received, int):
        return {"in_time": False}
    return {
        "issued_at": issued,
        "received_at": received,
        "in_time": 0 <= received - issued <= NONCE_TTL_S,
    }


def challenges_of(submission: dict[str, Any]) -> list[Challenge]:
    try:
        return parse_challenges([str(c) for c in submission.get("challenges") or []])
    except ValueError:
        return []


def run_liveness(
    video: bytes, challenges: list[Challenge], spoof_scorer: SpoofScorer | None = None
) -> tuple[dict[str, Any], Analysis | None]:
    """Decode and analyse; a bad video becomes evidence (`video_error`), not an exception."""
    try:
        decoded = decode_video(video)
    except VideoInvalid as exc:
        return {"video_error": str(exc.problem), "message": str(exc)}, None
    result = analyse(models.load(), decoded, challenges, spoof_scorer)
    return result.evidence, result


class LivenessCheck:
    def __init__(self, antispoof_model: str = "") -> None:
        self.antispoof_model = antispoof_model

    def bind(self, ctx: Ctx) -> LivenessCheck:
        return LivenessCheck(ctx.ports.settings.liveness_antispoof_model)

    def run(self, data: CheckInput) -> CheckOutcome:
        loader = data.files.get("video")
        challenges = challenges_of(data.submission)
        if loader is None:
            evidence: dict[str, Any] = {"video_error": "missing", "message": "no video was sent"}
            return decide(evidence, data.settings)
        scorer = partial(antispoof.score, self.antispoof_model) if self.antispoof_model else None
        evidence, result = run_liveness(loader(), challenges, scorer)
        evidence["timing"] = submission_timing(data.submission)
        outcome = decide(evidence, data.settings)
        if result is None or result.best_frame is None:
            return outcome
        best = (encode_jpeg(result.best_frame), "image/jpeg")
        return CheckOutcome(outcome.decision, outcome.reason_code, evidence, {"liveness": best})
