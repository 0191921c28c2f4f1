"""SQL for gateway clients, user accounts, tokens and devices, scoped to one app."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from openkyc.models import App, GatewayClient, UserAccount, UserDevice, UserToken


def gateway_by_client_id(db: Session, client_id: str) -> tuple[GatewayClient, App] | None:
    row = db.execute(
        select(GatewayClient, App)
        .join(App, App.id == GatewayClient.app_id)
        .where(GatewayClient.client_id == client_id)
    ).first()
    return None if row is None else (row[0], row[1])


def account(db: Session, app_id: str, applicant_id: str, lock: bool = False) -> UserAccount | None:
    row = db.get(UserAccount, applicant_id, with_for_update=lock)
    return row if row is not None and row.app_id == app_id else None


def accounts(db: Session, app_id: str, offset: int, limit: int) -> Sequence[UserAccount]:
    return db.scalars(
        select(UserAccount)
        .where(UserAccount.app_id == app_id, UserAccount.hidden.is_(False))
        .order_by(UserAccount.created_at.desc(), UserAccount.applicant_id)
        .offset(offset)
        .limit(limit)
    ).all()


def count_accounts(db: Session, app_id: str) -> int:
    found = db.scalar(
        select(func.count())
        .select_from(UserAccount)
        .where(UserAccount.app_id == app_id, UserAccount.hidden.is_(False))
    )
    return int(found or 0)


def all_accounts(db: Session, app_id: str) -> Sequence[UserAccount]:
    return db.scalars(
        select(UserAccount)
        .where(UserAccount.app_id == app_id, UserAccount.hidden.is_(False))
        .order_by(UserAccount.created_at.desc(), UserAccount.applicant_id)
    ).all()


def token(db: Session, token_hash: str) -> UserToken | None:
    return db.get(UserToken, token_hash)


def tokens_of(db: Session, applicant_id: str, kind: str) -> Sequence[UserToken]:
    return db.scalars(
        select(UserToken).where(
            UserToken.applicant_id == applicant_id,
            UserToken.kind == kind,
            UserToken.revoked_at.is_(None),
        )
    ).all()


def device(db: Session, applicant_id: str, fingerprint_hash: str) -> UserDevice | None:
    return db.scalars(
        select(UserDevice).where(
            UserDevice.applicant_id == applicant_id,
            UserDevice.fingerprint_hash == fingerprint_hash,
        )
    ).first()
