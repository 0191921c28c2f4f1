"""User tokens and devices: refresh tokens, OAuth keys, known fingerprints, 2FA pins.

Everything is stored as a keyed hash. A fingerprint seen when the user was created is
known at once; a new one must be confirmed by a pin sent to one of the user's phone
numbers or emails (in sandbox the pin is always 123456 and nothing is sent).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from openkyc.domain.context import Ctx
from openkyc.domain.credential import repository as repo
from openkyc.errors import ErrorKind, Invalid, OpenKYCError, Unauthorized
from openkyc.kit.clock import as_utc
from openkyc.kit.ids import new_numeric_id
from openkyc.models import UserDevice, UserToken

OAUTH_TTL = timedelta(hours=2)
REFRESH_TTL = timedelta(days=30)
PIN_TTL = timedelta(minutes=10)
PIN_ATTEMPTS = 5
SANDBOX_PIN = "123456"
MAX_TOKEN = 200
# What went wrong, for the dialects to name in their own codes.
INCORRECT = "incorrect_values"  # a wrong refresh token or pin
MALFORMED = "malformed"
USER_KEY = "user_credentials"  # no valid OAuth key for this user and device
# What a user's OAuth key may do, SynapseFI's names; a client may ask for fewer.
SCOPES = (
    "USER|PATCH",
    "USER|GET",
    "NODES|POST",
    "NODES|GET",
    "NODE|GET",
    "NODE|PATCH",
    "NODE|DELETE",
    "TRANS|POST",
    "TRANS|GET",
    "TRAN|GET",
    "TRAN|PATCH",
    "TRAN|DELETE",
    "SUBNETS|GET",
    "SUBNETS|POST",
    "SUBNET|GET",
    "SUBNET|PATCH",
    "STATEMENTS|GET",
    "STATEMENT|GET",
)


class PinRequired(OpenKYCError):
    """The device is not known: the 2FA flow must confirm it first."""

    kind = ErrorKind.FORBIDDEN


@dataclass(frozen=True)
class OAuthKey:
    key: str
    expires_in: int
    scope: list[str]


@dataclass(frozen=True)
class UserKey:
    applicant_id: str
    scope: list[str]


def _hash(ctx: Ctx, kind: str, value: str) -> str:
    return ctx.ports.crypto.keyed_hash(f"{kind}|{value}")


def _fingerprint_hash(ctx: Ctx, applicant_id: str, fingerprint: str) -> str:
    return _hash(ctx, "fingerprint", f"{applicant_id}|{fingerprint}")


def new_refresh_token(ctx: Ctx, app_id: str, applicant_id: str) -> str:
    """Issue the user's refresh token; earlier ones stop working."""
    for old in repo.tokens_of(ctx.db, applicant_id, "refresh"):
        old.revoked_at = ctx.now
    token = f"refresh_{secrets.token_urlsafe(30)}"
    _add_token(ctx, app_id, applicant_id, "refresh", token, ctx.now + REFRESH_TTL, None, None)
    return token


def _add_token(
    ctx: Ctx,
    app_id: str,
    applicant_id: str,
    kind: str,
    token: str,
    expires_at: object,
    scope: list[str] | None,
    fingerprint_hash: str | None,
) -> None:
    ctx.db.add(
        UserToken(
            token_hash=_hash(ctx, kind, token),
            app_id=app_id,
            applicant_id=applicant_id,
            kind=kind,
            scope=scope,
            fingerprint_hash=fingerprint_hash,
            expires_at=expires_at,
            created_at=ctx.now,
            revoked_at=None,
        )
    )
    ctx.db.flush()


def _live(ctx: Ctx, row: UserToken | None, app_id: str, applicant_id: str | None) -> bool:
    return (
        row is not None
        and row.app_id == app_id
        and (applicant_id is None or row.applicant_id == applicant_id)
        and row.revoked_at is None
        and (row.expires_at is None or as_utc(row.expires_at) > ctx.now)
    )


def check_refresh(ctx: Ctx, app_id: str, applicant_id: str, token: object) -> None:
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        raise Invalid("refresh_token is required", code=INCORRECT)
    row = repo.token(ctx.db, _hash(ctx, "refresh", token))
    if not _live(ctx, row, app_id, applicant_id):
        raise Invalid("refresh_token is incorrect or expired", code=INCORRECT)


def register_device(ctx: Ctx, app_id: str, applicant_id: str, fingerprint: str) -> None:
    """A fingerprint known without 2FA (the one the user was created with)."""
    found = repo.device(ctx.db, applicant_id, _fingerprint_hash(ctx, applicant_id, fingerprint))
    if found is None:
        found = _new_device(ctx, app_id, applicant_id, fingerprint)
    found.verified_at = found.verified_at or ctx.now
    ctx.db.flush()


