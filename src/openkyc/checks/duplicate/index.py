"""The in-process vector index (usearch HNSW, cosine), one per app.

It holds no truth: the database rows do. A process fills an app's index from the rows on
first use and catches up incrementally before each search (rows with a key above the last
one it holds), so workers on several machines each hold a current copy. Keys that point
to deleted rows are dropped when a search meets them.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from numpy.typing import NDArray
from usearch.index import Index

from openkyc.checks.face.embed import DIMENSIONS

# HNSW parameters, measured in benchmarks/RESULTS-face.md. At 1M faces a search as wide
# as 128 or 256 missed 2-8 % of planted near-duplicates outright (the graph walk never
# reached them); 512 found all of them. A missed duplicate is worse than a slower query.
# Vectors are held as 8-bit integers: half the memory of f32 and a faster walk, so the
# wider search still answers in about 4 ms at 1M; the caller scores the candidates again
# on the stored float32 embeddings (checks/duplicate/lookup.py), so no threshold is
# applied to an 8-bit cosine.
CONNECTIVITY = 16
EXPANSION_ADD = 128
EXPANSION_SEARCH = 512
DTYPE = "i8"


class UsearchFaceIndex:
    def __init__(self, dtype: str = DTYPE) -> None:
        self._dtype = dtype
        self._lock = threading.Lock()
        self._indexes: dict[str, Any] = {}
        self._last: dict[str, int] = {}

    def _index(self, app_id: str) -> Any:
        index = self._indexes.get(app_id)
        if index is None:
            index = Index(
                ndim=DIMENSIONS,
                metric="cos",
                dtype=self._dtype,
                connectivity=CONNECTIVITY,
                expansion_add=EXPANSION_ADD,
                expansion_search=EXPANSION_SEARCH,
            )
            self._indexes[app_id] = index
        return index

    def last_key(self, app_id: str) -> int:
        with self._lock:
            return self._last.get(app_id, 0)

    def size(self, app_id: str) -> int:
        with self._lock:
            index = self._indexes.get(app_id)
            return len(index) if index is not None else 0

    def add(self, app_id: str, keys: NDArray[np.uint64], vectors: NDArray[np.float32]) -> None:
        if len(keys) == 0:
            return
        with self._lock:
            index = self._index(app_id)
            fresh = np.array([k for k in keys if not index.contains(int(k))], dtype=np.uint64)
            if len(fresh):
                mask = np.isin(keys, fresh)
                index.add(fresh, np.ascontiguousarray(vectors[mask], dtype=np.float32))
            self._last[app_id] = max(self._last.get(app_id, 0), int(keys.max()))

    def remove(self, app_id: str, keys: list[int]) -> None:
        with self._lock:
            index = self._indexes.get(app_id)
            for key in keys:
                if index is not None and index.contains(key):
                    index.remove(key)

    def search(
        self, app_id: str, vector: NDArray[np.float32], count: int
    ) -> list[tuple[int, float]]:
        """(key, approximate cosine similarity), best first; an app's index never sees
        another's."""
        with self._lock:
            index = self._indexes.get(app_id)
            if index is None or len(index) == 0:
                return []
            found = index.search(np.ascontiguousarray(vector, dtype=np.float32), count)
        return [(int(k), 1.0 - float(d)) for k, d in zip(found.keys, found.distances, strict=True)]
