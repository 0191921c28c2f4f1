"""Identifiers in the shapes the Synaps dialect shows: UUIDs for sessions, digits for the rest."""

from __future__ import annotations

import secrets
import uuid


def new_uuid() -> str:
    return str(uuid.uuid4())


def new_numeric_id(digits: int = 12) -> str:
    """A random numeric id (no leading zero), like Synaps' step and app ids."""
    low = 10 ** (digits - 1)
    return str(low + secrets.randbelow(9 * low))


def new_token(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"
