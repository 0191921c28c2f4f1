"""Digital PDFs: refused early when unusable, read for their text layer, and inspected
for the traces an edit leaves (editor metadata, scripts, attachments, text hidden
under a shape, changes appended after a signature).

Every PDF is hostile: pdfium opens it (C, bounded work per page), at most MAX_PAGES pages
are accepted and only the first READ_PAGES are read.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from openkyc.checks.address.layout import Segment
from openkyc.checks.document.decode import PDF_MAX_POINTS, FileRejected

MAX_PAGES = 20  # a bank statement runs a few pages; a 2,000-page file is not a bill
READ_PAGES = 3
# Producers and creators of image and PDF editors: a bill comes from a billing system.
EDITORS = re.compile(
    r"photoshop|gimp|paint\.net|pixelmator|affinity|canva|inkscape|illustrator|"
    r"pdf ?escape|sejda|ilovepdf|smallpdf|pdf-?xchange editor|phantompdf|nitro pro|"
    r"pdfelement|acrobat pro|foxit (?:pdf )?editor|libreoffice draw",
    re.IGNORECASE,
)
TEXT, PATH, IMAGE = 1, 2, 3
INVISIBLE = 3  # text render mode "neither fill nor stroke"


@dataclass
class PdfReading:
    pages: int
    segments: list[Segment]
    size: tuple[float, float]  # first page, points
    image_cover: float  # share of the first page covered by pictures (a scan: ~1)
    metadata: dict[str, str]
    flags: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)


def printable(value: str) -> str:
    """Control characters dropped: a NUL from a hostile file cannot be stored by PostgreSQL."""
    return "".join(c for c in value if c.isprintable() or c == " ").strip()


@contextmanager
def opened(data: bytes) -> Iterator[Any]:
    """The document, refused when encrypted, empty, too long or with an absurd page."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise FileRejected("the PDF is encrypted; send it without a password") from None
        raise FileRejected("the PDF cannot be opened") from None
    try:
        if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
            raise FileRejected("the PDF is encrypted; send it without a password")
        count = len(pdf)
        if count < 1:
            raise FileRejected("the PDF has no page")
        if count > MAX_PAGES:
            raise FileRejected(f"the PDF has {count} pages; at most {MAX_PAGES} are accepted")
        for index in range(min(count, READ_PAGES)):
            width, height = pdf.get_page_size(index)
            if max(width, height) > PDF_MAX_POINTS or min(width, height) <= 0:
                raise FileRejected(f"page {index + 1} of the PDF has an unusable size")
        yield pdf
    finally:
        pdf.close()


def screen(data: bytes) -> None:
    """Refuse at upload what the check could never read."""
    with opened(data):
        pass


def read(data: bytes) -> PdfReading:
    with opened(data) as pdf:
        metadata = {k: printable(str(v))[:200] for k, v in pdf.get_metadata_dict().items() if v}
        segments: list[Segment] = []
        offset = 0.0
        covers: list[float] = []
        covered = invisible = 0
        for index in range(min(len(pdf), READ_PAGES)):
            page = pdf[index]
            width, height = page.get_size()
            segments.extend(_segments(page, height, offset))
            cover, hidden, unseen = _objects(page, width, height)
            covers.append(cover)
            covered, invisible = covered + hidden, invisible + unseen
            offset += height
        reading = PdfReading(
            pages=len(pdf),
            segments=segments,
            size=pdf.get_page_size(0),
            image_cover=covers[0],
            metadata=metadata,
        )
        reading.facts = {
            "javascript": pdfium_c.FPDFDoc_GetJavaScriptActionCount(pdf.raw),
            "attachments": pdf.count_attachments(),
            "covered_text": covered,
            "invisible_text": invisible,
        }
    reading.flags = flags(data, reading)
    return reading


def _segments(page: Any, height: float, offset: float) -> list[Segment]:
    """Text runs with their boxes, turned to y-down coordinates."""
    textpage = page.get_textpage()
    out = []
    try:
        for index in range(min(textpage.count_rects(), 2000)):
            left, bottom, right, top = textpage.get_rect(index)
            text = printable(textpage.get_text_bounded(left, bottom, right, top))
            if text:
                out.append(
                    Segment(text, left, offset + height - top, right, offset + height - bottom)
                )
    finally:
        textpage.close()
    return out


def _objects(page: Any, width: float, height: float) -> tuple[float, int, int]:
    """(share covered by pictures, text objects painted over, invisible text objects on a
    page without pictures). A white box drawn over printed words hides them from the eye
    but not from the text layer: that is how a figure is replaced on a genuine bill."""
    texts: list[tuple[float, float, float, float]] = []
    image_area = 0.0
    covered = invisible = 0
    for obj in page.get_objects(max_depth=1):
        box = obj.get_bounds()
        if obj.type == TEXT:
            if pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw) == INVISIBLE:
                invisible += 1
            texts.append(box)
        elif obj.type in (PATH, IMAGE) and texts and _opaque(obj):
            hidden = [t for t in texts if _inside(t, box)]
            covered += len(hidden)
            texts = [t for t in texts if t not in hidden]
        if obj.type == IMAGE:
            image_area += max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])
    cover = min(1.0, image_area / max(width * height, 1.0))
    return cover, covered, invisible if cover < 0.5 else 0


def _opaque(obj: Any) -> bool:
    if obj.type == IMAGE:
        return True
    r, g, b, a = (ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint())
    if not pdfium_c.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a):
        return False
    fillmode, stroke = ctypes.c_int(), pdfium_c.FPDF_BOOL()
    pdfium_c.FPDFPath_GetDrawMode(obj.raw, fillmode, stroke)
    return bool(fillmode.value) and a.value == 255


def _inside(
    text: tuple[float, float, float, float], box: tuple[float, float, float, float]
) -> bool:
    cx, cy = (text[0] + text[2]) / 2, (text[1] + text[3]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def flags(data: bytes, reading: PdfReading) -> list[str]:
    """The red flags of a PDF's structure, as evidence words."""
    found = []
    tools = " ".join(reading.metadata.get(k, "") for k in ("Producer", "Creator"))
    if EDITORS.search(tools):
        found.append("editor_metadata")
    if reading.facts["javascript"]:
        found.append("javascript")
    if reading.facts["attachments"]:
        found.append("embedded_files")
    if reading.facts["covered_text"]:
        found.append("text_covered")
    if reading.facts["invisible_text"]:
        found.append("invisible_text")
    if revisions(data) > 1 and b"/ByteRange" not in data:
        found.append("incremental_update")
    return found


def revisions(data: bytes) -> int:
    """How many times the file was saved: one %%EOF per save (two for a linearised file)."""
    count = data.count(b"%%EOF")
    return max(1, count - 1) if b"/Linearized" in data[:2048] else max(1, count)


def render(data: bytes, max_side: int) -> Any:
    """The first page as a PIL picture, at most max_side pixels on its longer side."""
    with opened(data) as pdf:
        page = pdf[0]
        width, height = page.get_size()
        scale = min(4.0, max_side / max(width, height))
        return page.render(scale=scale).to_pil().convert("RGB")
