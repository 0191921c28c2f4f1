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

import normality
from rigour._core import person_name_prefixes_list
from rigour.names import remove_org_types, replace_org_types_compare, tokenize_name
from rigour.text import metaphone
from rigour.text.translit import maybe_ascii, should_ascii

from openkyc.checks.aml.common import ORG_SYNONYMS

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


@lru_cache(maxsize=500_000)
def skeleton(token: str) -> str:
    """Consonants only: محمد gives "mhmd" and Mohammed "mhmmd", both "mmd" -> "md"."""
    return _REPEATS.sub(r"\1", _VOWELS.sub("", token))


@lru_cache(maxsize=500_000)
def phonetic_key(token: str) -> str:
    if len(token) < 3 or not token.isalpha():
        return ""
    return metaphone(token)


# Letters are transliterated one by one, each once per process, by rigour (admitted
# scripts) or normality (the others): rigour costs a fraction of a millisecond for every
# new word, too slow for names never seen before. Greek digraphs and kana keep their
# context: the former by pairs, the latter by whole words.
GREEK_DIGRAPHS = frozenset(["αυ", "ευ", "ηυ", "ου"])  # noqa: RUF001
_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]")
_letters: dict[str, str] = {}


def _letter(text: str) -> str:
    found = _letters.get(text)
    if found is None:
        found = maybe_ascii(text)
        if not found.isascii():
            found = normality.ascii_text(found) or ""
        found = _letters[text] = found if found.isascii() else ""
    return found


def latinize(word: str) -> str:
    """ASCII for a word in any script (kana aside), letter by letter."""
    if word.isascii():
        return word
    out = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2].lower()
        if pair in GREEK_DIGRAPHS:
            out.append(_letter(pair))
            i += 2
        else:
            out.append(_letter(word[i]))
            i += 1
    return "".join(out)


def _cjk_tokens(token: str) -> list[str] | None:
    """Family syllable, then the given name joined, for a Chinese or Korean name."""
    if not 2 <= len(token) <= 4:
        return None
    if _HAN.match(token):
        syllables = [_letter(ch).lower() for ch in token]
    elif _HANGUL.match(token):
        syllables = [_letter(ch).lower() for ch in token]
        # Given names as passports spell them: 정은 -> jongun rather than jeongeun
        syllables = [syllables[0]] + [
            s.replace("eo", "o").replace("eu", "u") for s in syllables[1:]
        ]
        syllables[0] = KOREAN_FAMILY.get(syllables[0], syllables[0])
    else:
        return None
    if not all(syllables):
        return None
    return [syllables[0], "".join(syllables[1:])]


@lru_cache(maxsize=500_000)
def _ascii_tokens(token: str, alone: bool) -> tuple[tuple[str, ...], bool]:
    """ASCII words for one raw token, and whether a non-admitted script was involved.
    `alone`: the token is the whole name (a Chinese or Korean name written in one piece)."""
    cjk = _cjk_tokens(token) if alone else None
    if cjk is not None:
        return tuple(sys.intern(w) for w in cjk), True
    if _KANA.search(token):
        text, foreign = normality.ascii_text(token), True
    else:
        text, foreign = latinize(token), not should_ascii(token)
    words = tuple(sys.intern(PARTICLE_FORMS.get(w, w)) for w in _NOT_WORD.split(text.lower()) if w)
    return words, foreign


def _title_words() -> tuple[frozenset[str], frozenset[tuple[str, ...]]]:
    """rigour's person name prefixes (Mr, Dr, Sheikh, General...), as our words."""
    single, several = set(), set()
    for prefix in person_name_prefixes_list():
        words = tuple(w for w in _NOT_WORD.split(latinize(prefix).lower()) if w)
        if len(words) == 1:
            single.add(words[0])
        elif words:
            several.add(words)
    return frozenset(single), frozenset(several)


TITLES, LONG_TITLES = _title_words()


def drop_titles(tokens: list[str]) -> list[str]:
    """Leading titles, as long as a name is left ("Dr" alone stays a name)."""
    while len(tokens) > 1:
        for size in (3, 2):
            if tuple(tokens[:size]) in LONG_TITLES and len(tokens) > size:
                tokens = tokens[size:]
                break
        else:
            if tokens[0] not in TITLES:
                return tokens
            tokens = tokens[1:]
    return tokens


def split_legal(text: str) -> tuple[str, tuple[str, ...]]:
    """An organisation name without its legal forms, and those forms' compare keys."""
    core = remove_org_types(text, replacement=" ")
    if core.split() == text.split():
        return text, ()
    kept = {w.lower() for w in core.split()}
    compared = replace_org_types_compare(text).lower().split()
    found = tuple(sorted({w for w in compared if w not in kept}))
    return (core if core.strip() else text), found


@lru_cache(maxsize=200_000)
def analyze(name: str, person: bool = True) -> NameForm:
    text = name if name.isascii() else unicodedata.normalize("NFC", name)
    legal: tuple[str, ...] = ()
    if not person:
        text, legal = split_legal(text)
    tokens: list[str] = []
    transliterated = False
    raws = tokenize_name(text)
    for raw in raws:
        words, foreign = _ascii_tokens(raw, len(raws) == 1)
        transliterated = transliterated or foreign
        tokens.extend(words)
    tokens = drop_titles(tokens) if person else [ORG_SYNONYMS.get(t, t) for t in tokens]
    return NameForm(
        original=name,
        tokens=tuple(tokens),
        phonetic=tuple(phonetic_key(t) for t in tokens),
        legal=legal,
        transliterated=transliterated,
        abjad=bool(_ABJAD.search(text)),
    )
