"""Adverse media: where news about a screened person would come from.

openkyc ships no source (news search needs a licensed provider); an operator can plug
one in by implementing this protocol. Without one, every hit's `media` stays empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class MediaItem:
    date: str
    snippet: str
    title: str
    url: str


class MediaSource(Protocol):
    def search(self, full_name: str, birth_date: str | None) -> list[MediaItem]: ...
