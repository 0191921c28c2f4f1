"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106's advice)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 256

_hasher = PasswordHasher()
# Verified when the email is unknown, so that a miss costs as long as a wrong password
# and response times do not tell which accounts exist.
_DUMMY = _hasher.hash("openkyc-no-such-account")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
