"""The screening index of each list scope, kept per process as a cache of the rows.

Rebuilt when a newer list version appears (checked with one small query per screening),
so every process (server, workers) sees a loaded list without being told.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

from sqlalchemy.orm import Session as DB

from openkyc.checks.aml.entity import Entity
from openkyc.checks.aml.index import ScreeningIndex
from openkyc.domain.aml import repository as repo

log = logging.getLogger(__name__)

KEEP = 8  # scopes (the global lists, and apps' blocklists) kept in memory
_lock = threading.Lock()
_cache: OrderedDict[tuple[str, str], tuple[tuple[str, ...], ScreeningIndex]] = OrderedDict()


def index_for(db: DB, scope: str) -> ScreeningIndex:
    key = (db.get_bind().engine.url.render_as_string(hide_password=True), scope)
    signature = repo.active_signature(db, [scope])
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == signature:
            _cache.move_to_end(key)
            return cached[1]
        entities = (Entity.from_dict(row.data) for row in repo.current_entities(db, [scope]))
        index = ScreeningIndex.build(entities)
        _cache[key] = (signature, index)
        while len(_cache) > KEEP:
            _cache.popitem(last=False)
        log.info("AML index of scope %r built: %d entities", scope or "global", len(index))
        return index
