"""Find the document in the picture, straighten it and crop it.

Outlines come from edges and from a brightness split; a four-sided outline of a document's
proportions is warped flat. When none is found the picture is taken to be the document
itself (a scan, a tight crop). Two separate document outlines are reported, not guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

WORK_SIDE = 640  # outlines are searched on a small copy
OUTPUT_LONG_SIDE = 1200  # straightened documents are this long
MIN_AREA_SHARE = 0.2  # a document smaller than this in the frame is unreadable anyway
MAX_AREA_SHARE = 0.97  # above this the outline is the frame itself
ASPECT_RANGE = (1.15, 2.0)  # ID-1 cards 1.59, TD2 1.42, passport pages 1.42


@dataclass(frozen=True)
class Located:
    image: np.ndarray  # BGR, the straightened document (or the whole frame)
    found: bool  # an outline was found
    count: int  # separate document outlines seen
    quad: list[list[float]] | None  # corners in the source picture
    area_share: float  # share of the picture the document covers
    source_width: float  # the document's long side in source pixels


def locate(bgr: np.ndarray) -> Located:
    height, width = bgr.shape[:2]
    scale = WORK_SIDE / max(height, width)
    small = cv2.resize(bgr, (max(1, int(width * scale)), max(1, int(height * scale))))
    quads = _document_quads(small)
    if not quads:
        return Located(_resize_long(bgr), False, 0, None, 1.0, float(max(height, width)))
    best = quads[0]
    corners = best / scale
    warped, long_side = _warp(bgr, corners)
    share = float(cv2.contourArea(best)) / (small.shape[0] * small.shape[1])
    return Located(warped, True, len(quads), corners.tolist(), share, long_side)


def _document_quads(small: np.ndarray) -> list[np.ndarray]:
    """Distinct document-like quadrilaterals, largest first."""
    area_total = small.shape[0] * small.shape[1]
    found: list[np.ndarray] = []
    for mask in _masks(small):
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            quad = _as_quad(contour, area_total, small.shape[:2])
            if quad is not None:
                found.append(quad)
    found.sort(key=lambda q: -cv2.contourArea(q))
    distinct: list[np.ndarray] = []
    for quad in found:
        if all(not _overlaps(quad, kept) for kept in distinct):
            distinct.append(quad)
    if not distinct:
        return []
    largest = cv2.contourArea(distinct[0])
    # A second outline counts as a second document only when it is of a similar size.
    return [q for q in distinct if cv2.contourArea(q) >= 0.45 * largest]


def _masks(small: np.ndarray) -> list[np.ndarray]:
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    blurred = cv2.GaussianBlur(gray, (5, 5), 0)
    edges = cv2.Canny(blurred, 30, 90)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))
    edges = cv2.morphologyEx(cv2.dilate(edges, kernel), cv2.MORPH_CLOSE, kernel, iterations=2)
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, kernel, iterations=2)
    return [_fill(edges), bright, cv2.bitwise_not(bright)]


def _fill(edges: np.ndarray) -> np.ndarray:
    """Closed edge outlines filled, so a document is one solid region."""
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(edges)
    cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
    return filled


def _edges_touched(quad: np.ndarray, shape: tuple[int, int]) -> int:
    height, width = shape
    margin = 0.015 * max(height, width)
    x0, y0 = quad.min(axis=0)
    x1, y1 = quad.max(axis=0)
    return sum((x0 < margin, y0 < margin, x1 > width - margin, y1 > height - margin))


def _as_quad(
    contour: np.ndarray, area_total: float, small_shape: tuple[int, int]
) -> np.ndarray | None:
    area = cv2.contourArea(contour)
    if not MIN_AREA_SHARE * area_total <= area <= MAX_AREA_SHARE * area_total:
        return None
    hull = cv2.convexHull(contour)
    approx = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(approx) == 4:
        quad = approx.reshape(4, 2).astype(np.float32)
    else:
        quad = cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)
    quad_area = cv2.contourArea(quad)
    if quad_area <= 0 or area / quad_area < 0.85 or quad_area > MAX_AREA_SHARE * area_total:
        return None
    if _edges_touched(quad, small_shape) >= 2:
        return None  # a region cut by the frame (a shadow, half the scene), not a document
    sides = _sides(order(quad))
    aspect = max(sides) / max(1.0, min(sides))
    if not ASPECT_RANGE[0] <= aspect <= ASPECT_RANGE[1]:
        return None
    return order(quad)


def _overlaps(a: np.ndarray, b: np.ndarray) -> bool:
    """One inside the other (a portrait inside a card) or sharing much of their area."""
    for inner, outer in ((a, b), (b, a)):
        centre = tuple(float(v) for v in inner.mean(axis=0))
        if cv2.pointPolygonTest(outer.reshape(-1, 1, 2), centre, False) >= 0:
            return True
    return False


def order(points: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    pts = points.reshape(4, 2).astype(np.float32)
    by_sum = pts.sum(axis=1)
    by_diff = np.diff(pts, axis=1).ravel()
    return np.array(
        [
            pts[np.argmin(by_sum)],
            pts[np.argmin(by_diff)],
            pts[np.argmax(by_sum)],
            pts[np.argmax(by_diff)],
        ],
        dtype=np.float32,
    )


def _sides(q: np.ndarray) -> tuple[float, float]:
    width = (np.linalg.norm(q[0] - q[1]) + np.linalg.norm(q[3] - q[2])) / 2
    height = (np.linalg.norm(q[0] - q[3]) + np.linalg.norm(q[1] - q[2])) / 2
    return float(width), float(height)


def _warp(bgr: np.ndarray, corners: np.ndarray) -> tuple[np.ndarray, float]:
    width, height = _sides(corners)
    long_side = max(width, height)
    factor = OUTPUT_LONG_SIDE / max(1.0, long_side)
    out_w, out_h = max(1, int(width * factor)), max(1, int(height * factor))
    target = np.array([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    warped = cv2.warpPerspective(bgr, matrix, (out_w, out_h), flags=cv2.INTER_CUBIC)
    return warped, long_side


def _resize_long(bgr: np.ndarray) -> np.ndarray:
    height, width = bgr.shape[:2]
    factor = OUTPUT_LONG_SIDE / max(height, width)
    size = (max(1, int(width * factor)), max(1, int(height * factor)))
    return cv2.resize(bgr, size, interpolation=cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC)


def rotate(bgr: np.ndarray, quarter_turns: int) -> np.ndarray:
    """Rotate by 90-degree steps, counter-clockwise."""
    return np.ascontiguousarray(np.rot90(bgr, quarter_turns % 4))
