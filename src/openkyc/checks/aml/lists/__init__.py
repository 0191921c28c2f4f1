"""List parsers, one module per format, chosen by the `--source` kind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from openkyc.checks.aml.lists import blocklist, eu, ftm, ofac_csv, ofac_xml, uk, un
from openkyc.checks.aml.lists.base import ListFormatError, ParsedList, Progress

StreamParser = Callable[[BinaryIO, str, Progress | None], ParsedList]
PathParser = Callable[[Path, str, Progress | None], ParsedList]

# kind -> (dataset name shared by its versions, parser, reads a stream or a path)
STREAMS: dict[str, tuple[str, StreamParser]] = {
    "ofac_sdn": ("us_ofac_sdn", ofac_xml.parse),
    "ofac_cons": ("us_ofac_cons", ofac_xml.parse),
    "un": ("un_sc_sanctions", un.parse),
    "eu": ("eu_fsf", eu.parse),
    "uk": ("gb_fcdo_sanctions", uk.parse_xml),
    "ftm": ("ftm", ftm.parse),
}
PATHS: dict[str, tuple[str, PathParser]] = {
    "ofac_sdn_csv": ("us_ofac_sdn", ofac_csv.parse),
    "ofac_cons_csv": ("us_ofac_cons", ofac_csv.parse),
    "uk_csv": ("gb_fcdo_sanctions", uk.parse_csv),
    "blocklist": ("blocklist", blocklist.parse),
}
KINDS = tuple(sorted([*STREAMS, *PATHS]))
# Per-app lists: a hit on them is the app's own business, never another app's.
APP_KINDS = ("blocklist",)


def dataset_of(kind: str) -> str:
    if kind in STREAMS:
        return STREAMS[kind][0]
    if kind in PATHS:
        return PATHS[kind][0]
    raise ListFormatError(f"unknown list kind {kind!r}; known: {', '.join(KINDS)}")


def parse_file(path: Path, kind: str, progress: Progress | None = None) -> ParsedList:
    """Parse a whole list file (or OFAC's CSV trio) into entities, or raise ListFormatError."""
    dataset_of(kind)
    if kind in PATHS:
        return PATHS[kind][1](path, kind, progress)
    if not path.is_file():
        raise ListFormatError(f"{path} is not a file")
    with path.open("rb") as source:
        parsed = STREAMS[kind][1](source, kind, progress)
    ids = [e.id for e in parsed.entities]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise ListFormatError(f"entity id {duplicate!r} appears twice")
    return parsed


__all__ = ["APP_KINDS", "KINDS", "ListFormatError", "ParsedList", "dataset_of", "parse_file"]
