"""Parse MRZ lines: pick the layout, repair OCR confusions, verify every check digit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openkyc.checks.document.mrz import checkdigit, repair
from openkyc.checks.document.mrz.layouts import FRA_ID, TD1, TD2, Layout, candidates


@dataclass
class MrzResult:
    format: str
    raw_lines: list[str]
    lines: list[str]
    fields: dict[str, Any]
    check_digits: dict[str, bool]
    repairs: list[repair.Change] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        dates_ok = all(self.fields.get(k) for k in ("birth_date", "expiry_date"))
        return bool(self.check_digits) and all(self.check_digits.values()) and dates_ok

    @property
    def passed(self) -> int:
        return sum(self.check_digits.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "lines": self.lines,
            "raw_lines": self.raw_lines,
            "valid": self.valid,
            "check_digits": self.check_digits,
            "fields": self.fields,
            "repairs": [
                {"line": c.line, "position": c.position, "from": c.before, "to": c.after}
                for c in self.repairs
            ],
        }


def parse(raw_lines: list[str], today: date | None = None) -> MrzResult | None:
    """The best reading of a block of MRZ lines, or None when no layout fits it."""
    today = today or date.today()
    lines = [repair.normalise(line) for line in raw_lines]
    if not lines:
        return None
    length = round(sum(len(line) for line in lines) / len(lines))
    length = min((30, 36, 44), key=lambda n: abs(n - length))
    best: MrzResult | None = None
    for layout in candidates(len(lines), length, lines[0]):
        result = _read(layout, raw_lines, [repair.fit(line, length) for line in lines], today)
        if best is None or _rank(result) > _rank(best):
            best = result
    return best


def _rank(result: MrzResult) -> tuple[bool, int]:
    """A layout whose every check passes beats one with more checks, some failing."""
    failed = len(result.check_digits) - result.passed
    return result.valid, result.passed - 2 * failed


def parse_layout(layout: Layout, raw_lines: list[str], today: date | None = None) -> MrzResult:
    """Read lines with a known layout (tests and callers that know the format)."""
    lines = [repair.fit(repair.normalise(line), layout.length) for line in raw_lines]
    return _read(layout, raw_lines, lines, today or date.today())


def _read(layout: Layout, raw_lines: list[str], lines: list[str], today: date) -> MrzResult:
    lines, changes = repair.by_kind(lines, layout)
    lines, more = repair.by_check_digits(lines, layout)
    checks = {spec.name: repair.passes(lines, spec) for spec in layout.checks}
    fields = _fields(layout, lines, today)
    if layout in (TD1, TD2) and fields.pop("long_number_ok", None) is not None:
        checks["document_number"] = True
    return MrzResult(layout.name, list(raw_lines), lines, fields, checks, changes + more)


def _slice(layout: Layout, lines: list[str], name: str) -> str:
    for f in layout.fields:
        if f.name == name:
            return lines[f.line][f.start : f.end]
    return ""


def _fields(layout: Layout, lines: list[str], today: date) -> dict[str, Any]:
    def get(name: str) -> str:
        return _slice(layout, lines, name)

    if layout is FRA_ID:
        return _french_fields(lines, today)
    lastname, firstname = split_names(get("names"))
    out: dict[str, Any] = {
        "document_code": get("document_code").rstrip("<"),
        "issuing_state": get("issuing_state").rstrip("<"),
        "lastname": lastname,
        "firstname": firstname,
        "document_number": get("document_number").rstrip("<"),
        "nationality": get("nationality").rstrip("<"),
        "birth_date": birth_date(get("birth_date"), today),
        "sex": sex(get("sex")),
        "expiry_date": expiry_date(get("expiry_date"), today),
        "optional_data": (get("optional_data") + get("optional_data_2")).strip("<"),
    }
    if layout in (TD1, TD2):
        _long_number(layout, lines, out)
    return out


def _long_number(layout: Layout, lines: list[str], out: dict[str, Any]) -> None:
    """A number over 9 characters: the check position holds a filler and the rest of the
    number, then its check digit, open the optional data (ICAO 9303 part 5, 4.2.4)."""
    line, at = (0, 14) if layout is TD1 else (1, 9)
    if lines[line][at] != "<":
        return
    rest = lines[line][at + 1 :].split("<", 1)[0]
    if len(rest) < 2:
        return
    number = lines[line][at - 9 : at] + rest[:-1]
    out["document_number"] = number
    out["optional_data"] = out["optional_data"][len(rest) :].strip("<")
    if checkdigit.valid(number, rest[-1]):
        out["long_number_ok"] = True


def _french_fields(lines: list[str], today: date) -> dict[str, Any]:
    issued = lines[1][0:4]
    born = birth_date(lines[1][27:33], today)
    return {
        "document_code": lines[0][0:2].rstrip("<"),
        "issuing_state": lines[0][2:5],
        "lastname": _words(lines[0][5:30]),
        "firstname": _words(lines[1][13:27]),
        "document_number": lines[1][0:12],
        "nationality": "FRA",
        "birth_date": born,
        "sex": sex(lines[1][34]),
        "expiry_date": french_expiry(issued, born, today),
        "expiry_derived": True,
        "optional_data": lines[0][30:36],
    }


def french_expiry(issued: str, born: str | None, today: date) -> str | None:
    """The card holds no expiry; it is 15 years after issue for adults (cards from 2004
    on; 10 before) and 10 years for minors at issue, counted from the issue month."""
    if not issued.isdigit() or not born:
        return None
    year, month = 2000 + int(issued[:2]), int(issued[2:])
    if year > today.year:
        year -= 100
    if not 1 <= month <= 12:
        return None
    adult = (year - int(born[:4])) >= 18
    years = 15 if adult and year >= 2004 else 10
    return f"{year + years:04d}-{month:02d}-01"


def _words(text: str) -> str:
    return " ".join(part for part in text.split("<") if part)


def split_names(text: str) -> tuple[str, str]:
    """'ERIKSSON<<ANNA<MARIA<<<' -> ('ERIKSSON', 'ANNA MARIA')."""
    primary, _, secondary = text.strip("<").partition("<<")
    return _words(primary), _words(secondary)


def sex(ch: str) -> str:
    return {"M": "M", "F": "F", "X": "X"}.get(ch, "X" if ch == "<" else "")


def _date(text: str, century: int) -> date | None:
    if len(text) != 6 or not text.isdigit():
        return None
    try:
        return date(century + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        return None


def birth_date(text: str, today: date) -> str | None:
    """Two-digit years: a birth date is never in the future."""
    found = _date(text, 2000)
    if found and found > today:
        found = _date(text, 1900)
    return found.isoformat() if found else None


def expiry_date(text: str, today: date) -> str | None:
    """Two-digit years: an expiry lies within about 50 years of today."""
    found = _date(text, 2000)
    if found and found.year > today.year + 50:
        found = _date(text, 1900)
    return found.isoformat() if found else None


__all__ = ["MrzResult", "parse", "parse_layout", "split_names"]
