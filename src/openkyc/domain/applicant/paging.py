"""Cursor pagination: a page token is the position (creation time, id) of the last row seen.

Keyset paging stays correct while rows are added, and costs the same on page 1 and 1,000.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from openkyc.errors import Invalid

MAX_LIMIT = 100


@dataclass(frozen=True)
class Position:
    created_at: datetime
    id: str


def encode(position: Position) -> str:
    raw = json.dumps([position.created_at.isoformat(), position.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(token: str | None) -> Position | None:
    if not token:
        return None
    try:
        if len(token) > 200:
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        created, row_id = json.loads(raw)
        moment = datetime.fromisoformat(created)
        if not isinstance(row_id, str) or moment.tzinfo is None:
            raise ValueError("bad position")
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise Invalid("page_token is not a token this server returned") from None
    return Position(moment, row_id)


def clamp(limit: int | None) -> int:
    """The spec's rule: at least 1, and anything over 100 is read as 100."""
    if limit is None:
        return MAX_LIMIT
    if limit < 1:
        raise Invalid("limit is at least 1")
    return min(limit, MAX_LIMIT)
