"""Cleaning of the values lists write in many ways: dates, countries, genders, identifiers."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from rigour.territories import lookup_territory

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[t ]\d[\d:.+\-z]*)?$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_D_MON_Y = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _iso(year: int, month: int = 0, day: int = 0) -> str | None:
    if not 1800 <= year <= 2100:
        return None
    if not month:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return f"{year:04d}"
    if not day:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}"


def parse_date(text: str | None) -> list[str]:
    """ISO prefixes for a date as lists write it; a range gives each year in it.

    `12 Jun 1961`, `Jun 1961`, `circa 1961`, `1961 to 1963`, `12/06/1961`,
    `00/00/1961` (unknown day and month), `1961-06-12`.
    """
    if not text:
        return []
    value = " ".join(text.replace(",", " ").split())
    lowered = value.lower()
    for prefix in ("circa ", "ca. ", "approximately ", "about "):
        lowered = lowered.removeprefix(prefix)
    if m := _ISO.match(lowered):
        found = _iso(int(m[1]), int(m[2] or 0), int(m[3] or 0))
        return [found] if found else []
    if m := _DMY.match(lowered):
        found = _iso(int(m[3]), int(m[2]), int(m[1]))
        return [found] if found else []
    if m := _D_MON_Y.match(lowered):
        month = MONTHS.get(m[2][:3].lower(), 0)
        found = _iso(int(m[3]), month, int(m[1] or 0))
        return [found] if found else []
    years = [int(y) for y in _YEAR.findall(lowered)]
    if len(years) == 2 and (" to " in lowered or "-" in lowered) and 0 < years[1] - years[0] <= 10:
        return [f"{y:04d}" for y in range(years[0], years[1] + 1)]
    return [f"{y:04d}" for y in years]


@lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """ISO alpha-2, lower case, from a code (alpha-2 or alpha-3) or an English name."""
    if not text or not text.strip():
        return None
    found = lookup_territory(text.strip())
    return found.code if found is not None else None


def gender(text: str | None) -> str | None:
    value = (text or "").strip().lower()
    if value in ("m", "male", "man", "masculin", "h", "homme"):
        return "male"
    if value in ("f", "female", "woman", "feminin", "féminin", "femme"):
        return "female"
    return None


def identifier_key(text: str) -> str:
    """Passport and ID numbers compared without spaces, dashes or case (and IMO numbers
    with or without their "IMO" prefix)."""
    key = re.sub(r"[^0-9A-Z]", "", text.upper())
    if key.startswith("IMO") and key[3:].isdigit() and len(key) == 10:
        return key[3:]
    return key