def _new_device(ctx: Ctx, app_id: str, applicant_id: str, fingerprint: str) -> UserDevice:
    row = UserDevice(
        id=new_numeric_id(14),
        app_id=app_id,
        applicant_id=applicant_id,
        fingerprint_hash=_fingerprint_hash(ctx, applicant_id, fingerprint),
        verified_at=None,
        pin_hash=None,
        pin_expires_at=None,
        pin_attempts_left=0,
        created_at=ctx.now,
    )
    ctx.db.add(row)
    ctx.db.flush()
    return row


def _device(ctx: Ctx, app_id: str, applicant_id: str, fingerprint: str) -> UserDevice:
    found = repo.device(ctx.db, applicant_id, _fingerprint_hash(ctx, applicant_id, fingerprint))
    return found or _new_device(ctx, app_id, applicant_id, fingerprint)


def is_known(ctx: Ctx, applicant_id: str, fingerprint: str) -> bool:
    found = repo.device(ctx.db, applicant_id, _fingerprint_hash(ctx, applicant_id, fingerprint))
    return found is not None and found.verified_at is not None


def issue_pin(ctx: Ctx, app_id: str, applicant_id: str, fingerprint: str, sandbox: bool) -> str:
    """A new pin for the device; returned so the caller sends it (never in sandbox)."""
    device = _device(ctx, app_id, applicant_id, fingerprint)
    pin = SANDBOX_PIN if sandbox else f"{secrets.randbelow(10**6):06d}"
    device.pin_hash = _hash(ctx, "pin", f"{device.id}|{pin}")
    device.pin_expires_at = ctx.now + PIN_TTL
    device.pin_attempts_left = PIN_ATTEMPTS
    ctx.db.flush()
    return pin


def confirm_pin(ctx: Ctx, app_id: str, applicant_id: str, fingerprint: str, pin: object) -> None:
    """Confirm a device with its pin; a wrong pin uses up an attempt."""
    device = _device(ctx, app_id, applicant_id, fingerprint)
    if not isinstance(pin, str) or not pin.isdigit() or len(pin) != 6:
        raise Invalid("validation_pin is 6 digits", code=INCORRECT)
    expired = device.pin_expires_at is None or as_utc(device.pin_expires_at) < ctx.now
    if device.pin_hash is None or expired or device.pin_attempts_left <= 0:
        raise Invalid("no valid pin for this device; ask for a new one", code=INCORRECT)
    if not hmac.compare_digest(device.pin_hash, _hash(ctx, "pin", f"{device.id}|{pin}")):
        device.pin_attempts_left -= 1
        raise OpenKYCError(
            "validation_pin is incorrect", kind=ErrorKind.INVALID, keep_changes=True, code=INCORRECT
        )
    device.verified_at = ctx.now
    device.pin_hash = None
    device.pin_attempts_left = 0
    ctx.db.flush()


def issue_oauth(
    ctx: Ctx, app_id: str, applicant_id: str, fingerprint: str, scope: object
) -> OAuthKey:
    granted = _scope(scope)
    key = f"oauth_{secrets.token_urlsafe(30)}"
    fp = _fingerprint_hash(ctx, applicant_id, fingerprint)
    _add_token(ctx, app_id, applicant_id, "oauth", key, ctx.now + OAUTH_TTL, granted, fp)
    return OAuthKey(key, int(OAUTH_TTL.total_seconds()), granted)


def _scope(raw: object) -> list[str]:
    if raw is None:
        return list(SCOPES)
    if not isinstance(raw, list) or not raw or not all(isinstance(s, str) for s in raw):
        raise Invalid("scope is a non-empty list of scopes", code=MALFORMED)
    unknown = [s for s in raw if s not in SCOPES]
    if unknown:
        raise Invalid(f"unknown scope {str(unknown[0])[:40]!r}", code=MALFORMED)
    return list(dict.fromkeys(raw))


def authenticate_user(ctx: Ctx, app_id: str, oauth_key: str, fingerprint: str) -> UserKey:
    """The user an OAuth key was issued to, from the same device; 110 otherwise."""
    if not oauth_key or len(oauth_key) > MAX_TOKEN:
        raise Unauthorized("OAuth key missing or invalid", code=USER_KEY)
    row = repo.token(ctx.db, _hash(ctx, "oauth", oauth_key))
    if row is None or not _live(ctx, row, app_id, None):
        raise Unauthorized("OAuth key missing, invalid or expired", code=USER_KEY)
    if row.fingerprint_hash != _fingerprint_hash(ctx, row.applicant_id, fingerprint):
        raise Unauthorized("OAuth key was issued to another device", code=USER_KEY)
    return UserKey(row.applicant_id, list(row.scope or []))
