"""Face photos that ship inside PyPI packages (no download): scikit-image's astronaut
(Eileen Collins) and matplotlib's Grace Hopper, plus same-person variants of a photo."""

from __future__ import annotations

import io

import cv2
import matplotlib
import numpy as np
from PIL import Image
from skimage import data


def astronaut() -> np.ndarray:
    return np.ascontiguousarray(data.astronaut())


def hopper() -> np.ndarray:
    bgr = cv2.imread(matplotlib.get_data_path() + "/sample_data/grace_hopper.jpg")
    return np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))


def cat() -> np.ndarray:
    return np.ascontiguousarray(data.chelsea())


def jpeg(rgb: np.ndarray, quality: int = 90) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="JPEG", quality=quality)
    return out.getvalue()


def png(rgb: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="PNG")
    return out.getvalue()


def variants(rgb: np.ndarray) -> dict[str, np.ndarray]:
    """The same person as a camera would see her differently: mirrored, smaller, darker,
    tilted, and through heavy JPEG compression."""
    height, width = rgb.shape[:2]
    tilt = cv2.getRotationMatrix2D((width / 2, height / 2), 8, 1.0)
    compressed = np.asarray(Image.open(io.BytesIO(jpeg(rgb, quality=25))))
    return {
        "mirrored": np.ascontiguousarray(rgb[:, ::-1]),
        "smaller": cv2.resize(rgb, (width * 3 // 5, height * 3 // 5), interpolation=cv2.INTER_AREA),
        "darker": np.clip(rgb.astype(np.float32) * 0.6, 0, 255).astype(np.uint8),
        "tilted": cv2.warpAffine(rgb, tilt, (width, height), borderMode=cv2.BORDER_REFLECT),
        "compressed": np.ascontiguousarray(compressed),
    }
