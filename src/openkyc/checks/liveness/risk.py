"""Frame-level risk signals, recorded as evidence. None of them proves a spoof on its own;
strong ones send an otherwise passing video to a reviewer.

- sharpness: variance of the Laplacian on the face (a reprinted or refilmed face is soft)
- glare: share of saturated pixels on the face (a screen or a glossy print reflects)
- moire: strongest periodic peak in the face's high frequencies (a screen refilmed)
- frame timing: irregular gaps or repeated frames (an injected or edited stream)
- motion: how much the picture changes at all (a still image shown to the camera)
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import cv2
import numpy as np

from openkyc.checks.face.detect import Face
from openkyc.checks.face.image import RGBImage

CROP = 128
SHARPNESS_MIN = 15.0
GLARE_MAX = 0.08
MOIRE_MAX = 60.0
TIMING_CV_MAX = 0.6
REPEATED_MAX = 0.3
MOTION_MIN = 0.5


def face_crop(rgb: RGBImage, face: Face, size: int = CROP) -> np.ndarray[Any, np.dtype[np.uint8]]:
    height, width = rgb.shape[:2]
    x0, y0 = max(0, int(face.x)), max(0, int(face.y))
    x1, y1 = min(width, int(face.x + face.width)), min(height, int(face.y + face.height))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return np.zeros((size, size), dtype=np.uint8)
    gray = cv2.cvtColor(np.ascontiguousarray(rgb[y0:y1, x0:x1]), cv2.COLOR_RGB2GRAY)
    return np.asarray(cv2.resize(gray, (size, size), interpolation=cv2.INTER_AREA), dtype=np.uint8)


def color_crop(rgb: RGBImage, face: Face, padding: float = 0.2) -> RGBImage:
    """The face with some margin, in colour (what an anti-spoofing model looks at)."""
    height, width = rgb.shape[:2]
    px, py = face.width * padding, face.height * padding
    x0, y0 = max(0, int(face.x - px)), max(0, int(face.y - py))
    x1 = min(width, int(face.x + face.width + px))
    y1 = min(height, int(face.y + face.height + py))
    return np.ascontiguousarray(rgb[y0:y1, x0:x1])


def sharpness(gray: np.ndarray[Any, np.dtype[np.uint8]]) -> float:
    return float(cv2.Laplacian(gray, cv2.CV_64F).var())


def glare(gray: np.ndarray[Any, np.dtype[np.uint8]]) -> float:
    return float(np.mean(gray >= 250))


def moire(gray: np.ndarray[Any, np.dtype[np.uint8]]) -> float:
    """Peak-to-median ratio of the spectrum outside the low frequencies a face is made of."""
    window = np.outer(np.hanning(gray.shape[0]), np.hanning(gray.shape[1]))
    spectrum = np.abs(np.fft.fftshift(np.fft.fft2((gray - gray.mean()) * window)))
    cy, cx = spectrum.shape[0] // 2, spectrum.shape[1] // 2
    yy, xx = np.ogrid[: spectrum.shape[0], : spectrum.shape[1]]
    radius = np.hypot(yy - cy, xx - cx)
    band = spectrum[(radius > spectrum.shape[0] / 6) & (radius < spectrum.shape[0] / 2)]
    median = float(np.median(band))
    return float(band.max() / median) if median > 0 else 0.0


def timing(decoded_times: Sequence[float]) -> dict[str, float]:
    gaps = [b - a for a, b in pairwise(decoded_times)]
    positive = [g for g in gaps if g > 0]
    if len(positive) < 2:
        return {"fps": 0.0, "interval_cv": 0.0, "repeated_timestamps": 0.0}
    mean = statistics.fmean(positive)
    return {
        "fps": round(1.0 / mean, 2),
        "interval_cv": round(statistics.pstdev(positive) / mean, 3),
        "repeated_timestamps": round(1 - len(positive) / len(gaps), 3),
    }


def motion(frames: Sequence[RGBImage]) -> dict[str, float]:
    """Mean absolute change between consecutive frames, and the share of frozen frames."""
    small = [
        cv2.resize(cv2.cvtColor(f, cv2.COLOR_RGB2GRAY), (64, 64)).astype(np.float32) for f in frames
    ]
    diffs = [float(np.mean(np.abs(b - a))) for a, b in pairwise(small)]
    if not diffs:
        return {"mean_change": 0.0, "frozen_frames": 1.0}
    return {
        "mean_change": round(statistics.fmean(diffs), 3),
        "frozen_frames": round(sum(d < 0.05 for d in diffs) / len(diffs), 3),
    }


def face_signals(crops: Sequence[np.ndarray[Any, np.dtype[np.uint8]]]) -> dict[str, float]:
    if not crops:
        return {"sharpness": 0.0, "glare": 0.0, "moire": 0.0}
    return {
        "sharpness": round(statistics.median(sharpness(c) for c in crops), 2),
        "glare": round(max(glare(c) for c in crops), 4),
        "moire": round(statistics.median(moire(c) for c in crops), 2),
    }


def flags(signals: dict[str, float]) -> list[str]:
    """The names of the signals past their limit."""
    out = []
    if signals.get("sharpness", SHARPNESS_MIN) < SHARPNESS_MIN:
        out.append("blurry")
    if signals.get("glare", 0.0) > GLARE_MAX:
        out.append("glare")
    if signals.get("moire", 0.0) > MOIRE_MAX:
        out.append("moire")
    if signals.get("interval_cv", 0.0) > TIMING_CV_MAX:
        out.append("irregular_frame_rate")
    if (
        signals.get("repeated_timestamps", 0.0) > REPEATED_MAX
        or signals.get("frozen_frames", 0.0) > REPEATED_MAX
    ):
        out.append("repeated_frames")
    if signals.get("mean_change", MOTION_MIN) < MOTION_MIN:
        out.append("no_motion")
    return out
