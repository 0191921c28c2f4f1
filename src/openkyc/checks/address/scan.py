"""Pictures of a document (photos, scans, scanned PDFs) read by OCR into `Segment`s.

Lines are detected on the whole page, an upside-down page (most lines say so) is turned
and read again, and each line is recognised from the full-resolution picture.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from openkyc.checks.address.layout import Segment
from openkyc.checks.document import ocr

MIN_SCORE = 0.5
MAX_LINES = 400
SAMPLE = 24  # lines asked about their orientation


def read_picture(image: Any, engine: ocr.Engine | None = None) -> tuple[list[Segment], bool]:
    """(segments, turned): the text of an RGB picture, and whether it was upside down."""
    engine = engine or ocr.shared()
    bgr = cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)
    boxes = engine.detect(bgr)[:MAX_LINES]
    turned = _upside_down(engine, bgr, boxes)
    if turned:
        bgr = cv2.rotate(bgr, cv2.ROTATE_180)
        boxes = engine.detect(bgr)[:MAX_LINES]
    crops = [ocr.crop(bgr, box, pad=0.15) for box in boxes]
    texts = engine.recognise(crops)
    segments = []
    for box, (text, score) in zip(boxes, texts, strict=False):
        if score < MIN_SCORE or not text.strip():
            continue
        xs, ys = box[:, 0], box[:, 1]
        segments.append(
            Segment(
                text.strip(),
                float(xs.min()),
                float(ys.min()),
                float(xs.max()),
                float(ys.max()),
                score,
            )
        )
    return segments, turned


def _upside_down(engine: ocr.Engine, bgr: np.ndarray, boxes: list[np.ndarray]) -> bool:
    wide = [b for b in boxes if np.linalg.norm(b[1] - b[0]) > 2 * np.linalg.norm(b[3] - b[0])]
    if not wide:
        return False
    sample = wide[:: max(1, len(wide) // SAMPLE)][:SAMPLE]
    votes = engine.upside_down([ocr.crop(bgr, b) for b in sample])
    return bool(votes) and sum(v > 0.5 for v in votes) > len(votes) / 2
