"""LIVENESS on synthetic videos made from real face photos, and on bad input."""

from __future__ import annotations

import io
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from tests.checks.liveness import synth
from typer.testing import CliRunner

from openkyc.checks.base import CheckInput, CheckOutcome, Decision
from openkyc.checks.face.image import decode_image
from openkyc.checks.liveness.check import LivenessCheck
from openkyc.checks.liveness.video import (
    MAX_DURATION_S,
    VideoInvalid,
    VideoProblem,
    decode_video,
    upright,
)
from openkyc.cli import cli


def run(video: bytes, challenges: list[str]) -> CheckOutcome:
    data = CheckInput(
        step_type="LIVENESS",
        settings={},
        submission={"challenges": challenges, "issued_at": 1000, "received_at": 1030},
        sandbox=False,
        files={"video": lambda: video},
    )
    return LivenessCheck().run(data)


def test_following_the_challenges_passes_and_returns_the_best_frame() -> None:
    outcome = run(synth.video(["turn_left", "look_up"]), ["turn_left", "look_up"])
    assert (outcome.decision, outcome.reason_code) == (Decision.APPROVE, None), outcome.evidence
    assert [c["performed"] for c in outcome.evidence["challenges"]] == [True, True]
    assert outcome.evidence["identity"]["min_similarity"] >= 0.9
    blob, content_type = outcome.files["liveness"]
    assert content_type == "image/jpeg" and decode_image(blob).shape[2] == 3


def test_a_browser_webm_with_other_movements_passes() -> None:
    moves = ["turn_right", "look_down", "come_closer"]
    outcome = run(synth.video(moves, container="webm"), moves)
    assert outcome.decision is Decision.APPROVE, outcome.evidence
    assert outcome.evidence["video"]["codec"] == "vp8"


def test_the_wrong_movement_fails() -> None:
    outcome = run(synth.video(["turn_right", "look_up"]), ["turn_left", "look_up"])
    assert (outcome.decision, outcome.reason_code) == (Decision.RESUBMIT, "LIVENESS_FAILED")
    assert outcome.evidence["challenges"][0]["performed"] is False


def test_the_right_movements_in_the_wrong_order_fail() -> None:
    outcome = run(synth.video(["look_up", "turn_left"]), ["turn_left", "look_up"])
    assert outcome.reason_code == "LIVENESS_FAILED"


def test_a_static_photo_fails() -> None:
    outcome = run(synth.video(["still", "still"]), ["turn_left", "turn_right"])
    assert (outcome.decision, outcome.reason_code) == (Decision.RESUBMIT, "LIVENESS_FAILED")
    assert "no_motion" in outcome.evidence["risk"]["flags"]


def test_two_faces_fail() -> None:
    pair = synth.side_by_side(synth.astronaut(), synth.hopper())
    video = synth.encode([pair] * 20)
    outcome = run(video, ["turn_left", "look_up"])
    assert (outcome.decision, outcome.reason_code) == (Decision.RESUBMIT, "MULTIPLE_FACES")


def test_no_face_fails() -> None:
    outcome = run(synth.encode([synth.no_face()] * 20), ["turn_left", "look_up"])
    assert (outcome.decision, outcome.reason_code) == (Decision.RESUBMIT, "FACE_NOT_FOUND")
    assert "liveness" not in outcome.files


def test_a_face_that_changes_mid_video_is_rejected() -> None:
    video = synth.video(["turn_left", "turn_right"], swap=True)
    outcome = run(video, ["turn_left", "turn_right"])
    assert (outcome.decision, outcome.reason_code) == (Decision.REJECT, "LIVENESS_FACE_CHANGED")


def test_a_late_video_fails() -> None:
    data = CheckInput(
        step_type="LIVENESS",
        settings={},
        submission={"challenges": ["turn_left"], "issued_at": 1000, "received_at": 1500},
        sandbox=False,
        files={"video": lambda: synth.encode([synth.no_face()] * 3)},
    )
    assert LivenessCheck().run(data).reason_code == "LIVENESS_FAILED"


def tiny_video(seconds: float, fps: int = 2, size: tuple[int, int] = (64, 48)) -> bytes:
    count = max(1, int(seconds * fps))
    frames = [np.full((size[1], size[0], 3), i % 255, dtype=np.uint8) for i in range(count)]
    return synth.encode(frames, fps=fps)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", VideoProblem.EMPTY),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, VideoProblem.NOT_A_VIDEO),
        (b"\x1aE\xdf\xa3" + b"\x00" * 50 + b"garbage" * 100, VideoProblem.NOT_A_VIDEO),
    ],
    ids=["zero-length", "not-a-video", "corrupt-webm-header"],
)
def test_bad_bytes_are_refused(data: bytes, problem: VideoProblem) -> None:
    with pytest.raises(VideoInvalid) as caught:
        decode_video(data)
    assert caught.value.problem is problem


