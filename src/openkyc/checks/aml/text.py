"""Names into comparable tokens: prefixes and legal forms set aside, any script to ASCII.

Latin, Cyrillic, Greek, Armenian, Georgian and Hangul go through rigour's own
transliteration; other scripts (Arabic, Hebrew, Han, kana, Devanagari...) through
normality (ICU). Chinese and Korean names get their usual romanised shape: the family
name, then the given name as one word (习近平 -> xi jinping, 김정은 -> kim jeongeun).
Arabic, Persian and Hebrew write few vowels, so their words are also compared by
consonant skeleton (علی -> "ly" -> "l", as Ali -> "l").
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import normality
from rigour.names import (
    extract_org_types,
    remove_org_types,
    remove_person_prefixes,
    tokenize_name,
)
from rigour.text import metaphone
from rigour.text.translit import maybe_ascii

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_HAN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
_HANGUL = re.compile(r"^[\uac00-\ud7a3]+$")
# Scripts that mostly leave short vowels unwritten (Arabic, Persian, Urdu, Hebrew, Syriac)
_ABJAD = re.compile(r"[\u0590-\u077f\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_VOWELS = re.compile(r"[aeiouyhw]+")
_REPEATS = re.compile(r"(.)\1+")
# Revised Romanization (what transliteration gives) -> the spelling Korean family names
# take in passports and lists.
# One spelling for particles written several ways ("son of": bin, ibn, ben).
PARTICLE_FORMS = {"ibn": "bin", "ben": "bin", "el": "al"}
KOREAN_FAMILY = {
    "gim": "kim",
    "i": "lee",
    "ri": "lee",
    "bak": "park",
    "choe": "choi",
    "jeong": "jung",
    "gang": "kang",
    "jo": "cho",
    "yun": "yoon",
    "im": "lim",
    "o": "oh",
    "seo": "suh",
    "sin": "shin",
    "gwon": "kwon",
    "an": "ahn",
    "yu": "yoo",
    "go": "ko",
    "mun": "moon",
    "gwak": "kwak",
    "seong": "sung",
    "gu": "koo",
    "eom": "um",
    "cheon": "chun",
    "hyeon": "hyun",
    "no": "roh",
}


@dataclass(frozen=True, slots=True)
class NameForm:
    original: str
    tokens: tuple[str, ...]
    phonetic: tuple[str, ...]  # metaphone per token, "" where it says nothing
    legal: tuple[str, ...]  # legal forms of an organisation (compare forms: "ag", "ltd")
    transliterated: bool  # some part came from a script rigour does not admit
    abjad: bool  # written in a script without short vowels: compare consonant skeletons

    def to_json(self) -> list[Any]:
        return [
            self.original,
            list(self.tokens),
            list(self.phonetic),
            list(self.legal),
            self.transliterated,
            self.abjad,
        ]

    @classmethod
    def from_json(cls, data: list[Any]) -> NameForm:
        original, tokens, phonetic, legal, transliterated, abjad = data
        return cls(
            str(original),
            tuple(sys.intern(t) for t in tokens),
            tuple(phonetic),
            tuple(legal),
            bool(transliterated),
            bool(abjad),
        )


@lru_cache(maxsize=500_000)
def skeleton(token: str) -> str:
    """Consonants only: محمد gives "mhmd" and Mohammed "mhmmd", both "mmd" -> "md"."""
    return _REPEATS.sub(r"\1", _VOWELS.sub("", token))


@lru_cache(maxsize=500_000)
def phonetic_key(token: str) -> str:
    if len(token) < 3 or not token.isalpha():
        return ""
    return metaphone(token)


def _cjk_tokens(token: str) -> list[str] | None:
    """Family syllable, then the given name joined, for a Chinese or Korean name."""
    if _HAN.match(token) and 2 <= len(token) <= 4:
        syllables = normality.ascii_text(token).lower().split()
    elif _HANGUL.match(token) and 2 <= len(token) <= 4:
        syllables = [maybe_ascii(ch).lower() for ch in token]
        # Given names as passports spell them: 정은 -> jongun rather than jeongeun
        syllables = [syllables[0]] + [
            s.replace("eo", "o").replace("eu", "u") for s in syllables[1:]
        ]
        syllables[0] = KOREAN_FAMILY.get(syllables[0], syllables[0])
    else:
        return None
    if len(syllables) != len(token):
        return None
    return [syllables[0], "".join(syllables[1:])]


@lru_cache(maxsize=500_000)
def _ascii_tokens(token: str, alone: bool) -> tuple[tuple[str, ...], bool]:
    """ASCII words for one raw token, and whether a non-admitted script was involved.
    `alone`: the token is the whole name (a Chinese or Korean name written in one piece)."""
    cjk = _cjk_tokens(token) if alone else None
    if cjk is not None:
        return tuple(sys.intern(w) for w in cjk), True
    if _HAN.match(token):
        return (sys.intern("".join(normality.ascii_text(token).lower().split())),), True
    text = maybe_ascii(token)
    foreign = not text.isascii()
    if foreign:
        text = normality.ascii_text(text)
    words = tuple(sys.intern(PARTICLE_FORMS.get(w, w)) for w in _NOT_WORD.split(text.lower()) if w)
    return words, foreign


def split_legal(text: str) -> tuple[str, tuple[str, ...]]:
    """An organisation name without its legal forms, and those forms' compare keys."""
    found = tuple(sorted({key for _, key in extract_org_types(text)}))
    if not found:
        return text, ()
    core = remove_org_types(text, replacement=" ")
    return (core if core.strip() else text), found


@lru_cache(maxsize=200_000)
def analyze(name: str, person: bool = True) -> NameForm:
    text = unicodedata.normalize("NFC", name)
    legal: tuple[str, ...] = ()
    if person:
        text = remove_person_prefixes(text) or text
    else:
        text, legal = split_legal(text)
    tokens: list[str] = []
    transliterated = False
    raws = tokenize_name(text)
    for raw in raws:
        words, foreign = _ascii_tokens(raw, len(raws) == 1)
        transliterated = transliterated or foreign
        tokens.extend(words)
    return NameForm(
        original=name,
        tokens=tuple(tokens),
        phonetic=tuple(phonetic_key(t) for t in tokens),
        legal=legal,
        transliterated=transliterated,
        abjad=bool(_ABJAD.search(text)),
    )
