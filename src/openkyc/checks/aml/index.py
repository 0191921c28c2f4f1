"""The in-process screening index: candidates first, then the full score on those only.

Every name word goes into a vocabulary. A query word finds vocabulary words by:
  - equality;
  - phonetic key (metaphone, same first letter);
  - character n-grams of length n-1 (each word with one character deleted, the
    "deletion neighbourhood"): two words within one edit, or two deletions, share one;
  - consonant skeleton, where either word comes from Arabic or Hebrew script;
  - joined neighbours ("abdul rahman" also indexed as "abdulrahman").
Each vocabulary word points at the entities whose names hold it. A multi-word query keeps
the entities found by at least two of its words, and those with a one-word name found by
one; identifiers (passport, registration numbers) find entities directly. Candidates are
ranked by how many query words they share, and the best ones scored with match.score.
"""

from __future__ import annotations

import gc
import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from openkyc.checks.aml.common import PARTICLES, builtin_commonness
from openkyc.checks.aml.entity import Entity
from openkyc.checks.aml.match import THRESHOLD, Match, Query, score_forms
from openkyc.checks.aml.text import NameForm, analyze, skeleton
from openkyc.checks.aml.values import identifier_key

MAX_CANDIDATES = 200  # scored in full, the ones sharing most query words first
MAX_ALIKE = 300  # a phonetic key or consonant skeleton shared by more words says too little
COMMON_SHARE = 0.002  # a word in this share of names counts as fully common


@dataclass(frozen=True)
class Result:
    entity: Entity
    match: Match


def deletions(word: str) -> list[str]:
    if len(word) < 4:
        return []
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def _analyze_plain(name: str, person: bool) -> NameForm:
    return analyze.__wrapped__(name, person)


