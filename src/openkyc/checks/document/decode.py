"""Turn uploaded bytes into one upright RGB picture, safely.

Every upload is hostile: the pixel count is read from the header and refused before any
decoding (a 30000x30000 PNG never reaches memory), animated images and truncated files
are refused with a clear reason, EXIF orientation is applied, and a PDF gives its first
page rendered at a bounded size.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# Uploads are at most 10 MB; a phone photo is ~12-50 Mpx. Past this, refuse.
MAX_PIXELS = 60_000_000
# Pictures are worked on at this size at most: enough for OCR, bounded in memory.
WORK_MAX_SIDE = 2400
PDF_MAX_POINTS = 5000  # a page larger than ~1.7 m is not a document


class FileRejected(ValueError):
    """An upload that cannot be used; `detail` says why, in words for the evidence."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class Decoded:
    image: Image.Image  # RGB, upright per EXIF, at most WORK_MAX_SIDE
    source_format: str  # JPEG, PNG, PDF...
    original_size: tuple[int, int]
    exif_rotated: bool
    grayscale_source: bool


def decode(data: bytes) -> Decoded:
    if not data:
        raise FileRejected("the file is empty")
    if data[:5] == b"%PDF-":
        return _decode_pdf(data)
    return _decode_image(data)


def _decode_image(data: bytes) -> Decoded:
    with warnings.catch_warnings():
        # Pillow warns, then raises, on huge images; we check the size ourselves first.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError:
            raise FileRejected("the picture has far too many pixels") from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise FileRejected("the file is not a picture this service can read") from None
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise FileRejected(f"the picture is too large ({width}x{height} pixels)")
        if getattr(image, "n_frames", 1) > 1:
            raise FileRejected("animated pictures are not accepted; send a single photo")
        source_format = image.format or "unknown"
        try:
            image.draft("RGB", _draft_size(width, height))  # JPEG: decode at reduced scale
            image.load()
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            raise FileRejected("the picture is damaged or truncated") from None
    grayscale = image.mode in ("1", "L", "LA", "I", "I;16", "F")
    rotated = _exif_orientation(image) not in (None, 1)
    # An unreadable EXIF block: keep the pixels as stored.
    upright: Image.Image = image
    with contextlib.suppress(OSError, ValueError, TypeError):
        upright = ImageOps.exif_transpose(image) or image
    return Decoded(_to_rgb(upright), source_format, (width, height), rotated, grayscale)


def _draft_size(width: int, height: int) -> tuple[int, int]:
    scale = max(1.0, max(width, height) / WORK_MAX_SIDE)
    return int(width / scale), int(height / scale)


def _exif_orientation(image: Image.Image) -> int | None:
    try:
        value = image.getexif().get(0x0112)
    except (OSError, ValueError, SyntaxError):
        return None
    return int(value) if isinstance(value, int) else None


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # transparent areas become white, as on paper
        rgba = image.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, (255, 255, 255))
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        image = canvas
    elif image.mode != "RGB":
        image = image.convert("RGB")
    if max(image.size) > WORK_MAX_SIDE:
        image.thumbnail((WORK_MAX_SIDE, WORK_MAX_SIDE), Image.Resampling.LANCZOS)
    return image


def _decode_pdf(data: bytes) -> Decoded:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise FileRejected("the PDF cannot be opened") from None
    try:
        if len(pdf) < 1:
            raise FileRejected("the PDF has no page")
        page = pdf[0]
        width, height = page.get_size()
        if max(width, height) > PDF_MAX_POINTS or min(width, height) <= 0:
            raise FileRejected("the PDF page has an unusable size")
        scale = min(4.0, WORK_MAX_SIDE / max(width, height))
        image = page.render(scale=scale).to_pil()
    except pdfium.PdfiumError:
        raise FileRejected("the PDF's first page cannot be rendered") from None
    finally:
        pdf.close()
    size = (int(width), int(height))
    return Decoded(_to_rgb(image), "PDF", size, exif_rotated=False, grayscale_source=False)
