"""SQL for files."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session as DB

from openkyc.models import File


def get(db: DB, file_id: str) -> File | None:
    return db.get(File, file_id)


def of_attempt(db: DB, step_id: str, attempt: int) -> Sequence[File]:
    return db.scalars(
        select(File)
        .where(File.step_id == step_id, File.attempt == attempt)
        .order_by(File.created_at)
    ).all()
