"""List versions: load a parsed file as a new version (only changes are written), list
versions, compare two. Loading happens in the caller's one transaction: a failure leaves
the previous version active, untouched."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update

from openkyc.checks.aml.entity import Entity
from openkyc.checks.aml.lists import APP_KINDS, ParsedList, dataset_of
from openkyc.domain.aml import repository as repo
from openkyc.domain.context import Ctx
from openkyc.errors import Invalid, NotFound
from openkyc.kit.ids import new_numeric_id
from openkyc.models.aml import ListEntity, ListVersion

BATCH = 1000


@dataclass
class LoadResult:
    version: ListVersion
    added: list[Entity] = field(default_factory=list)
    changed: list[Entity] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged_file: bool = False


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    paths = sorted(path.iterdir()) if path.is_dir() else [path]
    for part in paths:
        if part.is_file():
            with part.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
    return digest.hexdigest()


def scope_for(kind: str, app_id: str | None) -> str:
    if kind in APP_KINDS:
        if not app_id:
            raise Invalid(f"a {kind} list belongs to one app: give its app id")
        return app_id
    if app_id:
        raise Invalid(f"a {kind} list is shared by every app: give no app id")
    return ""


def _close(ctx: Ctx, row_ids: list[int], seq: int) -> None:
    for start in range(0, len(row_ids), BATCH):
        chunk = row_ids[start : start + BATCH]
        ctx.db.execute(update(ListEntity).where(ListEntity.id.in_(chunk)).values(until_seq=seq))


def _insert(ctx: Ctx, dataset: str, scope: str, seq: int, entities: list[Entity]) -> None:
    rows: list[dict[str, Any]] = [
        {
            "dataset": dataset,
            "scope": scope,
            "entity_id": e.id,
            "schema": e.schema,
            "fingerprint": e.fingerprint(),
            "data": e.to_dict(),
            "since_seq": seq,
            "until_seq": None,
        }
        for e in entities
    ]
    for start in range(0, len(rows), BATCH):
        ctx.db.execute(insert(ListEntity), rows[start : start + BATCH])


def load(
    ctx: Ctx, parsed: ParsedList, digest: str, app_id: str | None = None, dataset: str = ""
) -> LoadResult:
    """Store `parsed` as the next version of its dataset, writing only what changed."""
    dataset = dataset or dataset_of(parsed.source)
    scope = scope_for(parsed.source, app_id)
    previous = repo.latest(ctx.db, dataset, scope)
    if previous is not None and previous.file_sha256 == digest:
        return LoadResult(previous, unchanged_file=True)
    seq = previous.seq + 1 if previous else 1
    current = {eid: (row_id, fp) for row_id, eid, fp in repo.current_rows(ctx.db, dataset, scope)}
    added: list[Entity] = []
    changed: list[Entity] = []
    closing: list[int] = []
    for entity in parsed.entities:
        entity = replace(entity, details={**entity.details, "dataset": dataset})
        known = current.pop(entity.id, None)
        if known is None:
            added.append(entity)
        elif known[1] != entity.fingerprint():
            changed.append(entity)
            closing.append(known[0])
    removed = sorted(current)
    closing += [row_id for row_id, _ in current.values()]
    _close(ctx, closing, seq)
    _insert(ctx, dataset, scope, seq, added + changed)
    version = ListVersion(
        id=new_numeric_id(12),
        dataset=dataset,
        scope=scope,
        seq=seq,
        source=parsed.source,
        published=parsed.published,
        file_sha256=digest,
        entity_count=len(parsed.entities),
        added=len(added),
        changed=len(changed),
        removed=len(removed),
        loaded_at=ctx.now,
    )
    ctx.db.add(version)
    ctx.db.flush()
    return LoadResult(version, added, changed, removed)


def describe(row: ListVersion) -> dict[str, Any]:
    return {
        "id": row.id,
        "dataset": row.dataset,
        "app_id": row.scope or None,
        "version": row.seq,
        "source": row.source,
        "published": row.published,
        "entities": row.entity_count,
        "added": row.added,
        "changed": row.changed,
        "removed": row.removed,
        "loaded_at": row.loaded_at.isoformat(),
    }


def diff(ctx: Ctx, first_id: str, second_id: str) -> dict[str, Any]:
    """Entities added, changed and removed from one version of a list to another."""
    first, second = repo.version(ctx.db, first_id), repo.version(ctx.db, second_id)
    if first is None or second is None:
        raise NotFound(f"list version {first_id if first is None else second_id} not found")
    if (first.dataset, first.scope) != (second.dataset, second.scope):
        raise Invalid("both versions must be of the same list")
    old = {r.entity_id: r for r in repo.entities_at(ctx.db, first.dataset, first.scope, first.seq)}
    new = {
        r.entity_id: r for r in repo.entities_at(ctx.db, second.dataset, second.scope, second.seq)
    }

    def caption(row: ListEntity) -> dict[str, str]:
        names = row.data.get("names") or [row.entity_id]
        return {"id": row.entity_id, "schema": row.schema, "name": str(names[0])}

    return {
        "from": describe(first),
        "to": describe(second),
        "added": [caption(new[k]) for k in sorted(new.keys() - old.keys())],
        "changed": [
            caption(new[k])
            for k in sorted(new.keys() & old.keys())
            if new[k].fingerprint != old[k].fingerprint
        ],
        "removed": [caption(old[k]) for k in sorted(old.keys() - new.keys())],
    }
