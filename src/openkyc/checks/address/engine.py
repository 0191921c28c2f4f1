"""The reading of one proof of address into evidence: text, language, kind, holder,
issuing date and the red flags of the file. It takes no decision (rules.py does).

A PDF with a text layer is read from that layer (fast, exact); a picture, or a PDF that
is a picture (a scan), is read by OCR. A scan that also carries a text layer is read
both ways, and the two must tell the same story.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openkyc.checks.address import dates, fields, layout, pdf, scan, signature, text
from openkyc.checks.address.layout import Segment
from openkyc.checks.document import ocr
from openkyc.checks.document.decode import WORK_MAX_SIDE, FileRejected, decode

EVIDENCE_VERSION = 1
MIN_TEXT_CHARS = 40  # less than this in a text layer: the PDF is a scan
MONTH_FIRST = {"USA", "PHL", "FSM", "PLW", "MHL"}
# Only what says which software made the file (Author, Title may name the holder).
KEPT_METADATA = ("Producer", "Creator", "CreationDate", "ModDate")


@dataclass
class Reading:
    segments: list[Segment]
    source: str  # "text_layer" or "ocr"
    flags: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)


def read_document(data: bytes, settings: dict[str, Any], engine: ocr.Engine | None) -> Reading:
    """Positioned text of the document, from its text layer or by OCR."""
    if data[:5] != b"%PDF-":
        segments, turned = scan.read_picture(decode(data).image, engine)
        return Reading(segments, "ocr", facts={"upside_down": turned})
    layer = pdf.read(data)
    tools = {k: v for k, v in layer.metadata.items() if k in KEPT_METADATA}
    facts: dict[str, Any] = {"pages": layer.pages, "metadata": tools, **layer.facts}
    facts["signatures"] = signature.inspect(data, str(settings.get("trust_roots_pem") or ""))
    flags = list(layer.flags) + _signature_flags(facts["signatures"])
    chars = sum(len(s.text) for s in layer.segments)
    if chars >= MIN_TEXT_CHARS and layer.image_cover < 0.5:
        return Reading(layer.segments, "text_layer", flags, facts)
    picture = pdf.render(data, WORK_MAX_SIDE)
    segments, turned = scan.read_picture(picture, engine)
    facts["upside_down"] = turned
    if chars >= MIN_TEXT_CHARS:
        agreement = _agreement(layer.segments, segments)
        facts["text_layer_agreement"] = round(agreement, 3)
        if agreement < 0.6:
            flags.append("text_layer_contradicts_image")
    return Reading(segments, "ocr", flags, facts)


def _signature_flags(signatures: list[dict[str, Any]]) -> list[str]:
    found = []
    if any(not s.get("intact") or not s.get("valid") for s in signatures):
        found.append("signature_broken")
    if any(s.get("intact") and not s.get("covers_whole_file") for s in signatures):
        found.append("changed_after_signing")
    return found


def _agreement(layer: list[Segment], seen: list[Segment]) -> float:
    """Share of the text layer's words that OCR also saw on the rendered page."""
    said = {w for s in layer for w in text.plain(s.text).split() if len(w) > 2}
    shown = {w for s in seen for w in text.plain(s.text).split() if len(w) > 2}
    return len(said & shown) / len(said) if said else 1.0


def analyse(
    data: bytes,
    country: str,
    settings: dict[str, Any] | None = None,
    hints: list[tuple[str, str]] | None = None,
    engine: ocr.Engine | None = None,
) -> dict[str, Any]:
    """Everything read from one document, as evidence (JSON-ready)."""
    settings = settings or {}
    try:
        reading = read_document(data, settings, engine)
    except FileRejected as exc:
        return {"version": EVIDENCE_VERSION, "error": exc.detail}
    lines = layout.lines(reading.segments)
    full = layout.reading_text(lines)
    title = _title(lines)
    kind, scores = text.document_kind(full, title)
    issued, how = dates.issuing_date([ln.text for ln in lines], country.upper() in MONTH_FIRST)
    found = fields.holder(layout.blocks(lines), country.upper(), hints)
    return {
        "version": EVIDENCE_VERSION,
        "source": reading.source,
        "lang": text.language(full),
        "text_chars": len(full),
        "title": title,
        "document_kind": kind,
        "kind_scores": scores,
        "issuing_date": issued.isoformat() if issued else "",
        "issuing_date_found_by": how,
        "holder": found.as_dict() if found else None,
        "red_flags": sorted(set(reading.flags)),
        "file": reading.facts,
    }


def _title(lines: list[layout.Line]) -> str:
    """The line where the document names itself: a short line of the top half, without
    figures, that names a kind; else the tallest line there. (Box heights alone are not
    enough: OCR boxes grow with descenders and skew.)"""
    if not lines:
        return ""
    page_bottom = max(ln.y1 for ln in lines)
    top = [ln for ln in lines if ln.y0 < page_bottom / 2] or lines
    naming = [
        ln
        for ln in top
        if len(ln.text.split()) <= 6
        and not any(c.isdigit() for c in ln.text)
        and max(text.kind_scores(ln.text).values()) >= 3
    ]
    return max(naming or top, key=lambda ln: ln.height).text
