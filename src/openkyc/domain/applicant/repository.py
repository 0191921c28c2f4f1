"""SQL for applicants, always scoped to one app."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from openkyc.domain.applicant.paging import Position
from openkyc.models import Applicant


def get(db: Session, app_id: str, applicant_id: str, lock: bool = False) -> Applicant | None:
    row = db.get(Applicant, applicant_id, with_for_update=lock)
    return row if row is not None and row.app_id == app_id else None


def page(
    db: Session,
    app_id: str,
    kind: str,
    ids: Sequence[str],
    after: Position | None,
    limit: int,
) -> Sequence[Applicant]:
    """Up to `limit` applicants of one kind in creation order, after a position."""
    query = select(Applicant).where(Applicant.app_id == app_id, Applicant.kind == kind)
    if ids:
        query = query.where(Applicant.id.in_(ids))
    if after is not None:
        query = query.where(
            or_(
                Applicant.created_at > after.created_at,
                and_(Applicant.created_at == after.created_at, Applicant.id > after.id),
            )
        )
    return db.scalars(query.order_by(Applicant.created_at, Applicant.id).limit(limit)).all()
