"""Alignment on the 5 landmarks, then dlib's ResNet: a unit-length 128-d embedding."""

from __future__ import annotations

import dlib  # type: ignore[import-untyped]
import numpy as np
from numpy.typing import NDArray

from openkyc.checks.face.detect import Face
from openkyc.checks.face.image import RGBImage
from openkyc.checks.face.models import FaceModels

Embedding = NDArray[np.float32]
DIMENSIONS = 128
CHIP_SIZE = 150  # what the ResNet was trained on
CHIP_PADDING = 0.25


def align(
    rgb: RGBImage, face: Face, size: int = CHIP_SIZE, padding: float = CHIP_PADDING
) -> RGBImage:
    """The face rotated upright and scaled so the eyes and nose land where the model expects."""
    rect = dlib.rectangle(
        round(face.x), round(face.y), round(face.x + face.width), round(face.y + face.height)
    )
    points = dlib.points([dlib.point(round(x), round(y)) for x, y in face.landmarks])
    shape = dlib.full_object_detection(rect, points)
    chip = dlib.get_face_chip(np.ascontiguousarray(rgb), shape, size, padding)
    return np.asarray(chip, dtype=np.uint8)


def embed(models: FaceModels, rgb: RGBImage, face: Face) -> Embedding:
    vector = np.asarray(models.descriptor(align(rgb, face)), dtype=np.float32)
    return normalise(vector)


def normalise(vector: NDArray[np.float32]) -> Embedding:
    norm = float(np.linalg.norm(vector))
    if norm == 0.0:
        return vector.astype(np.float32)
    return (vector / norm).astype(np.float32)
