"""Compare the MRZ with the printed fields, one score per field (1.0 = the same).

A forger who edits the printed name or date rarely rewrites the MRZ with valid check
digits to match; a low score on a field both read clearly is a conflict.
"""

from __future__ import annotations

import unicodedata
from difflib import SequenceMatcher
from typing import Any

COMPARED = (
    "lastname",
    "firstname",
    "birth_date",
    "document_expiration",
    "document_number",
    "gender",
)
# Below this a clearly read field disagrees with the MRZ.
CONFLICT_BELOW = 0.6


def _letters(text: str) -> str:
    """MRZ transliteration drops accents and punctuation: compare on bare letters."""
    decomposed = unicodedata.normalize("NFKD", text.upper())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("Ø", "O").replace("Æ", "AE").replace("ß", "SS")
    return " ".join("".join(ch if ch.isalnum() else " " for ch in bare).split())


def similarity(field: str, mrz_value: str, viz_value: str) -> float:
    a, b = _letters(mrz_value), _letters(viz_value)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if field in ("birth_date", "document_expiration", "gender"):
        return 0.0  # exact values: equal or not
    if field in ("lastname", "firstname") and (b.startswith(a) or a.startswith(b)):
        return 1.0  # the MRZ truncates long names
    a, b = a.replace(" ", ""), b.replace(" ", "")
    return round(SequenceMatcher(None, a, b).ratio(), 3)


def compare(
    mrz_fields: dict[str, Any], viz_fields: dict[str, Any], viz_scores: dict[str, float]
) -> dict[str, dict[str, Any]]:
    """Per field: both values, the OCR confidence of the printed one, and the score."""
    out: dict[str, dict[str, Any]] = {}
    for field in COMPARED:
        mrz_value, viz_value = mrz_fields.get(field), viz_fields.get(field)
        if not mrz_value or not viz_value:
            continue
        out[field] = {
            "mrz": mrz_value,
            "visual": viz_value,
            "ocr_confidence": round(viz_scores.get(field, 0.0), 3),
            "score": similarity(field, str(mrz_value), str(viz_value)),
        }
    return out


def conflicts(comparison: dict[str, dict[str, Any]], min_confidence: float = 0.85) -> list[str]:
    """Fields that disagree although the printed value was read with confidence."""
    return [
        field
        for field, item in comparison.items()
        if item["score"] < CONFLICT_BELOW and item["ocr_confidence"] >= min_confidence
    ]
