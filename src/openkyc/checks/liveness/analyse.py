"""From decoded frames to liveness evidence: faces per frame, poses, the challenges, the
identity across frames, and the risk signals. The best frontal frame comes back too."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from openkyc.checks.face.detect import Face, detect_faces
from openkyc.checks.face.embed import Embedding, embed
from openkyc.checks.face.image import RGBImage
from openkyc.checks.face.models import MODEL_VERSION, FaceModels
from openkyc.checks.face.similarity import cosine
from openkyc.checks.liveness import risk
from openkyc.checks.liveness.challenge import Challenge, StepResult, follow, neutral_pose
from openkyc.checks.liveness.pose import Pose, frontality, pose_of
from openkyc.checks.liveness.video import Video

# Embeddings are the slow part (about 80 ms each): compare at most this many frames.
IDENTITY_FRAMES = 4  # plus up to 2 more to always cover both ends
# Frames are searched for faces at this size: a selfie face (a quarter of the width or more)
# stays above the detector's 80 px minimum, and a 3 s video takes well under a second.
DETECT_SIDE = 320

# Scores a face crop with an operator's anti-spoofing model; None when none is configured.
SpoofScorer = Callable[[RGBImage], dict[str, Any]]


@dataclass
class Analysis:
    evidence: dict[str, Any]
    best_frame: RGBImage | None
    best_face: Face | None
    embedding: Embedding | None


def analyse(
    models: FaceModels,
    video: Video,
    challenges: Sequence[Challenge],
    spoof_scorer: SpoofScorer | None = None,
) -> Analysis:
    per_frame = [
        detect_faces(models, f, upsample=False, max_side=DETECT_SIDE) for f in video.frames
    ]
    single = [faces[0] if len(faces) == 1 else None for faces in per_frame]
    poses: list[Pose | None] = [
        pose_of(face, frame.shape[1]) if face else None
        for face, frame in zip(single, video.frames, strict=True)
    ]
    steps = follow(challenges, poses, video.times)
    evidence = _frame_evidence(video, per_frame, steps)
    known = [(i, p) for i, p in enumerate(poses) if p is not None]
    if not known:
        return Analysis(evidence, None, None, None)
    best = _best_frame(known, video.frames)
    chosen = _identity_frames(best, known, steps, video.times)
    embeddings = {i: embed(models, video.frames[i], _face(single, i)) for i in chosen}
    similarities = [cosine(embeddings[best], embeddings[i]) for i in chosen if i != best]
    evidence["identity"] = {
        "frames_compared": len(chosen),
        "min_similarity": round(min(similarities), 4) if similarities else 1.0,
    }
    crops = [risk.face_crop(video.frames[i], _face(single, i)) for i in chosen]
    signals = {
        **risk.face_signals(crops),
        **risk.timing(video.decoded_times),
        **risk.motion(video.frames),
    }
    evidence["risk"] = {**signals, "flags": risk.flags(signals)}
    if spoof_scorer is not None:
        evidence["antispoof"] = spoof_scorer(
            risk.color_crop(video.frames[best], _face(single, best))
        )
    return Analysis(evidence, video.frames[best], _face(single, best), embeddings[best])


def _frame_evidence(
    video: Video, per_frame: list[list[Face]], steps: list[StepResult]
) -> dict[str, Any]:
    return {
        "model": MODEL_VERSION,
        "video": {
            "codec": video.codec,
            "width": video.width,
            "height": video.height,
            "duration": round(video.duration, 2),
            "frames": len(video.frames),
        },
        "faces": {
            "frames": len(per_frame),
            "without_face": sum(1 for faces in per_frame if not faces),
            "with_several": sum(1 for faces in per_frame if len(faces) > 1),
        },
        "challenges": [_step_doc(s) for s in steps],
    }


def _face(single: list[Face | None], index: int) -> Face:
    face = single[index]
    assert face is not None  # only indexes of frames with one face reach here
    return face


def _best_frame(known: list[tuple[int, Pose]], frames: Sequence[RGBImage]) -> int:
    neutral = neutral_pose([p for _, p in known])
    return min(known, key=lambda item: (round(frontality(item[1], neutral), 2), -item[1].size))[0]


def _identity_frames(
    best: int, known: list[tuple[int, Pose]], steps: list[StepResult], times: Sequence[float]
) -> list[int]:
    """The best frame, the frames where movements were seen, then evenly spread ones that
    always include the first and the last: a face swapped mid-video shows at one end."""
    indexes = [i for i, _ in known]
    chosen = [best]
    for step in steps:
        if step.at is not None:
            chosen.append(min(indexes, key=lambda i: abs(times[i] - (step.at or 0.0))))
    chosen = list(dict.fromkeys(chosen))
    slots = max(2, IDENTITY_FRAMES - len(chosen))
    last = len(indexes) - 1
    chosen.extend(indexes[round(k * last / (slots - 1))] for k in range(slots))
    return list(dict.fromkeys(chosen))


def _step_doc(step: StepResult) -> dict[str, Any]:
    return {"challenge": str(step.challenge), "performed": step.performed, "at": step.at}
