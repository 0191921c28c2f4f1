"""The OCR engine's own contract: detection size and line-by-line recognition."""

from __future__ import annotations

import unicodedata

import cv2
import numpy as np
import pytest
from tests.checks.document.samples import adult

from openkyc.checks.document import ocr
from openkyc.checks.document.locate import locate
from openkyc.checks.document.read import DETECT_SIDE
from openkyc.checks.document.sample.render import render


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    image = render("TD3", adult(), seed=4, specimen=False)
    return locate(cv2.cvtColor(np.asarray(image.convert("RGB")), cv2.COLOR_RGB2BGR)).image


def _texts(engine: ocr.Engine, bgr: np.ndarray, boxes: list[np.ndarray]) -> set[str]:
    """What was read, spaces and full-width forms aside, leaving out specks (a dot read as
    a line)."""
    texts = engine.recognise([ocr.crop(bgr, b) for b in boxes])
    return {
        unicodedata.normalize("NFKC", "".join(t.split()))
        for t, _ in texts
        if any(c.isalnum() for c in t)
    }


def test_page_detection_size_still_finds_every_line(page: np.ndarray) -> None:
    engine = ocr.shared()
    small, default = engine.detect(page, DETECT_SIDE), engine.detect(page)
    read = _texts(engine, page, small)
    assert len(read) >= 18
    assert read == _texts(engine, page, default)
    assert {"MARTIN", "CLAIRE", "X4RT5Y2B9", "LYON"} <= read
    # Boxes come back in the page's own pixels whatever the detection size.
    assert max(float(b[:, 0].max()) for b in small) > 0.9 * page.shape[1]


def test_each_line_is_read_alone_whatever_else_is_read(page: np.ndarray) -> None:
    engine = ocr.shared()
    boxes = engine.detect(page, DETECT_SIDE)
    crops = [ocr.crop(page, b) for b in boxes]
    widest = max(range(len(crops)), key=lambda i: crops[i].shape[1])
    narrowest = min(range(len(crops)), key=lambda i: crops[i].shape[1])
    alone = engine.recognise([crops[narrowest]])
    together = engine.recognise([crops[widest], crops[narrowest]])
    assert together[1] == alone[0]
    assert together[0][0].startswith(("P<FRA", "PくFRA"))  # "<" is sometimes read as "く"
