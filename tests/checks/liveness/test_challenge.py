"""The pure parts: challenges, nonces, following poses, the decision rule."""

from __future__ import annotations

from typing import Any

import pytest

from openkyc.checks.base import Decision
from openkyc.checks.liveness.challenge import (
    NONCE_TTL_S,
    Challenge,
    NonceInvalid,
    follow,
    issue_nonce,
    parse_challenges,
    pick_challenges,
    read_nonce,
)
from openkyc.checks.liveness.check import decide, submission_timing
from openkyc.checks.liveness.pose import Pose
from openkyc.kit.crypto import Crypto

SIGN = Crypto("k" * 40).keyed_hash
NEUTRAL = Pose(yaw=0.0, pitch=0.7, roll=0.0, size=0.3)
LEFT = Pose(yaw=0.2, pitch=0.7, roll=0.0, size=0.3)
RIGHT = Pose(yaw=-0.2, pitch=0.7, roll=0.0, size=0.3)
UP = Pose(yaw=0.0, pitch=0.55, roll=0.0, size=0.3)


def test_parse_accepts_short_and_full_names() -> None:
    assert parse_challenges(["left", "look_up", " Closer "]) == [
        Challenge.TURN_LEFT,
        Challenge.LOOK_UP,
        Challenge.COME_CLOSER,
    ]
    with pytest.raises(ValueError):
        parse_challenges(["sideways"])


def test_pick_gives_two_to_four_distinct_movements() -> None:
    for _ in range(50):
        picked = pick_challenges()
        assert 2 <= len(picked) <= 4 and len(set(picked)) == len(picked)


def test_nonce_round_trip_and_refusals() -> None:
    token = issue_nonce(SIGN, "step1", [Challenge.TURN_LEFT, Challenge.LOOK_UP], 1000)
    nonce = read_nonce(SIGN, token, "step1", 1000 + NONCE_TTL_S)
    assert nonce.challenges == [Challenge.TURN_LEFT, Challenge.LOOK_UP]
    with pytest.raises(NonceInvalid, match="expired"):
        read_nonce(SIGN, token, "step1", 1001 + NONCE_TTL_S)
    with pytest.raises(NonceInvalid, match="another step"):
        read_nonce(SIGN, token, "step2", 1000)
    with pytest.raises(NonceInvalid):
        read_nonce(Crypto("x" * 40).keyed_hash, token, "step1", 1000)  # another deployment
    payload, signature = token.split(".")
    with pytest.raises(NonceInvalid):
        read_nonce(SIGN, payload[:-2] + "AA." + signature, "step1", 1000)
    for junk in ("", ".", "abc", "a.b.c"):
        with pytest.raises(NonceInvalid):
            read_nonce(SIGN, junk, "step1", 1000)


def frames(*segments: tuple[Pose | None, int]) -> tuple[list[Pose | None], list[float]]:
    poses: list[Pose | None] = []
    for pose, count in segments:
        poses += [pose] * count
    return poses, [i / 15 for i in range(len(poses))]


def test_follow_in_order() -> None:
    poses, times = frames((NEUTRAL, 5), (LEFT, 4), (NEUTRAL, 4), (UP, 4))
    result = follow([Challenge.TURN_LEFT, Challenge.LOOK_UP], poses, times)
    assert [r.performed for r in result] == [True, True]
    assert result[0].at is not None and result[1].at is not None and result[0].at < result[1].at


def test_follow_refuses_the_wrong_order_and_the_wrong_movement() -> None:
    poses, times = frames((NEUTRAL, 5), (UP, 4), (NEUTRAL, 4), (LEFT, 4))
    result = follow([Challenge.TURN_LEFT, Challenge.LOOK_UP], poses, times)
    assert [r.performed for r in result] == [True, False]
    poses, times = frames((NEUTRAL, 5), (RIGHT, 6))
    assert not follow([Challenge.TURN_LEFT], poses, times)[0].performed


def test_follow_needs_a_held_movement_in_time() -> None:
    poses, times = frames((NEUTRAL, 5), (LEFT, 1), (NEUTRAL, 5))  # a one-frame glitch
    assert not follow([Challenge.TURN_LEFT], poses, times)[0].performed
    poses, times = frames((NEUTRAL, 5), (LEFT, 2), (None, 2), (NEUTRAL, 100), (UP, 4))
    result = follow([Challenge.TURN_LEFT, Challenge.LOOK_UP], poses, times)
    assert [r.performed for r in result] == [True, False]  # 6.7 s later: too late


def good_evidence(**changes: Any) -> dict[str, Any]:
    evidence: dict[str, Any] = {
        "faces": {"frames": 30, "without_face": 2, "with_several": 0},
        "challenges": [{"challenge": "turn_left", "performed": True, "at": 0.7}],
        "identity": {"min_similarity": 0.95, "frames_compared": 5},
        "risk": {"flags": []},
        "timing": {"in_time": True},
    }
    evidence.update(changes)
    return evidence


@pytest.mark.parametrize(
    ("changes", "decision", "reason"),
    [
        ({}, Decision.APPROVE, None),
        ({"video_error": "too_long"}, Decision.RESUBMIT, "VIDEO_INVALID"),
        ({"timing": {"in_time": False}}, Decision.RESUBMIT, "LIVENESS_FAILED"),
        ({"challenges": []}, Decision.RESUBMIT, "LIVENESS_FAILED"),
        (
            {"faces": {"frames": 30, "without_face": 0, "with_several": 5}},
            Decision.RESUBMIT,
            "MULTIPLE_FACES",
        ),
        (
            {"faces": {"frames": 30, "without_face": 20, "with_several": 0}},
            Decision.RESUBMIT,
            "FACE_NOT_FOUND",
        ),
        (
            {"identity": {"min_similarity": 0.85, "frames_compared": 5}},
            Decision.REJECT,
            "LIVENESS_FACE_CHANGED",
        ),
        (
            {"challenges": [{"challenge": "turn_left", "performed": False, "at": None}]},
            Decision.RESUBMIT,
            "LIVENESS_FAILED",
        ),
        ({"risk": {"flags": ["moire"]}}, Decision.REVIEW, "SPOOF_SUSPECTED"),
    ],
)
def test_decide(changes: dict[str, Any], decision: Decision, reason: str | None) -> None:
    outcome = decide(good_evidence(**changes), {})
    assert (outcome.decision, outcome.reason_code) == (decision, reason)


def test_submission_timing() -> None:
    assert submission_timing({"issued_at": 10, "received_at": 100})["in_time"] is True
    assert (
        submission_timing({"issued_at": 10, "received_at": 10 + NONCE_TTL_S + 1})["in_time"]
        is False
    )
    assert submission_timing({})["in_time"] is False
