"""The visual inspection zone: printed fields found by their labels.

Labels are matched in English, French, German, Spanish and Italian, as documents print
them ("Surname / Nom"); the value is the text right after the label on its line, or the
nearest line below it. EU driving licences number their fields (1. surname, 2. given
names, 3. birth date and place, 4b. expiry, 5. number).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from openkyc.checks.document.ocr import Text

# Checked in this order: the more specific label first ("given names" before "name").
LABELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "birth_place",
        ("place of birth", "lieu de naissance", "geburtsort", "lugar de nac", "luogo di"),
    ),
    (
        "birth_date",
        (
            "date of birth",
            "date de naissance",
            "geburtsdatum",
            "fecha de nac",
            "data di nascita",
            "ne(e) le",
            "ne le",
            "nee le",
        ),
    ),
    (
        "document_expiration",
        (
            "expiry",
            "expiration",
            "gultig bis",
            "valable jusqu",
            "caducidad",
            "scadenza",
            "valid until",
        ),
    ),
    (
        "issue_date",
        (
            "date of issue",
            "date de delivrance",
            "issued",
            "delivre",
            "ausstellungsdatum",
            "expedicion",
        ),
    ),
    ("firstname", ("given name", "prenom", "vorname", "nombre", "nome")),
    ("lastname", ("surname", "nom", "name", "apellido", "cognome")),
    (
        "document_number",
        (
            "passport no",
            "document no",
            "card no",
            "no du passeport",
            "dokumentennummer",
            "numero",
            "n°",
            "no.",
        ),
    ),
    (
        "nationality",
        ("nationality", "nationalite", "staatsangehorigkeit", "nacionalidad", "cittadinanza"),
    ),
    ("gender", ("sex", "sexe", "geschlecht", "sexo", "sesso")),
)
LICENCE_FIELDS = {
    "1": "lastname",
    "2": "firstname",
    "3": "birth",
    "4b": "document_expiration",
    "5": "document_number",
}
LICENCE_RE = re.compile(r"^\s*(1|2|3|4a|4b|4c|5)\s*[.,]\s*(.*)$")
MONTHS = {
    "JAN": 1,
    "FEB": 2,
    "FEV": 2,
    "FEB.": 2,
    "MAR": 3,
    "MARS": 3,
    "MRZ": 3,
    "APR": 4,
    "AVR": 4,
    "ABR": 4,
    "MAY": 5,
    "MAI": 5,
    "MAG": 5,
    "JUN": 6,
    "JUIN": 6,
    "GIU": 6,
    "JUL": 7,
    "JUIL": 7,
    "LUG": 7,
    "AUG": 8,
    "AOUT": 8,
    "AGO": 8,
    "SEP": 9,
    "SEPT": 9,
    "SET": 9,
    "OCT": 10,
    "OKT": 10,
    "OTT": 10,
    "NOV": 11,
    "DEC": 12,
    "DEZ": 12,
    "DIC": 12,
}
DATE_PATTERNS = (
    re.compile(r"(\d{1,2})[ ./-]+([A-Z]{3,4})[A-Z/ ]*?[ ./-]+(\d{2,4})"),
    re.compile(r"(\d{1,2})[./ -](\d{1,2})[./ -](\d{4}|\d{2})"),
    re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
)


@dataclass(frozen=True)
class Found:
    value: str
    score: float  # the OCR confidence of the value's line


def plain(text: str) -> str:
    """Lower case, accents removed, spaces collapsed: for label matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def label_of(text: str) -> str | None:
    low = plain(text)
    for name, needles in LABELS:
        if any(_has(low, needle) for needle in needles):
            return name
    return None


def _has(text: str, needle: str) -> bool:
    if len(needle) <= 4:  # short words must stand alone ("nom", not "nominal")
        return re.search(rf"(^|[^a-z]){re.escape(needle)}($|[^a-z])", text) is not None
    return needle in text


