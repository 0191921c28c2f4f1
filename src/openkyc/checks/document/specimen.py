"""Known specimen documents: the published examples every vendor and forger has seen.

ICAO 9303's own examples (ERIKSSON ANNA MARIA of Utopia and their document numbers),
governments' published specimens (Germany's ERIKA MUSTERMANN, France's NATACHA SPECIMEN,
the United States' HAPPY TRAVELER), and any document printed with SPECIMEN, MUSTER,
MUESTRA, VOID or SAMPLE.
"""

from __future__ import annotations

from typing import Any

from openkyc.checks.document.viz import plain

NAMES = {
    ("ERIKSSON", "ANNA MARIA"),
    ("MUSTERMANN", "ERIKA"),
    ("SPECIMEN", "NATACHA"),
    ("TRAVELER", "HAPPY"),
}
NUMBERS = {"L898902C3", "D23145890", "L8988901C", "L898902C", "T22000129", "C01X00T47"}
WORDS = ("specimen", "muster", "muestra", "void", "sample", "specimine", "facsimile")
STATES = {"UTO"}  # ICAO's fictional Utopia


def detect(fields: dict[str, Any], texts: list[str]) -> list[str]:
    """Why the document is a specimen; empty when it is not one."""
    why = []
    last = str(fields.get("lastname", "")).upper()
    first = str(fields.get("firstname", "")).upper()
    if any(last == n and first.startswith(f.split()[0]) for n, f in NAMES) or last == "SPECIMEN":
        why.append("known specimen holder")
    if str(fields.get("document_number", "")).upper() in NUMBERS:
        why.append("known specimen document number")
    if fields.get("issuing_state") in STATES or fields.get("nationality") in STATES:
        why.append("fictional issuing state")
    printed = " ".join(plain(t) for t in texts)
    for word in WORDS:
        if _word(printed, word):
            why.append(f"printed '{word.upper()}'")
            break
    return why


def _word(text: str, word: str) -> bool:
    import re

    return re.search(rf"(^|[^a-z]){word}($|[^a-z])", text) is not None
