"""Comparing embeddings: cosine similarity and the thresholds calibrated for the model.

dlib's ResNet was calibrated by its author on LFW (99.38 %) at a Euclidean distance of
0.6 between raw descriptors. Raw descriptors have a norm of about 1.43, so on unit
vectors that operating point is a cosine of 1 - 0.6^2 / (2 * 1.43^2) = 0.912. Scores in
[REVIEW_THRESHOLD, MATCH_THRESHOLD) (raw distances of roughly 0.6 to 0.66) are too close
to call and go to a human.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

MATCH_THRESHOLD = 0.91
REVIEW_THRESHOLD = 0.89


class Verdict(StrEnum):
    MATCH = "match"
    BORDERLINE = "borderline"
    MISMATCH = "mismatch"


def cosine(a: NDArray[np.float32], b: NDArray[np.float32]) -> float:
    denominator = float(np.linalg.norm(a) * np.linalg.norm(b))
    if denominator == 0.0:
        return 0.0
    return float(np.dot(a, b) / denominator)


def verdict(
    similarity: float, match: float = MATCH_THRESHOLD, review: float = REVIEW_THRESHOLD
) -> Verdict:
    if similarity >= match:
        return Verdict.MATCH
    if similarity >= review:
        return Verdict.BORDERLINE
    return Verdict.MISMATCH
