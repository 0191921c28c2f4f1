"""Keys of the monitoring reverse index: what an applicant's names are found by, and what
a listed entity's names look for. The same words, phonetic keys, one-letter deletions,
joined neighbours and consonant skeletons as the screening index (index.py), as plain
strings that the database can hold (keyed hashes of them, in fact: see domain/aml)."""

from __future__ import annotations

from collections.abc import Iterable

from openkyc.checks.aml.common import PARTICLES
from openkyc.checks.aml.index import deletions
from openkyc.checks.aml.text import NameForm, skeleton
from openkyc.checks.aml.values import identifier_key

# Shorter words are looked up as they are: their variants are shared by too many other
# names to narrow anything down.
FUZZY_FROM = 5


def _variants(word: str, phonetic: str) -> set[str]:
    if len(word) < FUZZY_FROM:
        return set()
    keys = {f"d:{v}" for v in deletions(word)}
    if phonetic:
        keys.add(f"p:{word[0]}{phonetic}")
    return keys


def _words(form: NameForm) -> list[tuple[int, str]]:
    return [
        (i, t) for i, t in enumerate(form.tokens) if len(form.tokens) == 1 or t not in PARTICLES
    ]


def stored_keys(forms: Iterable[NameForm], identifiers: Iterable[str]) -> set[str]:
    """Every key an applicant is found by."""
    keys: set[str] = set()
    for form in forms:
        for i, word in _words(form):
            keys.add(f"d:{word}")
            keys.update(_variants(word, form.phonetic[i]))
            if word.isalpha():
                keys.add(f"s:{skeleton(word)}")
        keys.update(f"d:{a}{b}" for a, b in zip(form.tokens, form.tokens[1:], strict=False))
    keys.update(f"i:{k}" for k in map(identifier_key, identifiers) if len(k) >= 5)
    return keys


def wanted_keys(form: NameForm) -> list[list[str]]:
    """Per word of one of an entity's names, the keys that find applicants holding it,
    the word as it is first."""
    found = []
    for i, word in _words(form):
        keys = _variants(word, form.phonetic[i])
        if form.abjad and word.isalpha():
            keys.add(f"s:{skeleton(word)}")
        if i + 1 < len(form.tokens):
            keys.add(f"d:{word}{form.tokens[i + 1]}")
        keys.discard(f"d:{word}")
        found.append([f"d:{word}", *sorted(keys)])
    return found
