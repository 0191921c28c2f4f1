"""ICAO 9303 check digits: weights 7, 3, 1 over digits, letters (A=10..Z=35) and fillers (0)."""

from __future__ import annotations

WEIGHTS = (7, 3, 1)


def value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    return 0  # the filler '<' (and anything else) counts as zero


def compute(data: str) -> str:
    return str(sum(value(ch) * WEIGHTS[i % 3] for i, ch in enumerate(data)) % 10)


def valid(data: str, digit: str) -> bool:
    return compute(data) == digit
