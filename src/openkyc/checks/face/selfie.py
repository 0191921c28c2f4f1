"""A LIVENESS step submitted as a still selfie (the SynapseFI SELFIE sub-document) rather
than a video: one face must be found in the photo. It is no proof of liveness, which
needs the video's head movements; what it gives is the face, kept as the step's
`liveness` file, so the face match with the ID document (crossmatch) and the duplicate
search run on it as on a video's best frame."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openkyc.checks.base import Check, CheckInput, CheckOutcome, Decision
from openkyc.checks.face import models
from openkyc.checks.face.detect import detect_faces
from openkyc.checks.face.embed import align
from openkyc.checks.face.image import ImageInvalid, decode_image, encode_jpeg
from openkyc.checks.liveness.check import LivenessCheck

if TYPE_CHECKING:
    from openkyc.domain.context import Ctx


def decide(evidence: dict[str, Any]) -> CheckOutcome:
    """Pure rule over the evidence of a still selfie."""
    if "image_error" in evidence:
        return CheckOutcome(Decision.RESUBMIT, "FACE_NOT_FOUND", evidence)
    faces = int(evidence.get("faces", 0))
    if faces == 0:
        return CheckOutcome(Decision.RESUBMIT, "FACE_NOT_FOUND", evidence)
    if faces > 1:
        return CheckOutcome(Decision.RESUBMIT, "MULTIPLE_FACES", evidence)
    return CheckOutcome(Decision.APPROVE, None, evidence)


def check_selfie(photo: bytes) -> CheckOutcome:
    try:
        rgb = decode_image(photo)
    except ImageInvalid as exc:
        return decide({"mode": "selfie", "image_error": str(exc)})
    found = detect_faces(models.load(), rgb)
    outcome = decide({"mode": "selfie", "faces": len(found)})
    if outcome.decision is not Decision.APPROVE:
        return outcome
    face = encode_jpeg(align(rgb, found[0], size=224, padding=0.4))
    return CheckOutcome(
        outcome.decision, None, outcome.evidence, {"liveness": (face, "image/jpeg")}
    )


class FaceStepCheck:
    """LIVENESS: the video check, or the selfie check when only a photo was sent."""

    def __init__(self, video: Check | None = None) -> None:
        self.video = video or LivenessCheck()

    def bind(self, ctx: Ctx) -> FaceStepCheck:
        video = self.video
        return FaceStepCheck(video.bind(ctx) if isinstance(video, LivenessCheck) else video)

    def run(self, data: CheckInput) -> CheckOutcome:
        if "video" not in data.files and "selfie" in data.files:
            return check_selfie(data.files["selfie"]())
        return self.video.run(data)
