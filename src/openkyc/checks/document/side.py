"""Read one uploaded side: decode, locate, measure, read. Never raises on bad input."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import cv2
import numpy as np

from openkyc.checks.document import quality
from openkyc.checks.document.decode import Decoded, FileRejected, decode
from openkyc.checks.document.locate import Located, locate
from openkyc.checks.document.mrz import locate as mrz_locate
from openkyc.checks.document.ocr import Engine, Text
from openkyc.checks.document.read import PageRead, read_page

MIN_TEXT_LINES = 3  # fewer readable lines than this and no MRZ: no document in sight
MIN_LINE_SCORE = 0.6


@dataclass
class Side:
    name: str
    evidence: dict[str, Any] = field(default_factory=dict)
    page: PageRead | None = None

    @property
    def ok(self) -> bool:
        return self.page is not None

    def viz_texts(self) -> list[Text]:
        """Lines outside the MRZ."""
        if self.page is None:
            return []
        blocks = mrz_locate.blocks(self.page.texts)
        mrz_parts = {id(p) for b in blocks for r in b.rows for p in r.parts}
        return [t for t in self.page.texts if id(t) not in mrz_parts]

    def mrz_top(self) -> float | None:
        if self.page is None or self.page.mrz is None:
            return None
        found = mrz_locate.blocks(self.page.texts)
        return min(p.y0 for p in found[0].rows[0].parts) if found else None


def read_side(
    engine: Engine, name: str, data: bytes, today: date, settings: dict[str, Any]
) -> Side:
    side = Side(name)
    started = time.perf_counter()
    try:
        decoded = decode(data)
    except FileRejected as exc:
        side.evidence = {"error": exc.detail, "has_document": False}
        return side
    bgr = cv2.cvtColor(np.asarray(decoded.image), cv2.COLOR_RGB2BGR)
    located = locate(bgr)
    side.page = read_page(engine, located.image, today)
    side.evidence = _evidence(decoded, located, side.page, settings)
    side.evidence["timings"] = {
        k: round(v, 3)
        for k, v in {**side.page.timings, "total": time.perf_counter() - started}.items()
    }
    return side


def _evidence(
    decoded: Decoded, located: Located, page: PageRead, settings: dict[str, Any]
) -> dict[str, Any]:
    # The document's long side in the upload's own pixels (decoding may have shrunk it).
    factor = max(decoded.original_size) / max(decoded.image.size)
    metrics: dict[str, Any] = quality.measure(page.image)
    metrics.update(
        min_side=min(decoded.original_size),
        document_px=round(located.source_width * factor),
    )
    readable = [t for t in page.texts if t.score >= MIN_LINE_SCORE]
    return {
        "error": None,
        "file": {
            "format": decoded.source_format,
            "width": decoded.original_size[0],
            "height": decoded.original_size[1],
            "exif_rotated": decoded.exif_rotated,
        },
        "document_found": located.found,
        "documents": located.count,
        "document_area_share": round(located.area_share, 3),
        "quarter_turns": page.quarter_turns,
        "quality": metrics,
        "problems": quality.problems(metrics, settings),
        "text_lines": len(page.texts),
        "ocr_mean_confidence": round(page.mean_score, 3),
        "has_document": page.mrz is not None or len(readable) >= MIN_TEXT_LINES,
        "mrz_blocks": page.mrz_blocks,
        "mrz_format": page.mrz.format if page.mrz else None,
        "texts": [{"text": t.text, "confidence": round(t.score, 3)} for t in page.texts],
    }