class ScreeningIndex:
    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self.forms: list[tuple[NameForm, ...]] = []
        self.vocab: dict[str, int] = {}
        self.words: list[str] = []
        self.postings: list[set[int]] = []
        self.by_deletion: dict[str, list[int]] = defaultdict(list)
        self.by_phonetic: dict[str, list[int]] = defaultdict(list)
        self.by_skeleton: dict[str, list[int]] = defaultdict(list)
        self.abjad_words: set[int] = set()
        self.by_identifier: dict[str, set[int]] = defaultdict(set)
        self.solo: set[int] = set()  # entities with a one-word name
        self.name_count = 0
        self._common_df = 1.0
        self._common: dict[str, float] = {}

    def __len__(self) -> int:
        return len(self.entities)

    @classmethod
    def build(
        cls,
        entities: Iterable[Entity],
        progress: Callable[[int], None] | None = None,
    ) -> ScreeningIndex:
        index = cls()
        # Millions of small objects and no cycles among them: the cyclic collector would
        # walk them all again and again (the build runs several times faster without it).
        collecting = gc.isenabled()
        gc.disable()
        try:
            for n, entity in enumerate(entities, 1):
                index.add(entity)
                if progress is not None and n % 1000 == 0:
                    progress(n)
        finally:
            if collecting:
                gc.enable()
        index.finish()
        # Move what exists now out of the collector's sight for good: a full collection
        # walking millions of index objects would stall a screening for a second.
        gc.freeze()
        return index

    def _word_id(self, word: str, phonetic: str, joined: bool = False) -> int:
        found = self.vocab.get(word)
        if found is not None:
            return found
        wid = len(self.words)
        self.vocab[word] = wid
        self.words.append(word)
        self.postings.append(set())
        if joined:
            return wid  # two neighbours joined are only ever found as they are
        for variant in deletions(word):
            self.by_deletion[variant].append(wid)
        if phonetic:
            self.by_phonetic[phonetic].append(wid)
        if word.isalpha():
            self.by_skeleton[skeleton(word)].append(wid)
        return wid

    def add(self, entity: Entity) -> None:
        position = len(self.entities)
        person = entity.is_person
        forms = tuple(_analyze_plain(name, person) for name in entity.names)
        self.entities.append(entity)
        self.forms.append(forms)
        for form in forms:
            self.name_count += 1
            for word, phonetic in zip(form.tokens, form.phonetic, strict=True):
                wid = self._word_id(word, phonetic)
                self.postings[wid].add(position)
                if form.abjad:
                    self.abjad_words.add(wid)
            for a, b in zip(form.tokens, form.tokens[1:], strict=False):
                self.postings[self._word_id(a + b, "", joined=True)].add(position)
            if len(form.tokens) == 1:
                self.solo.add(position)
        for value in entity.identifiers:
            key = identifier_key(value)
            if len(key) >= 5:
                self.by_identifier[key].add(position)

    def finish(self) -> None:
        self._common_df = max(COMMON_SHARE * self.name_count, 20.0)
        self._common.clear()

    def commonness(self, word: str) -> float:
        found = self._common.get(word)
        if found is None:
            wid = self.vocab.get(word)
            share = len(self.postings[wid]) / self._common_df if wid is not None else 0.0
            found = self._common[word] = max(builtin_commonness(word), min(share, 1.0))
        return found

    def _expand(self, word: str, phonetic: str, abjad: bool) -> set[int]:
        """Vocabulary words a query word may be."""
        found: set[int] = set()
        if (wid := self.vocab.get(word)) is not None:
            found.add(wid)
        if len(word) >= 3:
            found.update(self.by_deletion.get(word, ()))
            for variant in deletions(word):
                if (wid := self.vocab.get(variant)) is not None:
                    found.add(wid)
                found.update(self.by_deletion.get(variant, ()))
        alike = self.by_phonetic.get(phonetic, ()) if phonetic else ()
        if len(alike) <= MAX_ALIKE:
            first = word[0]
            found.update(w for w in alike if self.words[w][0] == first)
        consonants = skeleton(word) if word.isalpha() else ""
        same = self.by_skeleton.get(consonants, ()) if consonants else ()
        if len(same) <= MAX_ALIKE:
            found.update(same if abjad else (w for w in same if w in self.abjad_words))
        return found

    def _word_sets(self, form: NameForm) -> list[set[int]]:
        sets: list[set[int]] = []
        tokens = form.tokens
        for i, (word, phonetic) in enumerate(zip(tokens, form.phonetic, strict=True)):
            if word in PARTICLES and len(tokens) > 1:
                continue
            wids = self._expand(word, phonetic, form.abjad)
            if i + 1 < len(tokens) and (wid := self.vocab.get(word + tokens[i + 1])) is not None:
                wids.add(wid)
            if wids:
                sets.append(set().union(*(self.postings[w] for w in wids)))
            else:
                sets.append(set())
        return sets

    def candidates(self, query: Query) -> list[int]:
        counts: Counter[int] = Counter()
        for name in query.names:
            sets = self._word_sets(analyze(name, query.is_person))
            found: set[int] = set()
            for i, first in enumerate(sets):
                found |= first if len(sets) == 1 else first & self.solo
                for second in sets[i + 1 :]:
                    found |= first & second
            for position in found:
                counts[position] = max(counts[position], sum(position in s for s in sets))
        for value in query.identifiers:
            for position in self.by_identifier.get(identifier_key(value), ()):
                counts[position] += 100
        if len(counts) <= MAX_CANDIDATES:
            return list(counts)
        return heapq.nlargest(MAX_CANDIDATES, counts, key=counts.__getitem__)

    def search(self, query: Query, threshold: float = THRESHOLD, limit: int = 20) -> list[Result]:
        results = []
        for position in self.candidates(query):
            entity = self.entities[position]
            forms = self.forms[position]
            match = score_forms(query, entity, forms, self.commonness, explain=False)
            if match.score >= threshold:
                match = score_forms(query, entity, forms, self.commonness)
                results.append(Result(entity, match))
        results.sort(key=lambda r: (-r.match.score, r.entity.id))
        return results[:limit]


def merge(results: Sequence[Sequence[Result]], limit: int = 20) -> list[Result]:
    joined = [r for group in results for r in group]
    joined.sort(key=lambda r: (-r.match.score, r.entity.id))
    return joined[:limit]
