"""Safe decoding of hostile uploads (no OCR here)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from openkyc.checks.document import quality
from openkyc.checks.document.decode import MAX_PIXELS, WORK_MAX_SIDE, FileRejected, decode


def png_header_only(width: int, height: int) -> bytes:
    """A valid PNG that claims width x height but carries one row: a decompression bomb's
    header without the gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" + b"\x00" * 3 * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg(image: Image.Image, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", **options)
    return out.getvalue()


def test_a_30000_pixel_square_png_is_refused_before_decoding() -> None:
    with pytest.raises(FileRejected, match="pixels"):
        decode(png_header_only(30000, 30000))
    # under Pillow's own bomb limit but over ours
    side = int(MAX_PIXELS**0.5) + 10
    with pytest.raises(FileRejected, match="too large"):
        decode(png_header_only(side, side))


def test_not_an_image_empty_and_truncated() -> None:
    with pytest.raises(FileRejected, match="not a picture"):
        decode(b"this is plain text, not a photo of a passport")
    with pytest.raises(FileRejected, match="empty"):
        decode(b"")
    whole = jpeg(Image.new("RGB", (600, 400), (120, 30, 200)), quality=90)
    with pytest.raises(FileRejected, match="damaged or truncated"):
        decode(whole[: len(whole) // 2])


def test_animated_gif_is_refused() -> None:
    frames = [Image.new("RGB", (64, 64), (80 * i, 40, 200 - 60 * i)) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    with pytest.raises(FileRejected, match="animated"):
        decode(out.getvalue())


def test_exif_orientation_is_applied() -> None:
    image = Image.new("RGB", (400, 200), (200, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    decoded = decode(jpeg(image, exif=exif.tobytes()))
    assert decoded.exif_rotated
    assert decoded.image.size == (200, 400)
    assert decoded.original_size == (400, 200)


def test_large_photo_is_shrunk_and_transparency_becomes_white() -> None:
    decoded = decode(jpeg(Image.new("RGB", (5000, 3000), (10, 200, 10)), quality=60))
    assert max(decoded.image.size) <= WORK_MAX_SIDE
    assert decoded.original_size == (5000, 3000)
    rgba = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    out = io.BytesIO()
    rgba.save(out, "PNG")
    decoded = decode(out.getvalue())
    assert decoded.image.mode == "RGB" and decoded.image.getpixel((5, 5)) == (255, 255, 255)


def test_pdf_first_page_is_rendered() -> None:
    pages = [Image.new("RGB", (850, 550), (30, 90, 200)), Image.new("RGB", (300, 300), "white")]
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=100, save_all=True, append_images=pages[1:])
    decoded = decode(out.getvalue())
    assert decoded.source_format == "PDF"
    width, height = decoded.image.size
    assert width > height  # the first, landscape page
    red, _, blue = decoded.image.getpixel((width // 2, height // 2))
    assert blue > 150 and red < 80
    with pytest.raises(FileRejected, match="PDF"):
        decode(b"%PDF-1.4\n garbage")


def test_quality_metrics_tell_grey_and_blurry_apart() -> None:
    import numpy as np

    rng = np.random.default_rng(1)
    sharp = rng.integers(0, 255, (400, 600, 3), dtype=np.uint8)
    grey = np.repeat(sharp[:, :, :1], 3, axis=2)
    colour = quality.measure(sharp)
    mono = quality.measure(grey)
    assert mono["colourfulness"] < 1 < colour["colourfulness"]
    blurred = quality.measure(np.full((400, 600, 3), 128, np.uint8))
    assert blurred["sharpness"] < 1
    assert "blurry" in quality.problems({**blurred, "min_side": 1000, "document_px": 1000})
    assert "black_white" in quality.problems({**mono, "min_side": 1000, "document_px": 1000})
    assert "too_small" in quality.problems({**colour, "min_side": 120, "document_px": 150})
