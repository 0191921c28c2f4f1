"""The whole reading of a document, front and back, into evidence and output files.

`analyse` gathers everything a decision needs (and a reviewer wants to see); it takes no
decision itself. The v4 `document.fields` are built here from the MRZ when it is valid,
the printed fields otherwise, plus what only the printed side holds (birth place).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openkyc.checks.document import crosscheck, ocr, portrait, sandbox, specimen, viz
from openkyc.checks.document.mrz.layouts import LAYOUTS
from openkyc.checks.document.mrz.parse import MrzResult, parse_layout
from openkyc.checks.document.mrz.repair import AMBIGUOUS, Change
from openkyc.checks.document.side import Side, read_side

# ICAO codes that are not ISO 3166 alpha-3 codes (ICAO 9303 part 3).
ICAO_TO_ISO = {
    "D": "DEU",
    "GBD": "GBR",
    "GBN": "GBR",
    "GBO": "GBR",
    "GBP": "GBR",
    "GBS": "GBR",
    "RKS": "XKX",
}
EVIDENCE_VERSION = 1


@dataclass
class Analysis:
    evidence: dict[str, Any]
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)


def iso_country(code: str) -> str:
    """An MRZ state or nationality code as ISO-3166 alpha-3 (unknown codes kept as read)."""
    code = code.strip("<").upper()
    return ICAO_TO_ISO.get(code, code)


def analyse(
    front: bytes,
    back: bytes | None,
    document_type: str,
    country: str,
    today: date,
    settings: dict[str, Any] | None = None,
    engine: ocr.Engine | None = None,
) -> Analysis:
    settings = settings or {}
    engine = engine or ocr.shared()
    sides = {"front": read_side(engine, "front", front, today, settings)}
    if back:
        sides["back"] = read_side(engine, "back", back, today, settings)
    mrz_side = _mrz_side(sides)
    mrz = mrz_side.page.mrz if mrz_side and mrz_side.page else None
    found = viz.extract([t for s in sides.values() for t in s.viz_texts()])
    printed = viz.fields(found)
    confidence = {name: round(item.score, 3) for name, item in found.items()}
    if mrz is not None and confidence.get("document_number", 0.0) >= 0.9:
        mrz = number_from_printed(mrz, str(printed.get("document_number", "")), today)
    comparison = crosscheck.compare(_mrz_fields(mrz), printed, confidence) if mrz else {}
    fields = payload_fields(mrz, printed)
    all_text = [t.text for s in sides.values() if s.page for t in s.page.texts]
    doc_country = iso_country(mrz.fields.get("issuing_state", "")) if mrz else ""
    evidence: dict[str, Any] = {
        "version": EVIDENCE_VERSION,
        "document_type": document_type,
        "declared_country": country,
        "country": doc_country or country,
        "sides": {name: None for name in ("front", "back")}
        | {name: s.evidence for name, s in sides.items()},
        "mrz": _mrz_evidence(mrz, mrz_side) if mrz and mrz_side else None,
        "visual": {"fields": printed, "confidence": confidence},
        "crosscheck": comparison,
        "conflicts": crosscheck.conflicts(comparison),
        "fields": fields,
        "specimen": specimen.detect({**printed, **(mrz.fields if mrz else {})}, all_text),
        "sandbox_magic": sandbox.magic(fields),
        "models": ocr.versions(),
    }
    files = _output_files(sides, mrz_side, evidence)
    return Analysis(evidence, files)


def number_from_printed(mrz: MrzResult, printed: str, today: date) -> MrzResult:
    """O/0, I/1, Z/2... in a document number can satisfy the check digits either way; the
    printed number, read in another typeface, settles it when it differs only by such
    look-alikes and the MRZ still passes every check with it."""
    read = str(mrz.fields.get("document_number", ""))
    if not printed or printed == read or len(printed) != len(read) or len(read) > 9:
        return mrz
    if any(
        a != b and AMBIGUOUS.get(a) != b and AMBIGUOUS.get(b) != a
        for a, b in zip(read, printed, strict=True)
    ):
        return mrz
    layout = LAYOUTS[mrz.format]
    field = next(f for f in layout.fields if f.name == "document_number")
    lines = list(mrz.lines)
    line = lines[field.line]
    lines[field.line] = line[: field.start] + printed + line[field.start + len(printed) :]
    again = parse_layout(layout, lines, today)
    if not again.valid:
        return mrz
    again.raw_lines = mrz.raw_lines
    again.repairs = mrz.repairs + [
        Change(field.line, field.start + i, a, b)
        for i, (a, b) in enumerate(zip(read, printed, strict=True))
        if a != b
    ]
    return again


def _mrz_side(sides: dict[str, Side]) -> Side | None:
    """The side whose MRZ reads best (a valid one first)."""
    readable = [s for s in sides.values() if s.page and s.page.mrz]
    if not readable:
        return None

    def rank(side: Side) -> tuple[bool, int]:
        assert side.page and side.page.mrz
        return side.page.mrz.valid, side.page.mrz.passed

    return max(readable, key=rank)


def _mrz_fields(mrz: MrzResult | None) -> dict[str, Any]:
    if mrz is None:
        return {}
    f = mrz.fields
    return {
        "lastname": f.get("lastname"),
        "firstname": f.get("firstname"),
        "birth_date": f.get("birth_date"),
        "document_expiration": None if f.get("expiry_derived") else f.get("expiry_date"),
        "document_number": f.get("document_number"),
        "gender": f.get("sex") if f.get("sex") in ("M", "F") else None,
    }


def payload_fields(mrz: MrzResult | None, printed: dict[str, Any]) -> dict[str, Any]:
    """The v4 `document.fields`: MRZ values when the MRZ is valid, else the printed ones."""
    source = _mrz_fields(mrz) if mrz and mrz.valid else {}
    out: dict[str, Any] = {}
    for name in ("firstname", "lastname", "birth_date", "document_expiration", "document_number"):
        value = source.get(name) or printed.get(name)
        if not value and name == "document_expiration" and mrz and mrz.valid:
            value = mrz.fields.get("expiry_date")  # derived (French card) when not printed
        if value:
            out[name] = value
    nationality = mrz.fields.get("nationality") if mrz and mrz.valid else printed.get("nationality")
    if nationality:
        out["nationality"] = iso_country(str(nationality))
    gender = source.get("gender") or printed.get("gender")
    if gender in ("M", "F"):
        out["gender"] = gender
    if printed.get("birth_place"):
        out["birth_place"] = printed["birth_place"]
    if printed.get("firstname") and printed.get("lastname"):
        out["full_name"] = f"{printed['firstname']} {printed['lastname']}"
    return out


def _mrz_evidence(mrz: MrzResult, side: Side) -> dict[str, Any]:
    assert side.page is not None
    return {
        **mrz.as_dict(),
        "side": side.name,
        "ocr_confidence": round(side.page.mrz_score, 3),
        "reread": side.page.mrz_reread,
    }


def _output_files(
    sides: dict[str, Side], mrz_side: Side | None, evidence: dict[str, Any]
) -> dict[str, tuple[bytes, str]]:
    """Straightened crops of each side and the holder's portrait, as JPEG."""
    files: dict[str, tuple[bytes, str]] = {}
    for name, side in sides.items():
        if side.page is not None and side.evidence.get("has_document"):
            files[name] = (portrait.encode_jpeg(side.page.image), "image/jpeg")
    # The portrait is on the side without the MRZ for ID-1 cards, on the MRZ side otherwise.
    card = bool(
        mrz_side and mrz_side.page and mrz_side.page.mrz and mrz_side.page.mrz.format == "TD1"
    )
    order = sorted(sides.values(), key=lambda s: (s is mrz_side) == card)
    for side in order:
        if side.page is None or not side.evidence.get("has_document"):
            continue
        found = portrait.find(side.page.image, side.mrz_top())
        if found.image is not None:
            files["face"] = (portrait.encode_jpeg(found.image), "image/jpeg")
            evidence["portrait"] = {**found.evidence(), "side": side.name}
            break
    else:
        evidence["portrait"] = {"method": "none", "box": None, "side": None}
    return files
