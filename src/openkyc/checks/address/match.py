"""Comparisons of what the bill says with what the applicant and the ID say.

Names: order-insensitive and forgiving of a missing middle name ("DOE John" is "John
Doe"; "John Doe" is "John Michael Doe"), strict on the surname. Addresses: common
abbreviations expanded, accents, case and punctuation ignored; postcodes compared
without spaces.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from openkyc.checks.address.text import plain

NAME_THRESHOLD = 85.0
ADDRESS_THRESHOLD = 85.0

ABBREVIATIONS = {
    "st": "street", "rd": "road", "ave": "avenue", "av": "avenue", "ln": "lane",
    "dr": "drive", "sq": "square", "pl": "place", "bd": "boulevard", "bld": "boulevard",
    "bvd": "boulevard", "blvd": "boulevard", "r": "rue", "fg": "faubourg", "imp": "impasse",
    "str": "strasse", "strase": "strasse", "c": "calle", "cl": "calle", "avda": "avenida",
    "pza": "plaza", "pl.": "plaza", "no": "", "nr": "", "n": "", "num": "",
}  # fmt: skip


def key(value: str) -> str:
    """The comparison key of a field: plain, without spaces ("NW1 6XE" == "nw16xe")."""
    return plain(value).replace(" ", "")


def address_words(value: str) -> str:
    words = []
    for word in plain(value).split():
        # German compounds: "Hauptstr" / "Hauptstrasse" -> "haupt strasse"
        for suffix in ("strasse", "str"):
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                word = word[: -len(suffix)] + " strasse"
                break
        words.append(ABBREVIATIONS.get(word, word))
    return " ".join(w for w in " ".join(words).split() if w)


def name_score(printed: str, firstname: str, lastname: str) -> float:
    """0-100: how well a printed name matches the ID's first and last names."""
    bill = plain(printed).split()
    last = plain(lastname).split()
    first = plain(firstname).split()
    if not bill or not last:
        return 0.0
    if not all(_has(bill, word) for word in last):
        return min(40.0, fuzz.token_sort_ratio(" ".join(bill), " ".join(first + last)))
    if first and not _has(bill, first[0]) and not any(w == first[0][:1] for w in bill):
        return 50.0
    return max(
        fuzz.token_set_ratio(" ".join(bill), " ".join(first + last)),
        fuzz.token_sort_ratio(" ".join(bill), " ".join(first + last)),
    )


def _has(words: list[str], wanted: str) -> bool:
    return any(fuzz.ratio(w, wanted) >= NAME_THRESHOLD for w in words)


def address_score(printed: str, declared: str) -> float:
    a, b = address_words(printed), address_words(declared)
    if not a or not b:
        return 0.0
    numbers_a = {w for w in a.split() if any(c.isdigit() for c in w)}
    numbers_b = {w for w in b.split() if any(c.isdigit() for c in w)}
    if numbers_a != numbers_b:  # a house number is the address, not a typo
        return min(50.0, fuzz.token_set_ratio(a, b))
    return float(fuzz.token_set_ratio(a, b))


def city_score(printed: str, declared: str) -> float:
    a, b = plain(printed), plain(declared)
    if not a or not b:
        return 0.0
    return float(max(fuzz.ratio(a, b), fuzz.partial_ratio(a, b) if min(len(a), len(b)) > 4 else 0))


def zip_matches(printed: str, declared: str) -> bool:
    return key(printed) == key(declared)
