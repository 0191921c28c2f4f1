"""SQL for subscriptions, scoped to one app."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from openkyc.models import Delivery, Subscription


def get(db: Session, app_id: str, subscription_id: str) -> Subscription | None:
    row = db.get(Subscription, subscription_id)
    return row if row is not None and row.app_id == app_id else None


def page(db: Session, app_id: str, offset: int, limit: int) -> Sequence[Subscription]:
    return db.scalars(
        select(Subscription)
        .where(Subscription.app_id == app_id)
        .order_by(Subscription.created_at, Subscription.id)
        .offset(offset)
        .limit(limit)
    ).all()


def count(db: Session, app_id: str) -> int:
    found = db.scalar(select(func.count()).where(Subscription.app_id == app_id))
    return int(found or 0)


def active(db: Session, app_id: str) -> Sequence[Subscription]:
    return db.scalars(
        select(Subscription).where(Subscription.app_id == app_id, Subscription.active.is_(True))
    ).all()


def pending_delivery(
    db: Session, endpoint_id: str, object_id: str, created_at: datetime
) -> Delivery | None:
    """A delivery about this object written by the same transaction (same `now`)."""
    return db.scalars(
        select(Delivery).where(
            Delivery.endpoint_id == endpoint_id,
            Delivery.session_id == object_id,
            Delivery.created_at == created_at,
            Delivery.status == "pending",
        )
    ).first()
