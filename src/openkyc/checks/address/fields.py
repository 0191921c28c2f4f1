"""The holder's block of a bill: name, street, postcode and city.

A bill prints at least two addresses: the sender's and the holder's. Each block of
left-aligned lines that holds a postal line (postcode + city, per country) is a
candidate; the holder's is the one whose first line reads as a person's name (a
company suffix counts against it), or, when the session's ID gave a name, the one
carrying that name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from openkyc.checks.address.layout import Line
from openkyc.checks.address.text import plain

UK_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s?(\d[A-Z]{2})\b")
# "75002 Paris", "D-10115 Berlin", "28013 Madrid", "1000 Bruxelles", "75008 PARIS CEDEX 08"
ZIP_CITY = re.compile(r"^(?:[A-Z]{1,2}-)?(\d{4,5})\s+([^\d,;:]{2,40}?)(?:\s+CEDEX(?:\s+\d+)?)?$")
US_CITY_ZIP = re.compile(r"^([^\d,]{2,40}),\s*([A-Z]{2})\s+(\d{5}(?:-\d{4})?)$")
TITLES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "m", "mme", "mlle", "monsieur", "madame",
    "herr", "frau", "sr", "sra", "srta", "don", "dona", "d", "senor", "senora",
}  # fmt: skip
COMPANY = {
    "ltd", "limited", "plc", "llc", "inc", "sa", "sas", "sarl", "gmbh", "ag", "kg", "se",
    "sl", "bank", "banque", "banco", "energy", "energie", "energia", "telecom", "water",
    "eau", "wasser", "agua", "services", "group", "stadtwerke", "co", "cie", "compagnie",
}  # fmt: skip
PERSON_WORD = re.compile(r"^[^\W\d_][^\W\d_'.-]*(?:['.-][^\W\d_]+)*\.?$")


@dataclass
class Holder:
    name: str = ""
    firstname: str = ""
    lastname: str = ""
    address: str = ""
    city: str = ""
    zipcode: str = ""
    score: float = 0.0
    lines: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "firstname": self.firstname,
            "lastname": self.lastname,
            "address": self.address,
            "city": self.city,
            "zipcode": self.zipcode,
        }


def postal(text: str, country: str) -> tuple[str, str] | None:
    """(zipcode, city) when the line is a postal line; city may be "" (UK: its own line)."""
    value = " ".join(text.replace(",", " , ").split()).replace(" ,", ",").strip(" ,")
    if country in ("GBR", "IRL", "") or UK_POSTCODE.search(value):
        m = UK_POSTCODE.search(value)
        if m and m.end() >= len(value) - 1:
            city = value[: m.start()].strip(" ,")
            if not any(ch.isdigit() for ch in city) and len(city) < 40:
                return f"{m.group(1)} {m.group(2)}", city
    m = US_CITY_ZIP.match(value)
    if m:
        return m.group(3), m.group(1).strip()
    m = ZIP_CITY.match(value)
    if m and _wordy(m.group(2)):
        return m.group(1), m.group(2).strip()
    return None


def _wordy(value: str) -> bool:
    words = plain(value).split()
    return bool(words) and all(w.isalpha() for w in words)


def split_name(name: str, hints: list[tuple[str, str]] | None = None) -> tuple[str, str]:
    """(firstname, lastname) of a printed name: the hint's split when it matches, else an
    all-capitals word is the surname ("Jean DUPONT"), else the last word is."""
    words = [w for w in name.replace(",", " , ").split() if plain(w) not in TITLES]
    if "," in words:  # "DOE, John"
        cut = words.index(",")
        return " ".join(words[cut + 1 :]), " ".join(words[:cut])
    for _first, last in hints or []:
        last_words = {plain(w) for w in last.split()}
        if last_words and last_words <= {plain(w) for w in words}:
            rest = [w for w in words if plain(w) not in last_words]
            return " ".join(rest), " ".join(w for w in words if plain(w) in last_words)
    capitals = [w for w in words if w.isupper() and len(w) > 1]
    if capitals and len(capitals) < len(words):
        return " ".join(w for w in words if w not in capitals), " ".join(capitals)
    if len(words) < 2:
        return "", " ".join(words)
    return " ".join(words[:-1]), words[-1]


def person_score(text: str) -> float:
    """How much a line reads as a person's name (negative for a company or a label)."""
    words = text.replace(",", " ").split()
    if not 2 <= len(words) <= 6 or any(ch.isdigit() for ch in text) or ":" in text:
        return -2.0
    keys = [plain(w).replace(" ", "") for w in words]  # "S.L." -> "sl"
    if any(k in COMPANY for k in keys):
        return -3.0
    if not all(PERSON_WORD.match(w) for w in words):
        return -1.0
    return 2.0 + (1.0 if keys[0] in TITLES else 0.0)


def _candidate(block: list[Line], country: str) -> Holder | None:
    texts = [ln.text for ln in block]
    for index, text in enumerate(texts):
        found = postal(text, country)
        if found is None or index == 0:
            continue
        zipcode, city = found
        street_at = index - 1
        if not city and street_at >= 1 and _wordy(texts[street_at]):
            city, street_at = texts[street_at], street_at - 1
        if street_at < 1 or not city:
            continue
        name = texts[street_at - 1]
        street = texts[street_at]
        score = person_score(name) + (1.0 if any(c.isdigit() for c in street) else 0.0)
        return Holder(name, "", "", street, city, zipcode, score, texts[street_at - 1 : index + 1])
    return None


def holder(
    all_blocks: list[list[Line]], country: str, hints: list[tuple[str, str]] | None = None
) -> Holder | None:
    """The holder's block; a block naming a hinted person wins over the others."""
    best: Holder | None = None
    for block in all_blocks:
        found = _candidate(block, country)
        if found is None:
            continue
        for first, last in hints or []:
            if fuzz.token_set_ratio(plain(found.name), plain(f"{first} {last}")) >= 85:
                found.score += 5.0
        if best is None or found.score > best.score:
            best = found
    if best is None or best.score <= 0:
        return None
    best.name = " ".join(w for w in best.name.split() if plain(w) not in TITLES)
    best.firstname, best.lastname = split_name(best.name, hints)
    return best
