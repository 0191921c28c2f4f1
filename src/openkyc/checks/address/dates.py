"""Dates as bills print them, in the numeric and written forms of en/fr/de/es.

`06/07/2021` is the 6th of July outside the United States and June 6th inside it; a
day above 12 settles the order either way. The issuing date is the one next to an
issuing label ("Invoice date", "Date d'émission", "Rechnungsdatum", "Fecha de emisión"),
else the only date of the document, else none: a due date is not an issuing date.
"""

from __future__ import annotations

import re
from datetime import date

from openkyc.checks.address.text import plain

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january janvier januar jaenner enero jan janv ene",
        "february fevrier februar febrero feb fev fevr",
        "march mars maerz marz marzo mar",
        "april avril abril apr avr abr",
        "may mai mayo",
        "june juin juni junio jun",
        "july juillet juli julio jul juil",
        "august aout agosto aug ago",
        "september septembre septiembre setiembre sep sept",
        "october octobre oktober octubre oct okt",
        "november novembre noviembre nov",
        "december decembre dezember diciembre dec dez dic",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

NUMERIC = re.compile(r"(?<!\d)(\d{1,4})\s?[./-]\s?(\d{1,2})\s?[./-]\s?(\d{2,4})(?!\d)")
_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
# "6 July 2021", "6. Juli 2021", "6 de julio de 2021", "1er juillet 2021"
DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s(?:de\s)?({_MONTH_WORDS})\s(?:de\s)?(\d{{4}})\b"
)
# "July 6 2021" (the comma is gone once the text is plain)
MONTH_DAY = re.compile(rf"\b({_MONTH_WORDS})\s(\d{{1,2}})(?:st|nd|rd|th)?\s(\d{{4}})\b")

ISSUE_LABELS = (
    "date of issue", "issue date", "issued on", "invoice date", "bill date", "statement date",
    "date d emission", "date de facture", "date de facturation", "emise le", "date du releve",
    "rechnungsdatum", "ausstellungsdatum", "datum der rechnung", "erstellt am", "auszugsdatum",
    "fecha de emision", "fecha de factura", "fecha de expedicion", "fecha del extracto",
)  # fmt: skip


def _make(year: int, month: int, day: int) -> date | None:
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


def numeric(match: re.Match[str], month_first: bool) -> date | None:
    a, b, c = (int(g) for g in match.groups())
    if len(match.group(1)) == 4:
        return _make(a, b, c)  # ISO order
    if len(match.group(3)) not in (2, 4):
        return None
    if a > 12 or (not month_first and b <= 12):
        return _make(c, b, a)
    return _make(c, a, b)


def find_dates(line: str, month_first: bool = False) -> list[date]:
    """Every date a line holds, in order of appearance."""
    found: list[tuple[int, date | None]] = []
    for m in NUMERIC.finditer(line):
        found.append((m.start(), numeric(m, month_first)))
    text = plain(line)
    for m in DAY_MONTH.finditer(text):
        found.append(
            (10_000 + m.start(), _make(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1))))
        )
    for m in MONTH_DAY.finditer(text):
        found.append(
            (10_000 + m.start(), _make(int(m.group(3)), MONTHS[m.group(1)], int(m.group(2))))
        )
    return [d for _, d in sorted(found, key=lambda item: item[0]) if d is not None]


def issuing_date(lines: list[str], month_first: bool = False) -> tuple[date | None, str]:
    """The issuing date and how it was found ("label", "only", or "" for none)."""
    everything: list[date] = []
    for index, line in enumerate(lines):
        key = plain(line)
        dates = find_dates(line, month_first)
        everything.extend(dates)
        if any(label in key for label in ISSUE_LABELS):
            if dates:
                return dates[0], "label"
            # the value printed under its label, as in a table
            following = find_dates(lines[index + 1], month_first) if index + 1 < len(lines) else []
            if following:
                return following[0], "label"
    distinct = sorted(set(everything))
    if len(distinct) == 1:
        return distinct[0], "only"
    return None, ""
