"""Name similarity: token alignment across word order, typos, initials, phonetics, scripts.

Each word of one name is paired with at most one word of the other, best pairs first.
A pair scores 1 when equal, its normalised Levenshtein similarity when close enough,
0.88 when both sound alike (metaphone), 0.8 for an initial, 0.85 when one was written
in Arabic or Hebrew script and both have the same consonants. Words joined in one
name and split in the other ("abdulrahman" / "abdul rahman") pair as one.

The score is the weighted share of paired words. Weights fall for common words
("mohammed", "smith") and particles ("bin", "van"); words left unpaired on the shorter
name cost far more than extra words of the longer name (a list often has the full name
where an applicant gives two of them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import OSA, Levenshtein

from openkyc.checks.aml.common import ORG_GENERIC, PARTICLES
from openkyc.checks.aml.text import NameForm, skeleton

LIGHT = PARTICLES | ORG_GENERIC

INITIAL = 0.8
PHONETIC = 0.88
SKELETON = 0.85
SKELETON_SHORT = 0.6
JOINED = 0.95
MIN_FUZZY = 0.7  # below this two words are different words
MISSING_COST = 1.0  # unpaired words of the shorter name
EXTRA_COST = 0.1  # unpaired words of the longer name
EVEN_COST = 0.75  # unpaired words when both names have as many words
COMMON_CEILING = 0.12  # the most a name of only common words loses

Commonness = Callable[[str], float]


@dataclass(frozen=True)
class NameScore:
    score: float
    pairs: tuple[tuple[str, str, float], ...]
    commonness: float  # 0..1: how common the paired words are

    def describe(self) -> str:
        paired = ", ".join(f"{a}~{b} {s:.2f}" for a, b, s in sorted(self.pairs)) or "nothing paired"
        return f"{paired}; common words {self.commonness:.2f}"


def word_similarity(a: str, b: str, pa: str, pb: str) -> float:
    if a == b:
        return 1.0
    if not (a.isalpha() and b.isalpha()):
        return 0.0  # numbers in names must agree ("Sberbank 2" is not "Sberbank 3")
    if len(a) == 1 or len(b) == 1:
        return INITIAL if a[0] == b[0] else 0.0
    cutoff = 0.75 if max(len(a), len(b)) <= 4 else MIN_FUZZY
    # Optimal string alignment: two letters swapped count as one typo, not two
    sim = OSA.normalized_similarity(a, b, score_cutoff=cutoff)
    if pa and pa == pb and a[0] == b[0]:
        sim = max(sim, PHONETIC)
    return sim


def weight(word: str, commonness: Commonness) -> float:
    if word in LIGHT:
        return 0.3
    if len(word) == 1:
        return 0.5
    return 1.0 - 0.5 * commonness(word)


def abjad_similarity(a: str, b: str) -> float:
    """Words of which one was written without short vowels: compare their consonants."""
    sa, sb = skeleton(a), skeleton(b)
    if not sa or not sb or len(a) < 2 or len(b) < 2:
        return 0.0
    if sa == sb:
        # One consonant in common says little ("ali" and علی, but also "ada" and "wd")
        return SKELETON if len(sa) >= 2 else SKELETON_SHORT
    close = Levenshtein.normalized_similarity(sa, sb, score_cutoff=0.75)
    return close * SKELETON if len(sa) >= 3 and len(sb) >= 3 else 0.0


def _pair_words(q: NameForm, c: NameForm) -> dict[tuple[int, int], float]:
    scored = []
    # Consonant skeletons pair an Arabic or Hebrew script name with a Latin (or Cyrillic,
    # Greek) one; two names both transliterated from other scripts pair only equal words:
    # their different letters (青木 and 鈴木) are different names, not typos.
    abjad = q.abjad != c.abjad and not (c.transliterated if q.abjad else q.transliterated)
    exact = q.transliterated and c.transliterated
    for i, (a, pa) in enumerate(zip(q.tokens, q.phonetic, strict=True)):
        for j, (b, pb) in enumerate(zip(c.tokens, c.phonetic, strict=True)):
            sim = (1.0 if a == b else 0.0) if exact else word_similarity(a, b, pa, pb)
            if abjad and sim < SKELETON:
                sim = max(sim, abjad_similarity(a, b))
            if sim > 0:
                scored.append((sim, i, j))
    scored.sort(reverse=True)
    pairs: dict[tuple[int, int], float] = {}
    used_q: set[int] = set()
    used_c: set[int] = set()
    for sim, i, j in scored:
        if i not in used_q and j not in used_c:
            pairs[(i, j)] = sim
            used_q.add(i)
            used_c.add(j)
    return pairs


def _join_words(
    short: tuple[str, ...], long: tuple[str, ...], free_s: list[int], free_l: list[int]
) -> list[tuple[int, tuple[int, int], float]]:
    """Unpaired words of `short` equal to two adjacent unpaired words of `long` joined."""
    found = []
    taken: set[int] = set()
    for i in free_s:
        for j in free_l:
            k = j + 1
            if k not in free_l or j in taken or k in taken:
                continue
            joined = long[j] + long[k]
            sim = Levenshtein.normalized_similarity(short[i], joined)
            if sim >= 0.75:
                found.append((i, (j, k), sim))
                taken.update((j, k))
                break
    return found


def compare_names(
    q: NameForm,
    c: NameForm,
    commonness: Commonness,
    person: bool = True,
    family: frozenset[str] = frozenset(),
) -> NameScore:
    if not q.tokens or not c.tokens:
        return NameScore(0.0, (), 0.0)
    pairs = _pair_words(q, c)
    wq = [weight(t, commonness) * (1.5 if t in family else 1.0) for t in q.tokens]
    wc = [weight(t, commonness) for t in c.tokens]
    shown = []
    got = full = common = common_w = 0.0
    free_q, free_c = list(range(len(q.tokens))), list(range(len(c.tokens)))
    for (i, j), sim in pairs.items():
        both = (wq[i] + wc[j]) / 2
        got += sim * both
        full += both
        common += commonness(q.tokens[i]) * wq[i]
        common_w += wq[i]
        free_q.remove(i)
        free_c.remove(j)
        shown.append((q.tokens[i], c.tokens[j], sim))
    for one, other, free_one, free_other, w, flip in (
        (q.tokens, c.tokens, free_q, free_c, wq, False),
        (c.tokens, q.tokens, free_c, free_q, wc, True),
    ):
        if not free_one or len(free_other) < 2:
            continue
        for i, (j, k), sim in _join_words(one, other, free_one, free_other):
            got, full = got + JOINED * sim * w[i], full + w[i]
            free_one.remove(i)
            free_other.remove(j)
            free_other.remove(k)
            pair = (one[i], other[j] + " " + other[k])
            shown.append((pair[1], pair[0], JOINED * sim) if flip else (*pair, JOINED * sim))
    if full <= 0:
        return NameScore(0.0, tuple(shown), 0.0)
    cost_q, cost_c = _costs(len(q.tokens), len(c.tokens), person)
    penalty = cost_q * sum(wq[i] for i in free_q) + cost_c * sum(wc[j] for j in free_c)
    share = common / common_w if common_w else 0.0
    score = got / (full + penalty) * (1.0 - COMMON_CEILING * share)
    return NameScore(score, tuple(shown), share)


def _costs(n_q: int, n_c: int, person: bool) -> tuple[float, float]:
    if n_q == n_c:
        # Two company names as long as each other differing in a word name two companies
        # ("Müller Bau GmbH", "Müller Logistik GmbH"); people's names vary more in spelling.
        cost = EVEN_COST if person else 1.0
        return cost, cost
    return (MISSING_COST, EXTRA_COST) if n_q < n_c else (EXTRA_COST, MISSING_COST)
