"""Positioned text, from a PDF's text layer or from OCR, grouped into lines and blocks.

Both readers produce the same `Segment`s (page coordinates, y growing downwards), so the
field extraction never knows whether the text came from a digital PDF or a scan.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Segment:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    score: float = 1.0

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1.0)

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class Line:
    parts: list[Segment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(p.text.strip() for p in self.parts if p.text.strip())

    @property
    def x0(self) -> float:
        return min(p.x0 for p in self.parts)

    @property
    def x1(self) -> float:
        return max(p.x1 for p in self.parts)

    @property
    def y0(self) -> float:
        return min(p.y0 for p in self.parts)

    @property
    def y1(self) -> float:
        return max(p.y1 for p in self.parts)

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1.0)

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def lines(segments: list[Segment]) -> list[Line]:
    """Segments on one baseline join a line only when close: two columns stay apart."""
    out: list[Line] = []
    for seg in sorted(segments, key=lambda s: (round(s.cy), s.x0)):
        if not seg.text.strip():
            continue
        target = None
        for line in reversed(out[-6:]):
            last = line.parts[-1]
            same_row = abs(last.cy - seg.cy) < 0.5 * min(last.height, seg.height)
            gap = seg.x0 - last.x1
            if same_row and -0.5 * seg.height <= gap < 2.5 * max(last.height, seg.height):
                target = line
                break
        if target is None:
            out.append(Line([seg]))
        else:
            target.parts.append(seg)
    return sorted(out, key=lambda ln: (ln.y0, ln.x0))


def blocks(all_lines: list[Line]) -> list[list[Line]]:
    """Left-aligned lines that follow each other closely: an address block, a table row."""
    result: list[list[Line]] = []
    for line in sorted(all_lines, key=lambda ln: (ln.y0, ln.x0)):
        home = None
        for block in result:
            last = block[-1]
            aligned = abs(last.x0 - line.x0) < 1.5 * last.height
            # centres, not edges: OCR boxes are padded and overlap their neighbours
            below = 0 < line.cy - last.cy < 2.0 * max(last.height, line.height)
            if aligned and below:
                home = block
                break
        if home is None:
            result.append([line])
        else:
            home.append(line)
    return result


def reading_text(all_lines: list[Line]) -> str:
    return "\n".join(ln.text for ln in all_lines)
