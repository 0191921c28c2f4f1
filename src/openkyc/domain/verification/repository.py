"""SQL for verification records and idempotency keys, always scoped to one app."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from openkyc.domain.applicant.paging import Position
from openkyc.models import IdempotencyKey, Verification


@dataclass(frozen=True)
class Filters:
    ids: Sequence[str] = ()
    person_ids: Sequence[str] = ()
    business_ids: Sequence[str] = ()
    types: Sequence[str] = ()
    results: Sequence[str] = ()
    include_history: bool = False


def get(db: Session, app_id: str, verification_id: str) -> Verification | None:
    row = db.get(Verification, verification_id)
    return row if row is not None and row.app_id == app_id else None


def page(
    db: Session, app_id: str, filters: Filters, after: Position | None, limit: int
) -> Sequence[Verification]:
    query = select(Verification).where(Verification.app_id == app_id)
    if not filters.include_history:
        query = query.where(Verification.active.is_(True))
    if filters.ids:
        query = query.where(Verification.id.in_(filters.ids))
    subjects = []
    if filters.person_ids:
        subjects.append(
            and_(
                Verification.subject_kind == "person",
                Verification.applicant_id.in_(filters.person_ids),
            )
        )
    if filters.business_ids:
        subjects.append(
            and_(
                Verification.subject_kind == "business",
                Verification.applicant_id.in_(filters.business_ids),
            )
        )
    if subjects:
        query = query.where(or_(*subjects))
    if filters.types:
        query = query.where(Verification.type.in_(filters.types))
    if filters.results:
        query = query.where(Verification.result.in_(filters.results))
    if after is not None:
        query = query.where(
            or_(
                Verification.created_at > after.created_at,
                and_(Verification.created_at == after.created_at, Verification.id > after.id),
            )
        )
    query = query.order_by(Verification.created_at, Verification.id).limit(limit)
    return db.scalars(query).all()


def active_of(
    db: Session, app_id: str, applicant_id: str, type_: str | None = None
) -> Sequence[Verification]:
    query = select(Verification).where(
        Verification.app_id == app_id,
        Verification.applicant_id == applicant_id,
        Verification.active.is_(True),
    )
    if type_ is not None:
        query = query.where(Verification.type == type_)
    return db.scalars(query.order_by(Verification.created_at, Verification.id)).all()


def following_session(db: Session, session_id: str) -> Sequence[Verification]:
    """Active records computed from one session's steps (any app: the caller is the domain)."""
    return db.scalars(
        select(Verification).where(
            Verification.session_id == session_id, Verification.active.is_(True)
        )
    ).all()


def idempotency_key(db: Session, app_id: str, key: str) -> IdempotencyKey | None:
    return db.scalars(
        select(IdempotencyKey).where(IdempotencyKey.app_id == app_id, IdempotencyKey.key == key)
    ).first()


def purge_idempotency_keys(db: Session, app_id: str, before: datetime) -> None:
    db.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.app_id == app_id, IdempotencyKey.created_at < before
        )
    )
