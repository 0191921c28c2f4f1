"""What the browser's fake camera films: a sandbox passport lying on a table, written as a
Y4M file (Chromium's --use-file-for-fake-video-capture loops it)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image
from tests.checks.document.samples import adult, picture

WIDTH, HEIGHT = 1280, 720
# Sandbox magic values: surname SANDBOX, first name APPROVED -> the check approves it.
HOLDER = adult(lastname="SANDBOX", firstname="APPROVED")


def document_frame() -> Image.Image:
    """The passport photographed, centred on a grey background at the camera's size."""
    photo = Image.open(io.BytesIO(picture("TD3", HOLDER, "clean", seed=5))).convert("RGB")
    photo.thumbnail((WIDTH, HEIGHT))
    frame = Image.new("RGB", (WIDTH, HEIGHT), (96, 98, 102))
    frame.paste(photo, ((WIDTH - photo.width) // 2, (HEIGHT - photo.height) // 2))
    return frame


def _planes(frame: Image.Image) -> bytes:
    """YUV 4:2:0 planes: full-size luma, chroma averaged over 2x2 blocks."""
    ycbcr = np.asarray(frame.convert("YCbCr"), dtype=np.float32)
    luma = ycbcr[:, :, 0].astype(np.uint8)
    chroma = [
        ycbcr[:, :, c].reshape(HEIGHT // 2, 2, WIDTH // 2, 2).mean(axis=(1, 3)).round()
        for c in (1, 2)
    ]
    return luma.tobytes() + b"".join(c.astype(np.uint8).tobytes() for c in chroma)


def write_y4m(path: Path, frame: Image.Image, frames: int = 2, fps: int = 15) -> Path:
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{fps}:1 Ip A1:1 C420jpeg\n".encode()
    planes = _planes(frame)
    with path.open("wb") as out:
        out.write(header)
        for _ in range(frames):
            out.write(b"FRAME\n" + planes)
    return path
