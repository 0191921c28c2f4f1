"""OCR-confusion repairs, chosen by what each MRZ position may hold.

OCR reads an MRZ as free text: it mistakes O for 0, I for 1, B for 8, a filler for a K, and
loses or adds fillers in long runs. The layout says which characters a position allows, so a
letter in a date becomes its digit look-alike and the reverse; positions that allow both (a
document number) are settled by their check digit. Every change is recorded.
"""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass

from openkyc.checks.document.mrz import checkdigit
from openkyc.checks.document.mrz.layouts import CheckSpec, Kind, Layout

TO_DIGIT = {
    "O": "0",
    "Q": "0",
    "D": "0",
    "U": "0",
    "C": "0",
    "I": "1",
    "L": "1",
    "J": "1",
    "T": "7",
    "Z": "2",
    "S": "5",
    "G": "6",
    "B": "8",
    "A": "4",
    "E": "3",
}
TO_LETTER = {"0": "O", "1": "I", "2": "Z", "4": "A", "5": "S", "6": "G", "7": "T", "8": "B"}
TO_SEX = {"H": "M", "N": "M", "W": "M", "E": "F", "P": "F", "R": "F", "K": "<", "0": "<"}
# Pairs that both fit an alphanumeric position: the check digit decides.
AMBIGUOUS = {"O": "0", "0": "O", "I": "1", "1": "I", "Z": "2", "2": "Z", "S": "5", "5": "S"}
AMBIGUOUS |= {"B": "8", "8": "B", "G": "6", "6": "G", "D": "0", "Q": "0"}
# Characters OCR gives for a filler.
FILLER_LOOKALIKES = set("K<")
# What a multilingual recogniser returns for MRZ characters: guillemets and the kana
# "ku" for fillers, Greek and Cyrillic capitals for the Latin ones they look like.
UNICODE = {
    "\u00ab": "<<",
    "\u00bb": "<<",
    "\u2039": "<",
    "\u203a": "<",
    "\u3008": "<",
    "\u304f": "<",
    "\u30af": "<",
    "(": "<",
    "{": "<",
    "[": "<",
}
_LATIN = "ABEZHIKMNOPTYXABCEHIKMOPTXY"
_LOOKALIKES = (
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7"
    "\u0410\u0412\u0421\u0415\u041d\u0406\u041a\u041c\u041e\u0420\u0422\u0425\u0423"
)
UNICODE.update(zip(_LOOKALIKES, _LATIN, strict=True))
ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
MAX_AMBIGUOUS = 8


@dataclass(frozen=True)
class Change:
    line: int
    position: int
    before: str
    after: str


def normalise(text: str) -> str:
    """Upper case, no spaces, look-alike symbols mapped to fillers, anything else dropped."""
    out = []
    for ch in unicodedata.normalize("NFKC", text).upper():
        ch = UNICODE.get(ch, ch)
        out.append("".join(c for c in ch if c in ALPHABET))
    return "".join(out)


def fit(line: str, length: int) -> str:
    """Bring a line to its length by growing or shrinking its longest filler run.

    OCR most often loses or adds a filler inside a long run; the check digits then say
    whether the guess was right.
    """
    delta = length - len(line)
    if delta == 0:
        return line
    runs = [(m_end - m_start, m_start, m_end) for m_start, m_end in _filler_runs(line)]
    if runs:
        size, start, end = max(runs, key=lambda r: (r[0], r[1]))
        if delta > 0 or size > -delta:
            return line[:start] + "<" * (size + delta) + line[end:]
    return (line + "<" * delta)[:length] if delta > 0 else line[:length]


def _filler_runs(line: str) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, ch in enumerate(line + "#"):
        if ch == "<" and start is None:
            start = i
        elif ch != "<" and start is not None:
            runs.append((start, i))
            start = None
    return runs


def by_kind(lines: list[str], layout: Layout) -> tuple[list[str], list[Change]]:
    """Replace characters that cannot stand where they are by their look-alike."""
    kinds = layout.kinds()
    fixed, changes = [], []
    for n, line in enumerate(lines):
        chars = list(line)
        for i, ch in enumerate(chars):
            new = _replacement(kinds[n][i], ch)
            if new != ch:
                changes.append(Change(n, i, ch, new))
                chars[i] = new
        fixed.append("".join(chars))
    names = [f for f in layout.fields if f.kind is Kind.NAME]
    for field in names:
        fixed, more = _trailing_fillers(fixed, field.line, field.start, field.end)
        changes.extend(more)
    return fixed, changes