def test_a_truncated_container_is_refused() -> None:
    whole = synth.encode([synth.no_face()] * 10)
    with pytest.raises(VideoInvalid) as caught:
        decode_video(whole[: len(whole) // 3])
    assert caught.value.problem in (
        VideoProblem.NOT_A_VIDEO,
        VideoProblem.CORRUPT,
        VideoProblem.NO_FRAMES,
    )


def test_a_ten_minute_video_is_refused_from_its_header() -> None:
    with pytest.raises(VideoInvalid) as caught:
        decode_video(tiny_video(600, fps=1))
    assert caught.value.problem is VideoProblem.TOO_LONG
    decode_video(tiny_video(MAX_DURATION_S - 2))  # just under the limit is fine


def test_a_long_stream_without_a_duration_is_cut_while_decoding() -> None:
    out = io.BytesIO()
    with av.open(out, mode="w", format="h264") as box:  # a raw stream has no duration header
        stream = box.add_stream("libx264", rate=Fraction(25))  # what a reader assumes
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.options = {"preset": "ultrafast"}
        for i in range(int(MAX_DURATION_S * 25) + 25):
            frame = av.VideoFrame.from_ndarray(
                np.full((48, 64, 3), i % 250, np.uint8), format="rgb24"
            )
            for packet in stream.encode(frame):
                box.mux(packet)
        for packet in stream.encode():
            box.mux(packet)
    with pytest.raises(VideoInvalid) as caught:
        decode_video(out.getvalue())
    assert caught.value.problem is VideoProblem.TOO_LONG


def test_a_huge_resolution_is_refused() -> None:
    with pytest.raises(VideoInvalid) as caught:
        decode_video(tiny_video(1, fps=1, size=(3840, 2160)))
    assert caught.value.problem is VideoProblem.TOO_LARGE


def test_bad_video_becomes_a_resubmission() -> None:
    outcome = run(b"\x1aE\xdf\xa3garbage", ["turn_left"])
    assert (outcome.decision, outcome.reason_code) == (Decision.RESUBMIT, "VIDEO_INVALID")


def test_cli_checks_a_video(tmp_path: Path) -> None:
    path = tmp_path / "selfie.mp4"
    path.write_bytes(synth.video(["turn_left", "come_closer"]))
    result = CliRunner().invoke(
        cli, ["check", "liveness", str(path), "--challenges", "left,closer", "--json"]
    )
    assert result.exit_code == 0, result.output
    out: dict[str, Any] = json.loads(result.output)
    assert out["decision"] == "approve", out
    wrong = CliRunner().invoke(cli, ["check", "liveness", str(path), "--challenges", "right,up"])
    assert wrong.output.startswith("resubmit LIVENESS_FAILED")
    assert wrong.exit_code == 1


def test_an_operator_antispoofing_model_adds_its_score(tmp_path: Path) -> None:
    """Any local ONNX model taking an NCHW picture: here rapidocr's small classifier (it
    ships in a wheel) stands in for an operator's anti-spoofing model."""
    import rapidocr

    model = Path(rapidocr.__file__).parent / "models" / "ch_ppocr_mobile_v2.0_cls_mobile.onnx"
    data = CheckInput(
        step_type="LIVENESS",
        settings={},
        submission={"challenges": ["turn_left", "look_up"], "issued_at": 1, "received_at": 2},
        sandbox=False,
        files={"video": lambda: synth.video(["turn_left", "look_up"])},
    )
    outcome = LivenessCheck(antispoof_model=str(model)).run(data)
    score = outcome.evidence["antispoof"]
    assert score["model"] == model.name and len(score["sha256"]) == 64
    assert 0.0 <= score["live_score"] <= 1.0 and len(score["outputs"]) == 2
    assert outcome.decision is Decision.APPROVE  # evidence for reviewers, not a verdict
    missing = LivenessCheck(antispoof_model=str(tmp_path / "none.onnx")).run(data)
    assert missing.evidence["antispoof"]["error"] and missing.decision is Decision.APPROVE


def test_phone_rotation_is_applied() -> None:
    """A phone stores a portrait video sideways with a display rotation of -90 degrees
    (turn clockwise to show it): the face must come out upright."""
    face = synth.astronaut()
    stored = np.ascontiguousarray(np.rot90(face, 1))  # what the sensor wrote
    assert np.array_equal(upright(stored, -90), face)
    assert np.array_equal(upright(face, 0), face)
    assert np.array_equal(upright(upright(face, 180), 180), face)
