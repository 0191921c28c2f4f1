"""Credentials of the SynapseFI-style clients: an app's gateway client id and secret, and
each applicant's account (logins, OAuth tokens, known devices, 2FA pins).

Secrets, tokens, fingerprints and pins are kept only as keyed hashes. What an account
shows back (login emails, phone numbers, legal names, its documents' ids) is encrypted
JSON in `UserAccount.content`, as an applicant's declared data is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from openkyc.db.base import Base


class GatewayClient(Base):
    """`X-SP-GATEWAY: client_id|client_secret`: one pair per app, the secret shown once."""

    __tablename__ = "gateway_client"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    sandbox: Mapped[bool]
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class UserAccount(Base):
    """An applicant seen as a user: `permission` (not personal) in clear for listings, the
    rest encrypted."""

    __tablename__ = "user_account"
    applicant_id: Mapped[str] = mapped_column(ForeignKey("applicant.id"), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"), index=True)
    permission: Mapped[str] = mapped_column(String(32))
    hidden: Mapped[bool] = mapped_column(default=False)
    content: Mapped[bytes]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class UserToken(Base):
    """A refresh token (long-lived, one current per user) or an OAuth key (short-lived)."""

    __tablename__ = "user_token"
    __table_args__ = (Index("ix_user_token_applicant_kind", "applicant_id", "kind"),)
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"))
    applicant_id: Mapped[str] = mapped_column(ForeignKey("applicant.id"))
    kind: Mapped[str] = mapped_column(String(8))  # refresh | oauth
    # The OAuth key's scopes (USER|GET, USER|PATCH...) and the device it was issued to.
    scope: Mapped[list[Any] | None]
    fingerprint_hash: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class UserDevice(Base):
    """A device fingerprint of a user: known once registered (at sign-up) or confirmed by a
    2FA pin; while unconfirmed it may hold the pin sent to the user."""

    __tablename__ = "user_device"
    __table_args__ = (Index("ix_user_device_applicant_fp", "applicant_id", "fingerprint_hash"),)
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"))
    applicant_id: Mapped[str] = mapped_column(ForeignKey("applicant.id"))
    fingerprint_hash: Mapped[str] = mapped_column(String(64))
    verified_at: Mapped[datetime | None]
    pin_hash: Mapped[str | None] = mapped_column(String(64))
    pin_expires_at: Mapped[datetime | None]
    pin_attempts_left: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]


class Subscription(Base):
    """A SynapseFI-style webhook subscription: a URL and scopes (USER|POST...), delivered
    through its own webhook endpoint row, which the other dialects' events skip."""

    __tablename__ = "subscription"
    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("app.id"), index=True)
    endpoint_id: Mapped[str] = mapped_column(ForeignKey("webhook_endpoint.id"), unique=True)
    client_id: Mapped[str] = mapped_column(String(64))
    scope: Mapped[list[Any]]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
