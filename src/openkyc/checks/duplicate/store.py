"""SQL for the duplicate tables. Every query is scoped to one app."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DB

from openkyc.models import FaceEmbedding, IdentifierHash

BATCH = 5000


def embeddings_after(
    db: DB, app_id: str, last_key: int, limit: int = BATCH
) -> Sequence[FaceEmbedding]:
    return db.scalars(
        select(FaceEmbedding)
        .where(FaceEmbedding.app_id == app_id, FaceEmbedding.id > last_key)
        .order_by(FaceEmbedding.id)
        .limit(limit)
    ).all()


def embeddings_by_keys(db: DB, app_id: str, keys: list[int]) -> Sequence[FaceEmbedding]:
    if not keys:
        return []
    return db.scalars(
        select(FaceEmbedding).where(FaceEmbedding.app_id == app_id, FaceEmbedding.id.in_(keys))
    ).all()


def replace_embedding(
    db: DB, app_id: str, session_id: str, step_id: str, sealed: bytes, model: str, now: datetime
) -> FaceEmbedding:
    """One embedding per enrolling step: a re-run replaces it (under a new key)."""
    db.execute(delete(FaceEmbedding).where(FaceEmbedding.step_id == step_id))
    row = FaceEmbedding(
        app_id=app_id,
        session_id=session_id,
        step_id=step_id,
        vector=sealed,
        model=model,
        created_at=now,
    )
    db.add(row)
    db.flush()
    return row


def replace_identifiers(
    db: DB, app_id: str, session_id: str, step_id: str, hashes: dict[str, str], now: datetime
) -> None:
    db.execute(delete(IdentifierHash).where(IdentifierHash.step_id == step_id))
    for kind, value_hash in sorted(hashes.items()):
        db.add(
            IdentifierHash(
                app_id=app_id,
                session_id=session_id,
                step_id=step_id,
                kind=kind,
                value_hash=value_hash,
                created_at=now,
            )
        )
    db.flush()


def identifier_matches(
    db: DB, app_id: str, session_id: str, hashes: list[str]
) -> Sequence[IdentifierHash]:
    if not hashes:
        return []
    return db.scalars(
        select(IdentifierHash)
        .where(
            IdentifierHash.app_id == app_id,
            IdentifierHash.value_hash.in_(hashes),
            IdentifierHash.session_id != session_id,
        )
        .order_by(IdentifierHash.id)
        .limit(50)
    ).all()
