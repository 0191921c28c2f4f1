"""Find the MRZ among the text lines OCR read: rows of MRZ-looking text of a standard
length, two or three together, lowest on the page first."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from openkyc.checks.document.mrz.repair import normalise
from openkyc.checks.document.ocr import Text

LENGTHS = (30, 36, 44)


@dataclass
class Row:
    parts: list[Text]

    @property
    def text(self) -> str:
        return "".join(p.text for p in sorted(self.parts, key=lambda p: p.x0))

    @property
    def score(self) -> float:
        return min(p.score for p in self.parts)

    @property
    def cy(self) -> float:
        return sum(p.cy for p in self.parts) / len(self.parts)

    @property
    def height(self) -> float:
        return max(p.height for p in self.parts)

    def points(self) -> np.ndarray:
        """The row's outline: the corners of its leftmost and rightmost parts."""
        ordered = sorted(self.parts, key=lambda p: p.x0)
        first, last = ordered[0].points, ordered[-1].points
        return np.array([first[0], last[1], last[2], first[3]], dtype=np.float32)


@dataclass
class Block:
    rows: list[Row]

    @property
    def lines(self) -> list[str]:
        return [r.text for r in self.rows]

    @property
    def score(self) -> float:
        return min(r.score for r in self.rows)


def looks_like_mrz(text: str) -> bool:
    compact = "".join(text.split())
    if len(compact) < 8:
        return False
    kept = normalise(compact)
    share = min(1.0, len(kept) / len(compact))
    return share >= 0.9 and ("<" in kept or sum(ch.isdigit() for ch in kept) >= 6)


def rows(texts: list[Text]) -> list[Row]:
    """MRZ-looking texts grouped into rows (OCR may cut a line in pieces)."""
    found: list[Row] = []
    for text in sorted((t for t in texts if looks_like_mrz(t.text)), key=lambda t: t.cy):
        for row in found:
            if abs(row.cy - text.cy) < 0.5 * max(row.height, text.height):
                row.parts.append(text)
                break
        else:
            found.append(Row([text]))
    return found


def blocks(texts: list[Text]) -> list[Block]:
    """Candidate MRZ blocks, lowest first: 3 rows of ~30, or 2 rows of ~36 or ~44."""
    candidates = [r for r in rows(texts) if _near_standard(len(normalise(r.text)))]
    out: list[Block] = []
    used: set[int] = set()
    for size in (3, 2):
        for start in range(len(candidates) - size, -1, -1):
            group = candidates[start : start + size]
            if any(id(r) in used for r in group) or not _consistent(group, size):
                continue
            out.append(Block(group))
            used.update(id(r) for r in group)
    out.sort(key=lambda b: -b.rows[-1].cy)
    return out


def _near_standard(length: int) -> bool:
    return any(abs(length - n) <= 3 for n in LENGTHS)


def _consistent(group: list[Row], size: int) -> bool:
    lengths = [len(normalise(r.text)) for r in group]
    target = min(LENGTHS, key=lambda n: abs(n - sum(lengths) / len(lengths)))
    if any(abs(n - target) > 3 for n in lengths) or (size == 3) != (target == 30):
        return False
    gaps = [b.cy - a.cy for a, b in itertools.pairwise(group)]
    height = max(r.height for r in group)
    return all(0.6 * height <= gap <= 3.5 * height for gap in gaps)
