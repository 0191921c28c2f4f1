"""Back office accounts: creation, password login, TOTP second factor, login throttling.

A failed login is counted on the account and committed even though the request fails
(`keep_changes`); after MAX_FAILURES in a row the account refuses every attempt, right
or wrong, for a while that doubles with each further failure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp

from openkyc.domain.context import Ctx
from openkyc.domain.user import passwords
from openkyc.domain.user import repository as repo
from openkyc.errors import Conflict, ErrorKind, Invalid, NotFound, OpenKYCError, Unauthorized
from openkyc.kit.clock import as_utc
from openkyc.kit.ids import new_numeric_id
from openkyc.models import User

ROLES = ("reviewer", "admin")
MAX_FAILURES = 5
FIRST_LOCK = timedelta(minutes=1)
MAX_LOCK = timedelta(hours=1)
TOTP_ISSUER = "openkyc back office"
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}$")
BAD_LOGIN = "invalid email or password"


@dataclass(frozen=True)
class LoginResult:
    user: User
    needs_totp: bool


def _normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not EMAIL.fullmatch(email):
        raise Invalid("an email address is required")
    return email


def create_user(ctx: Ctx, email: str, role: str, password: str) -> User:
    email = _normalise_email(email)
    if role not in ROLES:
        raise Invalid(f"role is one of {', '.join(ROLES)}")
    if not passwords.MIN_LENGTH <= len(password) <= passwords.MAX_LENGTH:
        raise Invalid(f"a password is {passwords.MIN_LENGTH} to {passwords.MAX_LENGTH} characters")
    if repo.by_email(ctx.db, email) is not None:
        raise Conflict(f"an account for {email} exists already")
    user = User(
        id=new_numeric_id(10),
        email=email,
        role=role,
        password_hash=passwords.hash_password(password),
        totp_secret=None,
        totp_last_step=None,
        failed_logins=0,
        created_at=ctx.now,
    )
    ctx.db.add(user)
    ctx.db.flush()
    return user


def list_users(ctx: Ctx) -> Sequence[User]:
    return repo.all_users(ctx.db)


def get_active(ctx: Ctx, user_id: str) -> User | None:
    """The account behind a session cookie, or None once it is gone or disabled."""
    user = repo.get(ctx.db, user_id)
    return user if user is not None and user.disabled_at is None else None


def _refuse_locked(ctx: Ctx, user: User) -> None:
    if user.locked_until is not None and as_utc(user.locked_until) > ctx.now:
        wait = int((as_utc(user.locked_until) - ctx.now).total_seconds()) + 1
        raise OpenKYCError(
            f"too many failed attempts: try again in {wait} s",
            kind=ErrorKind.TOO_MANY,
            retry_after=wait,
        )


def _fail(ctx: Ctx, user: User | None, message: str) -> OpenKYCError:
    """Count a failure on the account (kept: the error commits it) and return the error."""
    if user is not None:
        user.failed_logins += 1
        over = user.failed_logins - MAX_FAILURES
        if over >= 0:
            user.locked_until = ctx.now + min(FIRST_LOCK * 2**over, MAX_LOCK)
        ctx.db.flush()
    return Unauthorized(message, keep_changes=True)


def _succeed(ctx: Ctx, user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = ctx.now
    ctx.db.flush()


def login(ctx: Ctx, email: str, password: str) -> LoginResult:
    """Check a password; when the account has a second factor, the login is not complete
    until `verify_totp` accepts a code."""
    user = repo.by_email(ctx.db, email.strip().lower()[:254])
    if user is not None:
        _refuse_locked(ctx, user)
    if len(password) > passwords.MAX_LENGTH:
        raise _fail(ctx, user, BAD_LOGIN)
    ok = passwords.verify(user.password_hash if user else None, password)
    if user is None or not ok or user.disabled_at is not None:
        raise _fail(ctx, user, BAD_LOGIN)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    needs_totp = user.totp_secret is not None
    if not needs_totp:
        _succeed(ctx, user)
    return LoginResult(user, needs_totp)


def _totp(ctx: Ctx, user: User) -> pyotp.TOTP:
    secret = ctx.ports.crypto.decrypt_json(user.totp_secret)
    return pyotp.TOTP(str(secret))


def _matching_step(totp: pyotp.TOTP, code: str, now: datetime) -> int | None:
    """The 30 s time step (now, the one before or after: clocks drift) the code is for."""
    if not code.isdigit() or len(code) != totp.digits:
        return None
    for delta in (0, -1, 1):
        moment = now + timedelta(seconds=delta * totp.interval)
        if totp.verify(code, for_time=moment):
            return int(moment.timestamp()) // totp.interval
    return None


def verify_totp(ctx: Ctx, user_id: str, code: str) -> User:
    """The second factor: a 6-digit code of the current, previous or next 30 s step, each
    step good once."""
    user = get_active(ctx, user_id)
    if user is None or user.totp_secret is None:
        raise Unauthorized("no second factor to check for this login")
    _refuse_locked(ctx, user)
    step = _matching_step(_totp(ctx, user), code.strip().replace(" ", ""), ctx.now)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        raise _fail(ctx, user, "invalid or already used code")
    user.totp_last_step = step
    _succeed(ctx, user)
    return user


def enable_totp(ctx: Ctx, email: str) -> tuple[User, str, str]:
    """A new TOTP secret for the account: returns it with its otpauth:// URI (shown once)."""
    user = repo.by_email(ctx.db, _normalise_email(email))
    if user is None:
        raise NotFound(f"no account for {email}")
    secret = pyotp.random_base32()
    user.totp_secret = ctx.ports.crypto.encrypt_json(secret)
    user.totp_last_step = None
    ctx.db.flush()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)
    return user, secret, uri


def disable_user(ctx: Ctx, email: str) -> User:
    """Sign the account out everywhere and refuse it from now on (kept for the audit
    trail: decisions name it)."""
    user = repo.by_email(ctx.db, _normalise_email(email))
    if user is None:
        raise NotFound(f"no account for {email}")
    user.disabled_at = user.disabled_at or ctx.now
    ctx.db.flush()
    return user
