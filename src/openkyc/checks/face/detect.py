"""Face detection with 5 landmarks. Detection runs on a resized copy; results map back."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from openkyc.checks.face.image import RGBImage
from openkyc.checks.face.models import FaceModels

Point = tuple[float, float]
# The HOG detector finds faces of about 80 px and more: images are brought into this band
# so that a face filling a tenth of a photo is still seen, and big photos stay fast.
MIN_SIDE = 360
MAX_SIDE = 640
# HOG scores: a real face scores about 1 and more (0.3 and more turned away); below this
# are the detector's false alarms on textures.
MIN_SCORE = 0.2


@dataclass(frozen=True)
class Face:
    x: float
    y: float
    width: float
    height: float
    score: float
    # dlib's 5 points: two corners of the eye on the image's right, two of the other eye,
    # then the base of the nose.
    landmarks: tuple[Point, ...]

    @property
    def area(self) -> float:
        return self.width * self.height

    def eye_centres(self) -> tuple[Point, Point]:
        """(eye on the image's left, eye on the image's right)."""
        pts = self.landmarks
        first = ((pts[0][0] + pts[1][0]) / 2, (pts[0][1] + pts[1][1]) / 2)
        second = ((pts[2][0] + pts[3][0]) / 2, (pts[2][1] + pts[3][1]) / 2)
        return (first, second) if first[0] <= second[0] else (second, first)

    def nose(self) -> Point:
        return self.landmarks[4]


def working_scale(height: int, width: int, max_side: int = MAX_SIDE) -> float:
    longest = max(height, width)
    if longest > max_side:
        return max_side / longest
    min_side = min(MIN_SIDE, max_side)
    if longest < min_side:
        return min_side / longest
    return 1.0


def detect_faces(
    models: FaceModels, rgb: RGBImage, upsample: bool = True, max_side: int = MAX_SIDE
) -> list[Face]:
    """Faces, largest first. `upsample` retries at twice the size when none is found."""
    height, width = rgb.shape[:2]
    scale = working_scale(height, width, max_side=max_side)
    work = rgb
    if scale != 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
        work = np.asarray(cv2.resize(rgb, size, interpolation=interpolation), dtype=np.uint8)
    work = np.ascontiguousarray(work)
    rects, scores = models.detect(work, 0)
    if not rects and upsample:
        rects, scores = models.detect(work, 1)
    faces = []
    for rect, score in zip(rects, scores, strict=True):
        if score < MIN_SCORE:
            continue
        shape = models.shape(work, rect)
        points = tuple((p.x / scale, p.y / scale) for p in shape.parts())
        faces.append(
            Face(
                x=rect.left() / scale,
                y=rect.top() / scale,
                width=rect.width() / scale,
                height=rect.height() / scale,
                score=score,
                landmarks=points,
            )
        )
    return sorted(faces, key=lambda f: f.area, reverse=True)
