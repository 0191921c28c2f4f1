"""AML screening: list versions and their entities, hits, alerts, monitored applicants.

Sanctions lists are global to the deployment (scope ""); an app's blocklist has the app's
id as scope and is seen by that app only. An entity row lives from the version that
added it (since_seq) until the version that changed or removed it (until_seq), so a new
version writes only what changed and any two versions can be compared.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from openkyc.db.base import Base


class ListVersion(Base):
    __tablename__ = "aml_list_version"
    __table_args__ = (UniqueConstraint("dataset", "scope", "seq"),)
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    dataset: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(16), default="")
    seq: Mapped[int]
    source: Mapped[str] = mapped_column(String(32))  # the format it was read from
    published: Mapped[str | None] = mapped_column(String(10))
    file_sha256: Mapped[str] = mapped_column(String(64))
    entity_count: Mapped[int]
    added: Mapped[int]
    changed: Mapped[int]
    removed: Mapped[int]
    loaded_at: Mapped[datetime]


class ListEntity(Base):
    __tablename__ = "aml_list_entity"
    __table_args__ = (
        Index("ix_aml_list_entity_current", "dataset", "scope", "until_seq"),
        Index("ix_aml_list_entity_key", "dataset", "scope", "entity_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    dataset: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(16), default="")
    entity_id: Mapped[str] = mapped_column(String(200))
    schema: Mapped[str] = mapped_column(String(32))
    fingerprint: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]]
    since_seq: Mapped[int]
    until_seq: Mapped[int | None]


class Hit(Base):
    """A listed entity found for an applicant; a reviewer may clear it as a false positive,
    which holds until the entity changes (its fingerprint)."""

    __tablename__ = "aml_hit"
    __table_args__ = (UniqueConstraint("app_id", "applicant_id", "dataset", "entity_id"),)
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"), index=True)
    applicant_id: Mapped[str] = mapped_column(String(36))
    session_id: Mapped[str] = mapped_column(String(36), index=True)
    step_id: Mapped[str] = mapped_column(String(16), index=True)
    dataset: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(32))
    score: Mapped[float]
    features: Mapped[dict[str, Any]]  # the per-feature explanation
    summary: Mapped[dict[str, Any]]  # the hit as the Synaps payload shows it
    status: Mapped[str] = mapped_column(String(16))  # open | cleared
    origin: Mapped[str] = mapped_column(String(16))  # screening | monitoring
    cleared_by: Mapped[str | None] = mapped_column(String(100))
    cleared_fingerprint: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Alert(Base):
    """A new hit found by ongoing monitoring, for reviewers to look at."""

    __tablename__ = "aml_alert"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"), index=True)
    session_id: Mapped[str] = mapped_column(String(36))
    step_id: Mapped[str] = mapped_column(String(16))
    hit_id: Mapped[str] = mapped_column(ForeignKey("aml_hit.id"), index=True)
    list_version_id: Mapped[str] = mapped_column(ForeignKey("aml_list_version.id"))
    status: Mapped[str] = mapped_column(String(16))  # open | closed
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class Monitored(Base):
    """An applicant screened again whenever a list changes. `subject` (names, birth date,
    nationality) is encrypted JSON; MonitorKey finds it from a changed entity's names."""

    __tablename__ = "aml_monitored"
    step_id: Mapped[str] = mapped_column(ForeignKey("step.id"), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"), index=True)
    applicant_id: Mapped[str] = mapped_column(String(36))
    session_id: Mapped[str] = mapped_column(String(36))
    subject: Mapped[bytes]
    created_at: Mapped[datetime]


class MonitorKey(Base):
    """The reverse index of monitoring: a keyed hash of a name word (or of its phonetic
    key, a one-letter deletion, an identifier) -> a monitored applicant. Hashes, so the
    table holds no name."""

    __tablename__ = "aml_monitor_key"
    # (key, step_id) covers the monitoring read: no table lookup per index entry.
    __table_args__ = (Index("ix_aml_monitor_key_key", "key", "step_id"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    step_id: Mapped[str] = mapped_column(ForeignKey("aml_monitored.step_id"), index=True)
    key: Mapped[str] = mapped_column(String(16))