def _replacement(kind: Kind, ch: str) -> str:
    if kind in (Kind.DIGITS, Kind.CHECK):
        return TO_DIGIT.get(ch, ch)
    if kind in (Kind.ALPHA, Kind.NAME):
        return TO_LETTER.get(ch, ch)
    if kind is Kind.SEX:
        return TO_SEX.get(ch, ch)
    return ch


def _trailing_fillers(
    lines: list[str], line: int, start: int, end: int
) -> tuple[list[str], list[Change]]:
    """A name field ends in fillers; a K among them is a misread filler.

    Only the tail is touched, and only where fillers dominate it, so names with a K stay.
    """
    text = lines[line]
    i = end
    while i > start and text[i - 1] in FILLER_LOOKALIKES:
        i -= 1
    tail = text[i:end]
    if not tail or tail.count("<") < max(2, len(tail) // 2) or "K" not in tail:
        return lines, []
    # "...ERIK<<<": a K right after a letter may end the name; it stays.
    i_first = i + 1 if i > start and tail[0] == "K" else i
    changes = [Change(line, j, text[j], "<") for j in range(i_first, end) if text[j] == "K"]
    new = text[:i_first] + "<" * (end - i_first) + text[end:]
    return [*lines[:line], new, *lines[line + 1 :]], changes


def by_check_digits(lines: list[str], layout: Layout) -> tuple[list[str], list[Change]]:
    """Settle alphanumeric positions by the check digits.

    A failing field check tries the look-alike swaps of its field; a swap must also satisfy
    the composite digit when there is one, since one mod-10 digit alone is met by chance
    one time in ten. Then a failing composite tries the swaps of everything it covers,
    keeping every field check satisfied.
    """
    kinds = layout.kinds()
    composite = [c for c in layout.checks if c.name == "composite"]
    changes: list[Change] = []
    for spec in layout.checks:
        if spec in composite or passes(lines, spec):
            continue
        lines, more = _solve(lines, spec.spans, [spec, *composite], kinds)
        if not more and composite:
            lines, more = _solve(lines, spec.spans, [spec], kinds)
        changes.extend(more)
    for spec in composite:
        if not passes(lines, spec):
            lines, more = _solve(lines, spec.spans, list(layout.checks), kinds)
            changes.extend(more)
    return lines, changes


def passes(lines: list[str], spec: CheckSpec) -> bool:
    digit = lines[spec.at[0]][spec.at[1]]
    data = "".join(lines[n][a:b] for n, a, b in spec.spans)
    if spec.filler_ok and digit == "<" and set(data) <= {"<"}:
        return True
    return checkdigit.valid(data, digit)


def _solve(
    lines: list[str],
    spans: tuple[tuple[int, int, int], ...],
    must_pass: list[CheckSpec],
    kinds: list[list[Kind]],
) -> tuple[list[str], list[Change]]:
    spots = [
        (n, i)
        for n, a, b in spans
        for i in range(a, b)
        if kinds[n][i] is Kind.ALNUM and lines[n][i] in AMBIGUOUS
    ][:MAX_AMBIGUOUS]
    # Fewest swaps first; among equals, the reading with more digits (document numbers
    # are mostly digits), since B/8 or O/0 swaps can satisfy the same check digit.
    for count in range(1, min(len(spots), 4) + 1):
        valid = []
        for chosen in itertools.combinations(spots, count):
            trial = [list(line) for line in lines]
            for n, i in chosen:
                trial[n][i] = AMBIGUOUS[trial[n][i]]
            joined = ["".join(t) for t in trial]
            if all(passes(joined, spec) for spec in must_pass):
                valid.append((sum(trial[n][i].isdigit() for n, i in chosen), chosen, joined))
        if valid:
            _, chosen, joined = max(valid, key=lambda v: v[0])
            return joined, [Change(n, i, lines[n][i], joined[n][i]) for n, i in chosen]
    return lines, []
