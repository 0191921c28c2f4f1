"""Picture quality: sharpness, glare, brightness, colour and size, as plain numbers.

The numbers are kept as evidence so a step can be re-decided with other thresholds; the
thresholds here are defaults a step's settings may override.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

DEFAULTS = {
    "min_side_px": 400,  # the upload's shorter side
    "min_document_px": 450,  # the document's long side in the upload
    "min_sharpness": 25.0,  # variance of the Laplacian at 1000 px wide
    "max_glare": 0.06,  # share of blown-out pixels on a document that is not white
    "min_colourfulness": 6.0,  # Hasler-Suesstrunk; grey copies score near 0
    "min_brightness": 45.0,
}


def measure(document: np.ndarray) -> dict[str, float]:
    """Metrics of the straightened document (BGR)."""
    height, width = document.shape[:2]
    factor = 1000 / max(1, width)
    small = cv2.resize(document, (1000, max(1, int(height * factor))), interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    sharpness = float(cv2.Laplacian(gray, cv2.CV_64F).var())
    blown = float(np.mean(np.all(small >= 250, axis=2)))
    return {
        "sharpness": round(sharpness, 2),
        "glare": round(blown, 4),
        "brightness": round(float(gray.mean()), 2),
        "median_brightness": round(float(np.median(gray)), 2),
        "colourfulness": round(colourfulness(small), 2),
    }


def colourfulness(bgr: np.ndarray) -> float:
    """Hasler and Suesstrunk's measure: near 0 for grey pictures, 15+ for colour photos."""
    b, g, r = (bgr[:, :, i].astype(np.float32) for i in range(3))
    rg = r - g
    yb = 0.5 * (r + g) - b
    spread = np.sqrt(rg.std() ** 2 + yb.std() ** 2)
    centre = np.sqrt(rg.mean() ** 2 + yb.mean() ** 2)
    return float(spread + 0.3 * centre)


def problems(metrics: dict[str, Any], settings: dict[str, Any] | None = None) -> list[str]:
    """Named problems, worst first: too_small, black_white, dark, blurry, glare."""
    limits = {**DEFAULTS, **{k: v for k, v in (settings or {}).items() if k in DEFAULTS}}
    found = []
    if metrics.get("min_side", 0) < limits["min_side_px"] or (
        metrics.get("document_px", 0) < limits["min_document_px"]
    ):
        found.append("too_small")
    if metrics.get("colourfulness", 99) < limits["min_colourfulness"]:
        found.append("black_white")
    if metrics.get("brightness", 255) < limits["min_brightness"]:
        found.append("dark")
    if metrics.get("sharpness", 999) < limits["min_sharpness"]:
        found.append("blurry")
    if metrics.get("glare", 0) > limits["max_glare"] and metrics.get("median_brightness", 0) < 235:
        found.append("glare")
    return found
