"""Turn a flat sample document into a photo of it: background, placement, perspective,
rotation, blur, noise, glare and JPEG compression, all seeded."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


@dataclass(frozen=True)
class Degradation:
    name: str
    background: bool = True  # False: a flat scan, the document fills the frame
    angle: float = 0.0  # maximum in-plane tilt, degrees
    perspective: float = 0.0  # maximum corner shift, share of the size
    blur: float = 0.0  # Gaussian radius, pixels of the output
    noise: float = 0.0  # standard deviation, 0-255
    jpeg: int = 92
    glare: bool = False
    quarter_turns: int = 0  # 90-degree rotations, counter-clockwise
    width: int = 1280  # output width (before a quarter turn)


LEVELS = {
    "clean": Degradation("clean", background=False, jpeg=95, width=1100),
    "light": Degradation("light", angle=4, perspective=0.02, blur=0.5, noise=3, jpeg=88),
    "medium": Degradation("medium", angle=8, perspective=0.04, blur=1.0, noise=7, jpeg=75),
    "heavy": Degradation(
        "heavy", angle=12, perspective=0.06, blur=1.5, noise=11, jpeg=60, glare=True
    ),
}


def photograph(doc: Image.Image, level: Degradation, seed: int = 0) -> bytes:
    rng = random.Random(seed)
    if level.background:
        image = _on_table(doc, level, rng)
    else:
        image = doc.resize((level.width, int(doc.height * level.width / doc.width)))
    if level.glare:
        image = _glare(image, rng)
    if level.blur:
        image = image.filter(ImageFilter.GaussianBlur(level.blur))
    if level.noise:
        array = np.asarray(image).astype(np.float32)
        noise = np.random.default_rng(seed).normal(0, level.noise, array.shape)
        image = Image.fromarray(np.clip(array + noise, 0, 255).astype(np.uint8))
    if level.quarter_turns:
        image = image.rotate(90 * level.quarter_turns, expand=True)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=level.jpeg)
    return out.getvalue()


def _on_table(doc: Image.Image, level: Degradation, rng: random.Random) -> Image.Image:
    """The document at 70-85% of the frame on a darker textured background."""
    width = level.width
    height = int(width * 0.75)
    base = (rng.randint(40, 90), rng.randint(35, 80), rng.randint(30, 70))
    table = Image.new("RGB", (width, height), base)
    texture = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 6, (height, width, 1))
    array = np.clip(np.asarray(table).astype(np.float32) + texture, 0, 255).astype(np.uint8)
    table = Image.fromarray(array)
    share = rng.uniform(0.70, 0.82)
    doc_w = int(width * share)
    doc_h = int(doc.height * doc_w / doc.width)
    if doc_h > height * 0.9:
        doc_h = int(height * 0.9)
        doc_w = int(doc.width * doc_h / doc.height)
    scaled = doc.resize((doc_w, doc_h), Image.Resampling.LANCZOS)
    x = rng.randint(int(width * 0.05), width - doc_w - int(width * 0.05))
    y = rng.randint(
        int(height * 0.05), max(int(height * 0.05), height - doc_h - int(height * 0.05))
    )
    corners: list[tuple[float, float]] = [
        (x, y),
        (x + doc_w, y),
        (x + doc_w, y + doc_h),
        (x, y + doc_h),
    ]
    corners = _tilt(corners, rng.uniform(-level.angle, level.angle))
    jitter = level.perspective * doc_w
    corners = [
        (cx + rng.uniform(-jitter, jitter), cy + rng.uniform(-jitter, jitter)) for cx, cy in corners
    ]
    return _paste_warped(table, scaled, corners)


def _tilt(corners: list[tuple[float, float]], degrees: float) -> list[tuple[float, float]]:
    cx = sum(c[0] for c in corners) / 4
    cy = sum(c[1] for c in corners) / 4
    rad = np.deg2rad(degrees)
    cos, sin = float(np.cos(rad)), float(np.sin(rad))
    return [
        (cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos)
        for x, y in corners
    ]


def _paste_warped(
    table: Image.Image, doc: Image.Image, corners: list[tuple[float, float]]
) -> Image.Image:
    import cv2

    src = np.array(
        [[0, 0], [doc.width, 0], [doc.width, doc.height], [0, doc.height]], dtype=np.float32
    )
    dst = np.array(corners, dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    size = table.size
    warped = cv2.warpPerspective(np.asarray(doc), matrix, size, flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full((doc.height, doc.width), 255, np.uint8), matrix, size)
    out = np.asarray(table).copy()
    out[mask > 127] = warped[mask > 127]
    return Image.fromarray(out)


def _glare(image: Image.Image, rng: random.Random) -> Image.Image:
    """A soft bright reflection away from the machine-readable zone."""
    w, h = image.size
    layer = Image.new("L", (w, h), 0)
    cx, cy, r = rng.uniform(0.5, 0.8) * w, rng.uniform(0.2, 0.45) * h, rng.uniform(0.06, 0.1) * w
    ImageDraw.Draw(layer).ellipse((cx - r, cy - r * 0.6, cx + r, cy + r * 0.6), fill=200)
    layer = layer.filter(ImageFilter.GaussianBlur(r / 3))
    white = Image.new("RGB", (w, h), (255, 255, 255))
    return Image.composite(white, image, layer)
