"""SQL for back office accounts (not app-scoped: reviewers work across apps)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from openkyc.models import User


def by_email(db: Session, email: str) -> User | None:
    return db.scalars(select(User).where(User.email == email)).first()


def get(db: Session, user_id: str) -> User | None:
    return db.get(User, user_id)


def all_users(db: Session) -> Sequence[User]:
    return db.scalars(select(User).order_by(User.created_at, User.id)).all()
