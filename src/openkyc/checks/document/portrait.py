"""Crop the holder's portrait from the upright document.

A face detector (OpenCV's frontal-face cascade, shipped inside opencv-python-headless)
finds real photos; when it finds none, the portrait zone of the ICAO layouts is used (the
left third of the data page or card, between the header and the MRZ), provided it holds
a picture rather than blank background.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

# Portrait zone as shares of the page: x0, y0, x1, y1 (ICAO 9303 zone V, left side).
LAYOUT_ZONE = (0.02, 0.12, 0.34, 0.80)
MIN_ZONE_DETAIL = 18.0  # grey-level standard deviation of a zone that holds a picture


@dataclass(frozen=True)
class Portrait:
    image: np.ndarray | None  # BGR crop
    method: str  # face_detector, layout or none
    box: tuple[int, int, int, int] | None

    def evidence(self) -> dict[str, Any]:
        return {"method": self.method, "box": list(self.box) if self.box else None}


@cache
def _cascade() -> cv2.CascadeClassifier | None:
    path = Path(cv2.__file__).parent / "data" / "haarcascade_frontalface_default.xml"
    if not path.is_file():
        return None
    cascade = cv2.CascadeClassifier(str(path))
    return None if cascade.empty() else cascade


def find(document: np.ndarray, mrz_top: float | None = None) -> Portrait:
    height, width = document.shape[:2]
    face = _detect_face(document)
    if face is not None:
        x, y, w, h = face
        # Photo framing: room above the head and down to the shoulders.
        x0, x1 = max(0, int(x - 0.45 * w)), min(width, int(x + 1.45 * w))
        y0, y1 = max(0, int(y - 0.55 * h)), min(height, int(y + 1.75 * h))
        return Portrait(document[y0:y1, x0:x1].copy(), "face_detector", (x0, y0, x1, y1))
    zx0, zy0, zx1, zy1 = LAYOUT_ZONE
    bottom = min(zy1 * height, mrz_top) if mrz_top else zy1 * height
    box = (int(zx0 * width), int(zy0 * height), int(zx1 * width), int(bottom))
    zone = document[box[1] : box[3], box[0] : box[2]]
    if zone.size == 0 or float(cv2.cvtColor(zone, cv2.COLOR_BGR2GRAY).std()) < MIN_ZONE_DETAIL:
        return Portrait(None, "none", None)
    return Portrait(zone.copy(), "layout", box)


def _detect_face(document: np.ndarray) -> tuple[int, int, int, int] | None:
    cascade = _cascade()
    if cascade is None:
        return None
    # A portrait fills a good share of the page: half resolution finds it, four times faster.
    scale = min(1.0, 600 / max(1, document.shape[1]))
    small = cv2.resize(document, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gray = cv2.equalizeHist(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY))
    size = max(24, int(small.shape[0] * 0.12))
    faces = cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=6, minSize=(size, size))
    if len(faces) == 0:
        return None
    x, y, w, h = (int(v / scale) for v in max(faces, key=lambda f: int(f[2]) * int(f[3])))
    return x, y, w, h


def encode_jpeg(image: np.ndarray, quality: int = 90) -> bytes:
    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("could not encode the picture")
    return bytes(buffer.tobytes())
