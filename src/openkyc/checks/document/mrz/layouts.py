"""The machine-readable zone formats, as data: where each field sits and what checks it.

ICAO 9303 part 4 (TD3 passports), part 5 (TD1 cards), part 6 (TD2 cards), part 7 (MRV-A and
MRV-B visas), and the French national identity card of 1988-2021 (2 lines of 36, its own
layout). Positions are 0-based, `end` exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a position may hold; OCR repairs are chosen by it."""

    ALPHA = "alpha"  # letters or filler (codes, states)
    DIGITS = "digits"  # dates
    ALNUM = "alnum"  # document numbers, optional data
    NAME = "name"  # letters and fillers
    SEX = "sex"  # M, F, X or filler
    CHECK = "check"  # a check digit (or a filler where the standard allows it)


@dataclass(frozen=True)
class Field:
    name: str
    line: int
    start: int
    end: int
    kind: Kind


@dataclass(frozen=True)
class CheckSpec:
    """A check digit at `at` over the concatenation of `spans` (line, start, end)."""

    name: str
    spans: tuple[tuple[int, int, int], ...]
    at: tuple[int, int]
    # The optional-data check may be a filler when the data is all fillers (TD3).
    filler_ok: bool = False


@dataclass(frozen=True)
class Layout:
    name: str
    lines: int
    length: int
    fields: tuple[Field, ...]
    checks: tuple[CheckSpec, ...]

    def kinds(self) -> list[list[Kind]]:
        """The kind of every position, line by line."""
        grid = [[Kind.ALNUM] * self.length for _ in range(self.lines)]
        for f in self.fields:
            for i in range(f.start, f.end):
                grid[f.line][i] = f.kind
        for c in self.checks:
            grid[c.at[0]][c.at[1]] = Kind.CHECK
        return grid


def _td3_like(name: str, optional_end: int, composite: bool) -> Layout:
    """TD3 and MRV-A share line 1 and most of line 2 (44 characters)."""
    fields = [
        Field("document_code", 0, 0, 2, Kind.ALPHA),
        Field("issuing_state", 0, 2, 5, Kind.ALPHA),
        Field("names", 0, 5, 44, Kind.NAME),
        *_line2_common(1),
        Field("optional_data", 1, 28, optional_end, Kind.ALNUM),
    ]
    checks = [*_line2_checks(1)]
    if composite:
        checks.append(CheckSpec("optional_data", ((1, 28, 42),), (1, 42), filler_ok=True))
        checks.append(CheckSpec("composite", ((1, 0, 10), (1, 13, 20), (1, 21, 43)), (1, 43)))
    return Layout(name, 2, 44, tuple(fields), tuple(checks))


def _line2_common(line: int) -> list[Field]:
    return [
        Field("document_number", line, 0, 9, Kind.ALNUM),
        Field("nationality", line, 10, 13, Kind.ALPHA),
        Field("birth_date", line, 13, 19, Kind.DIGITS),
        Field("sex", line, 20, 21, Kind.SEX),
        Field("expiry_date", line, 21, 27, Kind.DIGITS),
    ]


def _line2_checks(line: int) -> list[CheckSpec]:
    return [
        CheckSpec("document_number", ((line, 0, 9),), (line, 9)),
        CheckSpec("birth_date", ((line, 13, 19),), (line, 19)),
        CheckSpec("expiry_date", ((line, 21, 27),), (line, 27)),
    ]


TD3 = _td3_like("TD3", 42, composite=True)
MRVA = _td3_like("MRVA", 44, composite=False)

TD2 = Layout(
    "TD2",
    2,
    36,
    (
        Field("document_code", 0, 0, 2, Kind.ALPHA),
        Field("issuing_state", 0, 2, 5, Kind.ALPHA),
        Field("names", 0, 5, 36, Kind.NAME),
        *_line2_common(1),
        Field("optional_data", 1, 28, 35, Kind.ALNUM),
    ),
    (
        *_line2_checks(1),
        CheckSpec("composite", ((1, 0, 10), (1, 13, 20), (1, 21, 35)), (1, 35)),
    ),
)

MRVB = Layout(
    "MRVB",
    2,
    36,
    (
        Field("document_code", 0, 0, 2, Kind.ALPHA),
        Field("issuing_state", 0, 2, 5, Kind.ALPHA),
        Field("names", 0, 5, 36, Kind.NAME),
        *_line2_common(1),
        Field("optional_data", 1, 28, 36, Kind.ALNUM),
    ),
    tuple(_line2_checks(1)),
)

TD1 = Layout(
    "TD1",
    3,
    30,
    (
        Field("document_code", 0, 0, 2, Kind.ALPHA),
        Field("issuing_state", 0, 2, 5, Kind.ALPHA),
        Field("document_number", 0, 5, 14, Kind.ALNUM),
        Field("optional_data", 0, 15, 30, Kind.ALNUM),
        Field("birth_date", 1, 0, 6, Kind.DIGITS),
        Field("sex", 1, 7, 8, Kind.SEX),
        Field("expiry_date", 1, 8, 14, Kind.DIGITS),
        Field("nationality", 1, 15, 18, Kind.ALPHA),
        Field("optional_data_2", 1, 18, 29, Kind.ALNUM),
        Field("names", 2, 0, 30, Kind.NAME),
    ),
    (
        CheckSpec("document_number", ((0, 5, 14),), (0, 14)),
        CheckSpec("birth_date", ((1, 0, 6),), (1, 6)),
        CheckSpec("expiry_date", ((1, 8, 14),), (1, 14)),
        CheckSpec("composite", ((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)), (1, 29)),
    ),
)

# France's card of 1988-2021: line 1 "ID" "FRA" surname(25) department(3) office(3);
# line 2 number(12: issue YYMM, department, sequence) check, given names(14), birth date,
# check, sex, and a check digit over both lines.
FRA_ID = Layout(
    "FRA_ID",
    2,
    36,
    (
        Field("document_code", 0, 0, 2, Kind.ALPHA),
        Field("issuing_state", 0, 2, 5, Kind.ALPHA),
        Field("surname", 0, 5, 30, Kind.NAME),
        Field("office", 0, 30, 36, Kind.ALNUM),
        Field("issue_month", 1, 0, 4, Kind.DIGITS),
        Field("document_number", 1, 0, 12, Kind.ALNUM),
        Field("given_names", 1, 13, 27, Kind.NAME),
        Field("birth_date", 1, 27, 33, Kind.DIGITS),
        Field("sex", 1, 34, 35, Kind.SEX),
    ),
    (
        CheckSpec("document_number", ((1, 0, 12),), (1, 12)),
        CheckSpec("birth_date", ((1, 27, 33),), (1, 33)),
        CheckSpec("composite", ((0, 0, 36), (1, 0, 35)), (1, 35)),
    ),
)

LAYOUTS = {layout.name: layout for layout in (TD1, TD2, TD3, MRVA, MRVB, FRA_ID)}


def candidates(lines: int, length: int, first: str) -> list[Layout]:
    """Layouts that fit a block of `lines` x `length` whose first line is `first`.

    The document code settles visas (V) against passports and cards; France's card is
    told from TD2 by its opening IDFRA (a misread 1 or 0 in it is allowed for).
    """
    visa = first[:1] == "V"
    if lines == 3 and length == 30:
        return [TD1]
    if lines == 2 and length == 44:
        return [MRVA] if visa else [TD3]
    if lines == 2 and length == 36:
        if visa:
            return [MRVB]
        french = first[1:5].replace("0", "O") == "DFRA" and first[:1] in ("I", "1")
        return [FRA_ID, TD2] if french else [TD2]
    return []
