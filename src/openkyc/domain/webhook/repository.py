"""SQL for webhook endpoints and deliveries, always scoped to one app."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from openkyc.models import Delivery, Endpoint, Subscription


def active_endpoints(db: Session, app_id: str) -> Sequence[Endpoint]:
    """The endpoints of the Synaps and Synctera events; a SynapseFI subscription's own
    endpoint gets only its user webhooks."""
    return db.scalars(
        select(Endpoint).where(
            Endpoint.app_id == app_id,
            Endpoint.active.is_(True),
            Endpoint.id.not_in(select(Subscription.endpoint_id)),
        )
    ).all()


def endpoints(db: Session, app_id: str) -> Sequence[Endpoint]:
    return db.scalars(
        select(Endpoint).where(Endpoint.app_id == app_id).order_by(Endpoint.created_at)
    ).all()


def endpoint(db: Session, app_id: str, endpoint_id: str) -> Endpoint | None:
    row = db.get(Endpoint, endpoint_id)
    return row if row is not None and row.app_id == app_id else None


def delivery(
    db: Session, app_id: str | None, delivery_id: str, lock: bool = False
) -> Delivery | None:
    """app_id None is for the worker, which acts for every app."""
    row = db.get(Delivery, delivery_id, with_for_update=lock)
    if row is None or (app_id is not None and row.app_id != app_id):
        return None
    return row


def deliveries(
    db: Session, app_id: str, status: str | None, limit: int, offset: int
) -> Sequence[Delivery]:
    query = select(Delivery).where(Delivery.app_id == app_id)
    if status:
        query = query.where(Delivery.status == status)
    query = query.order_by(Delivery.created_at.desc(), Delivery.id).limit(limit).offset(offset)
    return db.scalars(query).all()


def due_deliveries(db: Session, now: datetime, limit: int = 500) -> Sequence[str]:
    return db.scalars(
        select(Delivery.id)
        .where(Delivery.status == "pending", Delivery.next_attempt_at <= now)
        .order_by(Delivery.next_attempt_at)
        .limit(limit)
    ).all()
