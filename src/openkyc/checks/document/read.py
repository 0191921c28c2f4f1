"""Read a straightened document: turn it upright, read every text line, find the MRZ.

Orientation costs little: text lines standing on end mean a quarter turn; the text
classifier's vote on the widest lines says whether the page is upside down. An MRZ whose
check digits fail is read again from sharper crops before anyone calls it invalid.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import date

import cv2
import numpy as np

from openkyc.checks.document.locate import rotate
from openkyc.checks.document.mrz import locate as mrz_locate
from openkyc.checks.document.mrz.layouts import LAYOUTS
from openkyc.checks.document.mrz.parse import MrzResult, parse
from openkyc.checks.document.mrz.repair import normalise
from openkyc.checks.document.ocr import Engine, Points, Text, crop

VOTERS = 8  # lines the orientation vote looks at
# Documents are straightened to 1200 px; text detection at 736 px (PP-OCR's own default)
# still sees their smallest print (about 11 px there) and costs 40 % less than at 960.
DETECT_SIDE = 736


@dataclass
class PageRead:
    image: np.ndarray  # BGR, upright
    texts: list[Text]
    quarter_turns: int  # counter-clockwise turns applied to make it upright
    mrz: MrzResult | None = None
    mrz_blocks: int = 0
    mrz_score: float = 0.0
    mrz_reread: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def mean_score(self) -> float:
        return float(np.mean([t.score for t in self.texts])) if self.texts else 0.0


def read_page(engine: Engine, bgr: np.ndarray, today: date) -> PageRead:
    started = time.perf_counter()
    boxes = engine.detect(bgr, DETECT_SIDE)
    turns = 0
    if _standing(boxes):
        bgr, turns = rotate(bgr, 1), 1
        boxes = engine.detect(bgr, DETECT_SIDE)
    if _upside_down(engine, bgr, boxes):
        bgr, turns = rotate(bgr, 2), turns + 2
        boxes = [_turn_half(b, bgr.shape[1], bgr.shape[0]) for b in boxes]
    detected = time.perf_counter()
    results = engine.recognise([crop(bgr, b) for b in boxes])
    texts = [
        Text(text, score, b)
        for b, (text, score) in zip(boxes, results, strict=False)
        if text.strip()
    ]
    page = PageRead(bgr, texts, turns % 4)
    page.timings = {"detect": detected - started, "recognise": time.perf_counter() - detected}
    _read_mrz(engine, page, today)
    return page


def _standing(boxes: list[Points]) -> bool:
    """Most text lines taller than wide: the page lies on its side."""
    sizes = [_size(b) for b in boxes]
    sizes = [(w, h) for w, h in sizes if max(w, h) > 30]
    if len(sizes) < 3:
        return False
    return sum(h > 1.5 * w for w, h in sizes) > len(sizes) / 2


def _size(points: Points) -> tuple[float, float]:
    width = float(np.linalg.norm(points[0] - points[1]))
    height = float(np.linalg.norm(points[0] - points[3]))
    return width, height


def _upside_down(engine: Engine, bgr: np.ndarray, boxes: list[Points]) -> bool:
    widest = sorted(boxes, key=lambda b: -_size(b)[0])[:VOTERS]
    votes = engine.upside_down([crop(bgr, b) for b in widest])
    return bool(votes) and sum(v > 0.5 for v in votes) > len(votes) / 2


def _turn_half(points: Points, width: int, height: int) -> Points:
    """A box's corners after the page turned 180 degrees, still starting top-left."""
    turned = np.stack([width - 1 - points[:, 0], height - 1 - points[:, 1]], axis=1)
    return np.asarray(turned[[2, 3, 0, 1]], dtype=np.float32)


def _read_mrz(engine: Engine, page: PageRead, today: date) -> None:
    found = mrz_locate.blocks(page.texts)
    page.mrz_blocks = len(found)
    if not found:
        return
    block = found[0]
    result = parse(block.lines, today)
    page.mrz, page.mrz_score = result, block.score
    if result is not None and _rank(result)[0]:
        return
    # Check digits failed, or a line came out short or long: a character was lost or
    # added somewhere no check digit covers (a name). Read the rows again.
    better = _reread(engine, page.image, block, today)
    if better is not None and (result is None or _rank(better) > _rank(result)):
        page.mrz, page.mrz_reread = better, True


def _rank(result: MrzResult) -> tuple[bool, int]:
    """Valid with every line of the right length first, then by passing check digits."""
    length = LAYOUTS[result.format].length
    exact = all(len(normalise(line)) == length for line in result.raw_lines)
    return result.valid and exact, result.passed + result.valid


def _reread(
    engine: Engine, bgr: np.ndarray, block: mrz_locate.Block, today: date
) -> MrzResult | None:
    """Read each MRZ row again from whole-row crops, plain and enhanced, and keep the
    combination whose check digits pass best."""
    variants: list[list[str]] = []
    for row in block.rows:
        base = crop(bgr, row.points(), pad=0.25)
        crops = [base, _contrast(base), _sharpen(base)]
        variants.append([row.text] + [text for text, _ in engine.recognise(crops)])
    best: MrzResult | None = None
    for combo in itertools.product(*variants):
        result = parse(list(combo), today)
        if result is not None and (best is None or _rank(result) > _rank(best)):
            best = result
            if _rank(result)[0]:
                break
    return best


def _contrast(bgr: np.ndarray) -> np.ndarray:
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(4, 16))
    return cv2.cvtColor(clahe.apply(gray), cv2.COLOR_GRAY2BGR)


def _sharpen(bgr: np.ndarray) -> np.ndarray:
    blurred = cv2.GaussianBlur(bgr, (0, 0), 2.0)
    return cv2.addWeighted(bgr, 1.8, blurred, -0.8, 0)
