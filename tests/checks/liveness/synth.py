"""Synthetic liveness videos made from real face photos that ship inside PyPI packages.

A head turn is imitated by a 3D-like warp: the face is treated as a dome (the nose in
front, the cheeks behind) and rotated, so the nose moves across the eyes the way it does
on a real head, which a flat photo turned in front of a camera never does.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from fractions import Fraction
from functools import cache

import av
import cv2
import matplotlib
import numpy as np
from skimage import data

FPS = 15
SIZE = 360
NOSE = (182.0, 191.0)
FACE_WIDTH = 126.0
# (yaw degrees, pitch degrees, zoom) at the peak of each movement
PEAKS = {
    "turn_left": (28.0, 0.0, 1.0),
    "turn_right": (-28.0, 0.0, 1.0),
    "look_up": (0.0, -24.0, 1.0),
    "look_down": (0.0, 14.0, 1.0),  # nodding further hides the nose base behind itself
    "come_closer": (0.0, 0.0, 1.45),
    "still": (0.0, 0.0, 1.0),
}


def _square(rgb: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return np.ascontiguousarray(
        cv2.resize(rgb[y0:y1, x0:x1], (SIZE, SIZE), interpolation=cv2.INTER_AREA)
    )


@cache
def astronaut() -> np.ndarray:
    """Eileen Collins (scikit-image's `astronaut`), her face about 150 px wide."""
    return _square(data.astronaut(), (98, 2, 348, 252))


@cache
def hopper() -> np.ndarray:
    """Grace Hopper (matplotlib's sample data), framed like `astronaut()`."""
    path = matplotlib.get_data_path() + "/sample_data/grace_hopper.jpg"
    bgr = cv2.imread(path)
    return _square(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), (12, 0, 512, 500))


def no_face() -> np.ndarray:
    ramp = np.linspace(40, 200, SIZE, dtype=np.float32)
    return np.stack([np.tile(ramp, (SIZE, 1))] * 3, axis=-1).astype(np.uint8)


def warp(face: np.ndarray, yaw: float, pitch: float, zoom: float) -> np.ndarray:
    """Rotate the face as a dome with a nose on it, around the nose (the crops above put
    every face's nose near NOSE, about FACE_WIDTH px wide)."""
    height, width = face.shape[:2]
    nx, ny = NOSE
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    fw = FACE_WIDTH
    dome = ((xx - nx) / (0.75 * fw)) ** 2 + ((yy - ny + 0.15 * fw) / (0.95 * fw)) ** 2
    depth = 0.35 * fw * np.sqrt(np.clip(1.0 - dome, 0.0, 1.0))
    bump = ((xx - nx) ** 2 + (yy - ny + 0.1 * fw) ** 2) / (2 * (0.13 * fw) ** 2)
    depth += 0.25 * fw * np.exp(-bump)
    ya, pa = np.radians(yaw), np.radians(pitch)
    depth = depth.astype(np.float32)
    map_x, map_y = xx, yy
    for _ in range(4):  # fixed point: the depth is the source point's, not the target's
        at = cv2.remap(depth, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        map_x = (nx + ((xx - nx) / zoom - at * np.sin(ya)) / np.cos(ya)).astype(np.float32)
        map_y = (ny + ((yy - ny) / zoom - at * np.sin(pa)) / np.cos(pa)).astype(np.float32)
    return cv2.remap(face, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def poses(moves: Sequence[str]) -> list[tuple[float, float, float]]:
    """0.4 s still, then per movement: 0.27 s towards the peak, 0.27 s held, 0.2 s back."""
    out = [(0.0, 0.0, 1.0)] * 6
    for move in moves:
        yaw, pitch, zoom = PEAKS[move]
        ramp = [k / 4 for k in range(1, 5)]
        out += [(yaw * t, pitch * t, 1 + (zoom - 1) * t) for t in ramp]
        out += [(yaw, pitch, zoom)] * 4
        out += [(yaw * t, pitch * t, 1 + (zoom - 1) * t) for t in reversed(ramp[:-1])]
    return out + [(0.0, 0.0, 1.0)] * 2


def frames(
    moves: Sequence[str], faces: Sequence[np.ndarray] | None = None, switch_at: float = 0.5
) -> list[np.ndarray]:
    """Frames following `moves`. With two faces, the second replaces the first at
    `switch_at` (a share of the video): an identity change."""
    faces = faces or [astronaut()]
    rng = np.random.default_rng(7)
    plan = poses(moves)
    out = []
    for index, (yaw, pitch, zoom) in enumerate(plan):
        face = faces[-1] if len(faces) > 1 and index >= switch_at * len(plan) else faces[0]
        frame = warp(face, yaw, pitch, zoom).astype(np.float32)
        frame += rng.normal(0.0, 2.0, frame.shape)  # sensor noise: a camera never repeats
        out.append(np.clip(frame, 0, 255).astype(np.uint8))
    return out


def side_by_side(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    return np.concatenate([left, right], axis=1)


def encode(frames_: Sequence[np.ndarray], container: str = "mp4", fps: int = FPS) -> bytes:
    """An mp4 (H.264) or a webm (VP8, as a browser's MediaRecorder writes)."""
    out = io.BytesIO()
    codec = "libx264" if container == "mp4" else "libvpx"
    with av.open(out, mode="w", format=container) as box:
        stream = box.add_stream(codec, rate=Fraction(fps))
        height, width = frames_[0].shape[:2]
        stream.width, stream.height = width - width % 2, height - height % 2
        stream.pix_fmt = "yuv420p"
        if codec == "libx264":
            stream.options = {"preset": "ultrafast", "crf": "20"}
        else:
            stream.bit_rate = 2_000_000
            stream.options = {"deadline": "realtime", "cpu-used": "8"}
        for rgb in frames_:
            frame = av.VideoFrame.from_ndarray(
                np.ascontiguousarray(rgb[: stream.height, : stream.width]), format="rgb24"
            )
            for packet in stream.encode(frame):
                box.mux(packet)
        for packet in stream.encode():
            box.mux(packet)
    return out.getvalue()


def video(moves: Sequence[str], container: str = "mp4", swap: bool = False) -> bytes:
    """A recording following `moves`; with `swap`, Grace Hopper takes over halfway."""
    return _video(tuple(moves), container, swap)


@cache
def _video(moves: tuple[str, ...], container: str, swap: bool) -> bytes:
    faces = [astronaut(), hopper()] if swap else [astronaut()]
    return encode(frames(moves, faces=faces), container)
