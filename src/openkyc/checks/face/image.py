"""Decoding untrusted image bytes into RGB arrays, with limits checked before decoding."""

from __future__ import annotations

import io
import warnings

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps, UnidentifiedImageError

# A selfie or document photo never needs more; a bigger header is a decompression bomb.
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000

RGBImage = NDArray[np.uint8]


class ImageInvalid(ValueError):
    """The bytes are not an image we accept (not an image, corrupt, or too large)."""


def decode_image(data: bytes) -> RGBImage:
    """RGB pixels, upright according to the EXIF orientation a phone camera writes."""
    if not data:
        raise ImageInvalid("the image is empty")
    try:
        with warnings.catch_warnings():
            # Our own limit is stricter than Pillow's bomb warning; never let it escape.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                width, height = img.size
                if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                    raise ImageInvalid(f"the image is too large ({width}x{height})")
                upright = ImageOps.exif_transpose(img) or img
                rgb = upright.convert("RGB")
                return np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8))
    except ImageInvalid:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageInvalid("the image could not be decoded") from exc


def encode_jpeg(rgb: RGBImage, quality: int = 90) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="JPEG", quality=quality)
    return out.getvalue()
