from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from openkyc.db.base import Base


class User(Base):
    """A back office account (reviewer or admin). Only an argon2 hash of the password is
    kept; the TOTP secret, when a second factor is enabled, is encrypted."""

    __tablename__ = "backoffice_user"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    totp_secret: Mapped[bytes | None]
    # The last TOTP time step accepted: a code is good once, even within its 30 s window.
    totp_last_step: Mapped[int | None]
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    disabled_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
