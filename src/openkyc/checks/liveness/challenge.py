"""Challenges: which head movements to ask for, the signed nonce that carries them, and
whether a sequence of poses performed them in order and in time. Pure functions."""

from __future__ import annotations

import base64
import json
import secrets
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from openkyc.checks.liveness.pose import Pose

NONCE_TTL_S = 120
MIN_CHALLENGES, MAX_CHALLENGES = 2, 4
# Each movement must come within this many seconds of the previous one (or of the start).
STEP_WINDOW_S = 6.0
# How far from the neutral pose a movement must go, and for how many sampled frames.
YAW_DELTA = 0.10
PITCH_UP_DELTA = 0.06
# Looking down moves the nose base less (past ~25 degrees it even moves back up).
PITCH_DOWN_DELTA = 0.04
CLOSER_RATIO = 1.25
HOLD_FRAMES = 2
NEUTRAL_FRAMES = 3


class Challenge(StrEnum):
    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"
    LOOK_UP = "look_up"
    LOOK_DOWN = "look_down"
    COME_CLOSER = "come_closer"


ALIASES = {
    "left": Challenge.TURN_LEFT,
    "right": Challenge.TURN_RIGHT,
    "up": Challenge.LOOK_UP,
    "down": Challenge.LOOK_DOWN,
    "closer": Challenge.COME_CLOSER,
}


class NonceInvalid(ValueError):
    pass


def parse_challenges(names: Sequence[str]) -> list[Challenge]:
    """Accept the full names and the short ones (left, right, up, down, closer)."""
    out = []
    for raw in names:
        name = raw.strip().lower()
        if name in ALIASES:
            out.append(ALIASES[name])
        elif name in Challenge.__members__.values():
            out.append(Challenge(name))
        else:
            raise ValueError(f"unknown challenge {raw!r}")
    return out


def pick_challenges(rng: secrets.SystemRandom | None = None) -> list[Challenge]:
    """2 to 4 distinct movements in random order."""
    rng = rng or secrets.SystemRandom()
    count = rng.randint(MIN_CHALLENGES, MAX_CHALLENGES)
    return rng.sample(list(Challenge), count)


@dataclass(frozen=True)
class Nonce:
    nonce_id: str
    step_id: str
    challenges: list[Challenge]
    issued_at: int  # unix seconds

    @property
    def expires_at(self) -> int:
        return self.issued_at + NONCE_TTL_S


def issue_nonce(
    sign: Callable[[str], str], step_id: str, challenges: list[Challenge], now: int
) -> str:
    """`<payload>.<signature>`: the server keeps no state; the signature makes it unforgeable."""
    body = {"n": secrets.token_hex(12), "s": step_id, "c": [str(c) for c in challenges], "t": now}
    payload = base64.urlsafe_b64encode(json.dumps(body, separators=(",", ":")).encode()).decode()
    return f"{payload}.{sign('liveness-nonce|' + payload)}"


def read_nonce(sign: Callable[[str], str], token: str, step_id: str, now: int) -> Nonce:
    payload, _, signature = token.strip().partition(".")
    if not payload or not secrets.compare_digest(sign("liveness-nonce|" + payload), signature):
        raise NonceInvalid("the liveness nonce is not valid")
    try:
        body = json.loads(base64.urlsafe_b64decode(payload.encode()))
        nonce = Nonce(str(body["n"]), str(body["s"]), parse_challenges(body["c"]), int(body["t"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise NonceInvalid("the liveness nonce is not valid") from exc
    if nonce.step_id != step_id:
        raise NonceInvalid("the liveness nonce was issued for another step")
    if not nonce.issued_at <= now <= nonce.expires_at:
        raise NonceInvalid("the liveness nonce has expired; ask for new challenges")
    return nonce


def neutral_pose(poses: Sequence[Pose]) -> Pose:
    first = poses[:NEUTRAL_FRAMES]
    return Pose(
        yaw=statistics.median(p.yaw for p in first),
        pitch=statistics.median(p.pitch for p in first),
        roll=statistics.median(p.roll for p in first),
        size=statistics.median(p.size for p in first),
    )


def performs(challenge: Challenge, pose: Pose, neutral: Pose) -> bool:
    yaw, pitch = pose.yaw - neutral.yaw, pose.pitch - neutral.pitch
    if challenge is Challenge.TURN_LEFT:
        return yaw >= YAW_DELTA
    if challenge is Challenge.TURN_RIGHT:
        return yaw <= -YAW_DELTA
    if challenge is Challenge.LOOK_UP:
        return pitch <= -PITCH_UP_DELTA and abs(yaw) < YAW_DELTA
    if challenge is Challenge.LOOK_DOWN:
        return pitch >= PITCH_DOWN_DELTA and abs(yaw) < YAW_DELTA
    return neutral.size > 0 and pose.size / neutral.size >= CLOSER_RATIO


@dataclass(frozen=True)
class StepResult:
    challenge: Challenge
    performed: bool
    at: float | None  # seconds into the video


def follow(
    challenges: Sequence[Challenge], poses: Sequence[Pose | None], times: Sequence[float]
) -> list[StepResult]:
    """Walk the frames once: each movement must appear, held, after the previous one and
    within STEP_WINDOW_S of it. Frames without a face (None) break a hold."""
    known = [p for p in poses if p is not None]
    if len(known) < NEUTRAL_FRAMES:
        return [StepResult(c, False, None) for c in challenges]
    neutral = neutral_pose(known)
    results: list[StepResult] = []
    index, since = 0, times[0] if times else 0.0
    for challenge in challenges:
        found = _find(challenge, poses, times, neutral, index, since)
        if found is None:
            results.append(StepResult(challenge, False, None))
            results.extend(StepResult(c, False, None) for c in challenges[len(results) :])
            return results
        index, since = found
        results.append(StepResult(challenge, True, round(since, 2)))
    return results


def _find(
    challenge: Challenge,
    poses: Sequence[Pose | None],
    times: Sequence[float],
    neutral: Pose,
    start: int,
    since: float,
) -> tuple[int, float] | None:
    held = 0
    for i in range(start, len(poses)):
        if times[i] - since > STEP_WINDOW_S and held == 0:
            return None
        pose = poses[i]
        held = held + 1 if pose is not None and performs(challenge, pose, neutral) else 0
        if held >= HOLD_FRAMES:
            return i + 1, times[i]
    return None
