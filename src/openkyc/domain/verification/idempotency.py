"""Idempotency keys: a retried request gets the response of the first one.

The key is claimed by inserting its row inside the request's own transaction, before the
work. A concurrent retry's insert then waits on the unique (app, key) index until the
first transaction ends: committed, it finds the stored response and replays it; rolled
back (the request failed), it goes ahead and does the work itself. So one key never
creates two records, and a failed request leaves its key free for the retry.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from openkyc.domain.context import Ctx
from openkyc.domain.verification import repository as repo
from openkyc.errors import Invalid
from openkyc.models import IdempotencyKey

log = logging.getLogger(__name__)

# Kept at least this long (the promise is 24 h); older keys are purged as new ones arrive.
RETENTION = timedelta(hours=48)
MAX_KEY = 255


@dataclass(frozen=True)
class Stored:
    status_code: int
    body: dict[str, Any]


def request_hash(method: str, path: str, body: Any) -> str:
    """The request's fingerprint: what it asks for, in a canonical JSON form."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


def claim(ctx: Ctx, app_id: str, key: str, fingerprint: str) -> IdempotencyKey | Stored:
    """Reserve the key for this request, or hand back the response it already got."""
    if not key or len(key) > MAX_KEY or not key.isprintable():
        raise Invalid(f"Idempotency-Key is 1 to {MAX_KEY} printable characters")
    repo.purge_idempotency_keys(ctx.db, app_id, ctx.now - RETENTION)
    row = IdempotencyKey(
        app_id=app_id,
        key=key,
        request_hash=fingerprint,
        status_code=0,
        response={},
        created_at=ctx.now,
    )
    try:
        with ctx.db.begin_nested():
            ctx.db.add(row)
            ctx.db.flush()
    except IntegrityError:
        existing = repo.idempotency_key(ctx.db, app_id, key)
        if existing is None:  # purged between the two statements: the retry may go again
            raise Invalid("Idempotency-Key was just released; retry the request") from None
        if existing.request_hash != fingerprint:
            raise Invalid(
                "this Idempotency-Key was already used for a different request",
                code="IDEMPOTENCY_KEY_REUSED",
            ) from None
        log.info("idempotent replay for app %s", app_id)
        return Stored(existing.status_code, dict(existing.response))
    return row


def store(ctx: Ctx, row: IdempotencyKey, status_code: int, body: dict[str, Any]) -> None:
    row.status_code = status_code
    row.response = body
    ctx.db.flush()