def extract(texts: list[Text]) -> dict[str, Found]:
    """Printed fields by name, raw (dates as printed)."""
    found: dict[str, Found] = {}
    licence = _licence(texts)
    if licence:
        return licence
    for text in texts:
        name = label_of(text.text)
        if name is None or name in found:
            continue
        value = _value_for(text, texts)
        if value is not None:
            found[name] = value
    return found


def _value_for(label: Text, texts: list[Text]) -> Found | None:
    inline = re.split("[:\uff1a]", label.text, maxsplit=1)
    if len(inline) == 2 and inline[1].strip() and label_of(inline[1]) is None:
        return Found(inline[1].strip(), label.score)
    below = [
        t
        for t in texts
        if t is not label
        and label_of(t.text) is None
        and t.y0 > label.y0 + 0.4 * label.height
        and t.y0 - label.y1 < 2.5 * label.height
        and t.x0 < label.x1
        and t.x1 > label.x0 - label.height
    ]
    if below:
        best = min(below, key=lambda t: (t.y0, abs(t.x0 - label.x0)))
        return Found(best.text.strip(), best.score)
    right = [
        t
        for t in texts
        if t is not label
        and label_of(t.text) is None
        and abs(t.cy - label.cy) < 0.6 * label.height
        and 0 <= t.x0 - label.x1 < 6 * label.height
    ]
    if right:
        best = min(right, key=lambda t: t.x0)
        return Found(best.text.strip(), best.score)
    return None


def _licence(texts: list[Text]) -> dict[str, Found]:
    """Numbered fields of an EU driving licence; empty when fewer than three are seen."""
    found: dict[str, Found] = {}
    for text in texts:
        match = LICENCE_RE.match(text.text)
        if not match or match.group(1) not in LICENCE_FIELDS:
            continue
        value = match.group(2).strip()
        score = text.score
        if not value:
            right = [
                t
                for t in texts
                if t is not text and abs(t.cy - text.cy) < 0.6 * text.height and t.x0 > text.x1
            ]
            if not right:
                continue
            nearest = min(right, key=lambda t: t.x0)
            value, score = nearest.text.strip(), nearest.score
        found[LICENCE_FIELDS[match.group(1)]] = Found(value, score)
    if "birth" in found:
        birth = found.pop("birth")
        day = parse_date(birth.value)
        rest = re.sub(r"^[\d./ -]+", "", birth.value).strip()
        if day:
            found["birth_date"] = Found(
                birth.value[: len(birth.value) - len(rest)].strip(), birth.score
            )
        if rest:
            found["birth_place"] = Found(rest, birth.score)
    return found if len(found) >= 3 else {}


def parse_date(text: str) -> str | None:
    """A printed date in the usual forms, as YYYY-MM-DD."""
    upper = plain(text).upper()
    for pattern in DATE_PATTERNS:
        match = pattern.search(upper)
        if not match:
            continue
        a, b, c = match.groups()
        if pattern is DATE_PATTERNS[2]:
            year, month, day = int(a), int(b), int(c)
        else:
            month_value = MONTHS.get(b) if not b.isdigit() else int(b)
            if month_value is None:
                continue
            day, month, year = int(a), month_value, int(c)
        if year < 100:
            year += 2000 if year <= date.today().year % 100 + 20 else 1900
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def fields(found: dict[str, Found]) -> dict[str, Any]:
    """Printed values normalised for comparison and for the payload."""
    out: dict[str, Any] = {}
    for name, item in found.items():
        if name in ("birth_date", "document_expiration", "issue_date"):
            parsed = parse_date(item.value)
            if parsed:
                out[name] = parsed
        elif name == "gender":
            letter = plain(item.value).upper()[:1]
            if letter in ("M", "F", "H"):
                out[name] = "M" if letter in ("M", "H") else "F"
        elif name == "document_number":
            out[name] = re.sub(r"[^A-Z0-9]", "", item.value.upper())
        elif name in ("firstname", "lastname"):
            out[name] = " ".join(item.value.replace(",", " ").split()).upper()
        else:
            out[name] = " ".join(item.value.split())
    return out
