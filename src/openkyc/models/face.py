"""Duplicate search: face embeddings and keyed hashes of identifiers, per app.

These rows are the truth; each process keeps an in-memory vector index rebuilt from them.
Embeddings are biometric data: encrypted at rest like files. Identifiers are never kept
raw, only as keyed hashes (HMAC) that are useless without the deployment's secret.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from openkyc.db.base import Base


class FaceEmbedding(Base):
    __tablename__ = "face_embedding"
    # The id is also the key in the vector index: never reused (SQLite would recycle a
    # deleted rowid without AUTOINCREMENT), so a stale key can never name another face;
    # and increasing, so a process catches up by asking for the rows above its last key.
    __table_args__ = (
        Index("ix_face_embedding_app_id_id", "app_id", "id"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"))
    session_id: Mapped[str] = mapped_column(ForeignKey("session.id"), index=True)
    # The step whose check enrolled the face; its `face` file is the picture shown.
    step_id: Mapped[str] = mapped_column(ForeignKey("step.id"), unique=True)
    vector: Mapped[bytes]  # AES-GCM sealed float32[128]
    model: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class IdentifierHash(Base):
    __tablename__ = "identifier_hash"
    __table_args__ = (Index("ix_identifier_hash_app_id_value_hash", "app_id", "value_hash"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"))
    session_id: Mapped[str] = mapped_column(ForeignKey("session.id"), index=True)
    step_id: Mapped[str] = mapped_column(ForeignKey("step.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # document, phone, email
    value_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
